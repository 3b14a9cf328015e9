import type { OccurrenceChange } from '../api/live.ts';
import type { EventOccurrence } from '../api/types.ts';
import { sameShared } from '../query/packed.ts';

/** A watched window's result: the occurrences in order, and the same by occurrence id. */
export interface WindowResult {
  readonly occurrences: readonly EventOccurrence[];
  readonly byId: ReadonlyMap<string, EventOccurrence>;
}

export const EMPTY_RESULT: WindowResult = { occurrences: [], byId: new Map() };

/** Whether two occurrences show the same thing (every public field equal). */
export function sameOccurrence(a: EventOccurrence, b: EventOccurrence): boolean {
  return (
    a.occurrenceId === b.occurrenceId &&
    a.start === b.start &&
    a.end === b.end &&
    a.recurrenceId === b.recurrenceId &&
    sameShared(a, b)
  );
}

/**
 * Compares a window's new occurrences with its previous result. Occurrences that did not
 * change are replaced by the previous objects (a UI can skip them by identity); the change
 * lists what was added, removed and updated. `change` is empty when nothing changed.
 */
export function diffOccurrences(
  previous: WindowResult,
  next: readonly EventOccurrence[],
): { result: WindowResult; change: OccurrenceChange } {
  const added: string[] = [];
  const updated: string[] = [];
  const byId = new Map<string, EventOccurrence>();
  const occurrences = next.map((occurrence) => {
    const kept = against(previous, occurrence, added, updated);
    byId.set(kept.occurrenceId, kept);
    return kept;
  });
  const removed: string[] = [];
  for (const id of previous.byId.keys()) if (!byId.has(id)) removed.push(id);
  // Results are sorted by (start, summary, eventId): the same occurrences come in the same order.
  return { result: { occurrences, byId }, change: { added, removed, updated } };
}

/**
 * An occurrence of a new result against the previous one: the previous object if nothing
 * changed (else this one), its id pushed to `added` or `updated` as it is new or changed.
 */
export function against(
  previous: WindowResult,
  occurrence: EventOccurrence,
  added: string[],
  updated: string[],
): EventOccurrence {
  const before = previous.byId.get(occurrence.occurrenceId);
  if (before === undefined) added.push(occurrence.occurrenceId);
  else if (sameOccurrence(before, occurrence)) return before;
  else updated.push(occurrence.occurrenceId);
  return occurrence;
}

/** No occurrence was added, removed or updated. */
export function isEmptyChange(change: OccurrenceChange): boolean {
  return change.added.length === 0 && change.removed.length === 0 && change.updated.length === 0;
}

/**
 * Rebuilds a result the Worker described by `change` on the page: occurrences that are
 * neither added nor updated are the previous objects (their identity is kept across calls).
 */
export function applyChange(
  previous: WindowResult,
  next: readonly EventOccurrence[],
  change: OccurrenceChange,
): WindowResult {
  const fresh = new Set([...change.added, ...change.updated]);
  const byId = new Map<string, EventOccurrence>();
  const occurrences = next.map((occurrence) => {
    const before = fresh.has(occurrence.occurrenceId) ? undefined : previous.byId.get(occurrence.occurrenceId);
    const kept = before ?? occurrence;
    byId.set(kept.occurrenceId, kept);
    return kept;
  });
  return { occurrences, byId };
}

/**
 * The change from `delivered` (what a listener last saw) to `latest`, given every change
 * reported in between (`touched`: ids any of them added, removed or updated): the net
 * effect, for a listener that skipped the intermediate results (a hidden tab).
 */
export function netChange(
  delivered: WindowResult,
  latest: WindowResult,
  touched: ReadonlySet<string>,
): OccurrenceChange {
  const added: string[] = [];
  const updated: string[] = [];
  for (const id of latest.byId.keys()) {
    if (!delivered.byId.has(id)) added.push(id);
    else if (touched.has(id)) updated.push(id);
  }
  const removed = [...delivered.byId.keys()].filter((id) => !latest.byId.has(id));
  return { added, removed, updated };
}
