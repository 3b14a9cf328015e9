import type { OccurrenceChange } from '../api/live.ts';
import type { EventOccurrence } from '../api/types.ts';
import { inQueryOrder } from '../query/calendar-index.ts';
import { against, type WindowResult } from './occurrence-diff.ts';

/**
 * Query order on built occurrences — start, then title, then event id — the order the
 * query cache sorts by (calendar-index.ts `byStartThenSummary`): an occurrence's `start`
 * is its start instant as ISO text (all-day and floating ones as UTC midnight / wall time
 * read as UTC, as the index keeps them), so parsing it gives the index's sort key back.
 */
export function compareOccurrences(a: EventOccurrence, b: EventOccurrence): number {
  return inQueryOrder(Date.parse(a.start), a.summary, a.eventId, Date.parse(b.start), b.summary, b.eventId);
}

/**
 * A window's result after some of its events changed, without querying the window again:
 * the occurrences of `changed` events are dropped from `previous` and `fresh` (their
 * occurrences in the window now, in query order) are merged in. Unchanged occurrences
 * keep their objects, as {@link diffOccurrences} keeps them. The same result as a new
 * query, except that occurrences equal in start, title and event id (an override moved
 * onto another occurrence's start) may come in another order.
 */
export function patchWindow(
  previous: WindowResult,
  changed: ReadonlySet<string>,
  fresh: readonly EventOccurrence[],
): { result: WindowResult; change: OccurrenceChange } {
  const added: string[] = [];
  const updated: string[] = [];
  const byId = new Map(previous.byId);
  const freshIds = new Set<string>();
  const incoming = fresh.map((occurrence) => {
    freshIds.add(occurrence.occurrenceId);
    const kept = against(previous, occurrence, added, updated);
    byId.set(kept.occurrenceId, kept);
    return kept;
  });
  const removed: string[] = [];
  const base: EventOccurrence[] = [];
  for (const occurrence of previous.occurrences) {
    if (!changed.has(occurrence.eventId)) base.push(occurrence);
    else if (!freshIds.has(occurrence.occurrenceId)) {
      removed.push(occurrence.occurrenceId);
      byId.delete(occurrence.occurrenceId);
    }
  }
  return { result: { occurrences: mergeSorted(base, incoming), byId }, change: { added, removed, updated } };
}

/** Merges a few sorted occurrences into many sorted ones: binary search per insertion. */
function mergeSorted(base: readonly EventOccurrence[], few: readonly EventOccurrence[]): EventOccurrence[] {
  if (few.length === 0) return base as EventOccurrence[];
  const merged: EventOccurrence[] = [];
  let from = 0;
  for (const occurrence of few) {
    let lo = from;
    let hi = base.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOccurrences(base[mid] as EventOccurrence, occurrence) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) merged.push(base[i] as EventOccurrence);
    merged.push(occurrence);
    from = lo;
  }
  for (let i = from; i < base.length; i++) merged.push(base[i] as EventOccurrence);
  return merged;
}
