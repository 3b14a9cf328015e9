import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventOccurrence } from '../api/types.ts';
import { unpackOccurrences } from '../query/packed.ts';
import { diffOccurrences, EMPTY_RESULT, isEmptyChange } from './occurrence-diff.ts';
import { applyDelta, deltaOf } from './window-delta.ts';
import { compareOccurrences } from './window-patch.ts';

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 11, 1);

/** An occurrence of event `event` on day `day` (a series when `series`), titled `summary`. */
function occurrence(event: number, day: number, summary: string, series: boolean): EventOccurrence {
  const eventId = `c1:/e${event}.ics`;
  const start = new Date(BASE + day * DAY).toISOString();
  return {
    occurrenceId: series ? `${eventId}#${start}` : eventId,
    eventId,
    calendarId: 'c1',
    uid: `e${event}`,
    summary,
    start,
    end: new Date(BASE + day * DAY + 3_600_000).toISOString(),
    allDay: false,
    pending: false,
    conflict: false,
    ...(series ? { recurrenceId: start } : {}),
  };
}

/** A window's occurrences in query order, from (event, day, summary) picks; a series where an event repeats. */
const windowOf = (picks: ReadonlyArray<readonly [number, number, string]>) => {
  const counts = new Map<number, number>();
  for (const [event] of picks) counts.set(event, (counts.get(event) ?? 0) + 1);
  const seen = new Set<string>();
  return picks
    .map(([event, day, summary]) => occurrence(event, day, summary, (counts.get(event) ?? 0) > 1))
    .filter((o) => !seen.has(o.occurrenceId) && seen.add(o.occurrenceId))
    .sort(compareOccurrences);
};

const picks = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom('A', 'B', 'C')),
  { maxLength: 30 },
);

describe('live window deltas (Worker → page)', () => {
  it('rebuild exactly the new result on the page, unchanged occurrences keeping their objects (property)', () => {
    fc.assert(
      fc.property(picks, picks, (before, after) => {
        const previous = diffOccurrences(EMPTY_RESULT, windowOf(before)).result;
        const { result, change } = diffOccurrences(previous, windowOf(after));
        const delta = deltaOf(result, change);
        // What crosses the boundary: the added and updated occurrences only.
        expect(delta.at.length).toBe(change.added.length + change.updated.length);
        const rebuilt = applyDelta(previous, unpackOccurrences(structuredClone(delta.fresh)), delta.at, change);
        expect(rebuilt.occurrences).toEqual(result.occurrences);
        expect([...rebuilt.byId.keys()].sort()).toEqual([...result.byId.keys()].sort());
        const fresh = new Set([...change.added, ...change.updated]);
        for (const o of rebuilt.occurrences) {
          if (!fresh.has(o.occurrenceId)) expect(o).toBe(previous.byId.get(o.occurrenceId));
        }
        if (isEmptyChange(change)) expect(rebuilt.occurrences).toEqual(previous.occurrences);
      }),
      { numRuns: 300 },
    );
  });

  it('a delta that does not fit the page’s result is refused as an internal error, not applied', () => {
    const previous = diffOccurrences(EMPTY_RESULT, windowOf([[1, 1, 'A']])).result;
    const next = diffOccurrences(
      previous,
      windowOf([
        [1, 1, 'A'],
        [2, 2, 'B'],
      ]),
    );
    const delta = deltaOf(next.result, next.change);
    const fresh = unpackOccurrences(delta.fresh);
    expect(() => applyDelta(previous, fresh, new Uint32Array([5]), next.change)).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
    expect(() => applyDelta(previous, [], delta.at, next.change)).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
  });
});
