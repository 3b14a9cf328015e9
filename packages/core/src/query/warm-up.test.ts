import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/test-platform.ts';
import type { CalendarIndex, Entry } from './calendar-index.ts';
import { WARM_MS, WARM_QUIET_MS, WarmUp } from './warm-up.ts';

// The warm-up on a manual clock: it waits for a quiet spell after the last query, never
// runs while held, expands each region once, and stops for good on stop().

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

/** A series entry whose expansions are recorded instead of computed. */
function series(name: string, warmed: string[], rangeStart = T0 - 30 * DAY, rangeEnd = T0 + 30 * DAY): Entry {
  return {
    eventId: name,
    href: name,
    etag: undefined,
    ics: '',
    rangeStart,
    rangeEnd,
    pending: false,
    conflict: false,
    single: undefined,
    occurrences: { warm: (start: number, end: number) => warmed.push(`${name} ${start - T0} ${end - T0}`) },
  } as unknown as Entry;
}

function index(entries: Entry[]): CalendarIndex {
  return { singles: [], longestSingleMs: 0, series: entries, warmed: undefined };
}

describe('WarmUp', () => {
  it('expands the series near a query only after a quiet spell without queries', async () => {
    const clock = new ManualClock(T0);
    const warmed: string[] = [];
    const warm = new WarmUp(clock);
    const calendar = index([series('a', warmed), series('far', warmed, T0 + 2 * WARM_MS, T0 + 3 * WARM_MS)]);
    warm.noteQuery();
    warm.around(calendar, T0, T0 + DAY);
    await clock.advance(WARM_QUIET_MS - 1);
    expect(warmed).toEqual([]);
    warm.noteQuery(); // another query: the quiet spell starts again
    await clock.advance(WARM_QUIET_MS - 1);
    expect(warmed).toEqual([]);
    await clock.advance(1);
    expect(warmed).toEqual([`a 0 ${DAY}`]);
    expect(warm.queued).toBe(0);
  });

  it('expands a region once; a new region is queued again', async () => {
    const clock = new ManualClock(T0);
    const warmed: string[] = [];
    const warm = new WarmUp(clock);
    const calendar = index([series('a', warmed)]);
    warm.around(calendar, T0, T0 + DAY);
    await clock.advance(WARM_QUIET_MS);
    warm.around(calendar, T0 + DAY, T0 + 2 * DAY); // inside the region already warmed
    await clock.advance(WARM_QUIET_MS);
    expect(warmed).toHaveLength(1);
    warm.around(calendar, T0 + WARM_MS, T0 + WARM_MS + DAY);
    await clock.advance(WARM_QUIET_MS);
    expect(warmed).toEqual([`a 0 ${DAY}`, `a ${WARM_MS} ${WARM_MS + DAY}`]);
    expect(calendar.warmed?.from).toBe(T0 + WARM_MS - WARM_MS / 2);
  });

  it('waits while held and resumes on release', async () => {
    const clock = new ManualClock(T0);
    const warmed: string[] = [];
    const warm = new WarmUp(clock);
    warm.hold();
    warm.around(index([series('a', warmed)]), T0, T0 + DAY);
    await clock.advance(10 * WARM_QUIET_MS);
    expect(warmed).toEqual([]);
    warm.release();
    await clock.advance(0);
    expect(warmed).toHaveLength(1);
  });

  it('drops its work and timers on stop', async () => {
    const clock = new ManualClock(T0);
    const warmed: string[] = [];
    const warm = new WarmUp(clock);
    warm.around(index([series('a', warmed)]), T0, T0 + DAY);
    warm.stop();
    await clock.advance(10 * WARM_QUIET_MS);
    expect(warmed).toEqual([]);
    expect(clock.pending).toEqual([]);
  });
});
