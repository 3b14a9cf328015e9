import { CalsyncError } from '../api/errors.ts';
import type { OccurrenceChange } from '../api/live.ts';
import type { EventOccurrence } from '../api/types.ts';
import { type PackedOccurrences, packEventOccurrences } from '../query/packed.ts';
import type { WindowResult } from './occurrence-diff.ts';

/**
 * A live window's update as it crosses from the Worker to the page: only the occurrences
 * the change adds or updates (packed), with their positions in the new result. The page
 * keeps the others — in their order, which an update cannot change for them — so a month
 * of 3,000 occurrences is not packed, cloned and unpacked again for one moved event.
 */
export interface PackedDelta {
  /** The added and updated occurrences, in result order. */
  readonly fresh: PackedOccurrences;
  /** Per fresh occurrence, its index in the new result (ascending). */
  readonly at: Uint32Array;
}

/** The delta that takes the page from the previous result to `result` (Worker side). */
export function deltaOf(result: WindowResult, change: OccurrenceChange): PackedDelta {
  const wanted = new Set([...change.added, ...change.updated]);
  const fresh: EventOccurrence[] = [];
  const at = new Uint32Array(wanted.size);
  result.occurrences.forEach((occurrence, i) => {
    if (!wanted.has(occurrence.occurrenceId)) return;
    at[fresh.length] = i;
    fresh.push(occurrence);
  });
  return { fresh: packEventOccurrences(fresh), at };
}

/**
 * Applies a delta on the page: the previous occurrences that the change neither removed
 * nor updated, in their order, with `fresh` (unpacked) placed at their positions.
 */
export function applyDelta(
  previous: WindowResult,
  fresh: readonly EventOccurrence[],
  at: Uint32Array,
  change: OccurrenceChange,
): WindowResult {
  const gone = new Set([...change.removed, ...change.updated]);
  const kept = previous.occurrences.filter((occurrence) => !gone.has(occurrence.occurrenceId));
  const length = kept.length + fresh.length;
  if (fresh.length !== at.length || (at.length > 0 && (at[at.length - 1] as number) >= length)) {
    throw new CalsyncError('internal', 'A live window update does not fit the result it was made for.');
  }
  const occurrences: EventOccurrence[] = new Array(length);
  const byId = new Map<string, EventOccurrence>();
  let k = 0;
  let f = 0;
  for (let i = 0; i < length; i++) {
    const occurrence = f < at.length && at[f] === i ? (fresh[f++] as EventOccurrence) : (kept[k++] as EventOccurrence);
    if (occurrence === undefined) throw new CalsyncError('internal', 'A live window update does not fit its result.');
    occurrences[i] = occurrence;
    byId.set(occurrence.occurrenceId, occurrence);
  }
  return { occurrences, byId };
}
