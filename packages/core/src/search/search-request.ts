import { CalsyncError } from '../api/errors.ts';
import type { SearchOptions } from '../api/types.ts';
import { toEpochMs } from '../util/dates.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, type SearchRequest } from './event-search.ts';

/** Checks `searchEvents`' arguments (typed `invalid-input` errors) and resolves its calendars. */
export function searchRequest(text: unknown, options: SearchOptions, allCalendarIds: readonly string[]): SearchRequest {
  if (typeof text !== 'string') throw new CalsyncError('invalid-input', 'The search text must be a string.');
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new CalsyncError('invalid-input', `The search limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  const start = options.start === undefined ? undefined : toEpochMs(options.start, 'start');
  const end = options.end === undefined ? undefined : toEpochMs(options.end, 'end');
  if (start !== undefined && end !== undefined && end <= start) {
    throw new CalsyncError('invalid-input', 'The search window end must be after its start.');
  }
  const wanted = options.calendarIds ? new Set(options.calendarIds) : undefined;
  return {
    text,
    limit,
    calendarIds: allCalendarIds.filter((id) => !wanted || wanted.has(id)),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
  };
}
