import { indexObject } from '../ical/index.ts';
import type { ObjectRecord } from './records.ts';

/**
 * Turns raw calendar data into a stored record. Each object is parsed on its own: one
 * that cannot be read is kept raw with `state: 'bad'` (so nothing is lost and it can be
 * shown or exported) and never aborts the rest of the calendar.
 */
export function toObjectRecord(calendarId: string, href: string, etag: string | undefined, ics: string): ObjectRecord {
  const indexed = indexObject(ics);
  if (indexed.ok) {
    return { calendarId, href, etag, ics, state: 'ok', ...indexed.fields };
  }
  return {
    calendarId,
    href,
    etag,
    ics,
    state: 'bad',
    badReason: indexed.error.message,
    rangeStart: Number.POSITIVE_INFINITY,
    rangeEnd: Number.NEGATIVE_INFINITY,
  };
}
