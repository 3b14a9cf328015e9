import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventOccurrence } from '../api/types.ts';
import { eventIdOf } from '../model/ids.ts';
import { safeLog } from '../platform/logger.ts';
import { type Deliver, LiveQueries, type LiveSource } from './live-queries.ts';
import type { WindowResult } from './occurrence-diff.ts';
import { compareOccurrences } from './window-patch.ts';

const DAY = 86_400_000;
const DEC = Date.UTC(2026, 11, 1);
const JAN = Date.UTC(2027, 0, 1);
const FEB = Date.UTC(2027, 1, 1);

interface StoredEvent {
  calendarId: string;
  href: string;
  summary: string;
  /** Occurrence starts (ms); each one hour long. */
  starts: number[];
}

/** A replica in memory: what `list` answers is computed from `events`, calls are counted. */
class FakeSource implements LiveSource {
  events: StoredEvent[] = [];
  calendars = ['c1', 'c2'];
  lists = 0;
  /** Calls of `occurrencesOf` (a watcher patching its result with a few changed objects). */
  lookups = 0;
  /** When set, `list` answers (with what it read when called) only once this resolves. */
  gate: Promise<void> | undefined;

  async list(calendarIds: readonly string[], start: number, end: number): Promise<EventOccurrence[]> {
    this.lists++;
    const result = this.#read(calendarIds, start, end);
    await this.gate;
    return result;
  }

  #read(calendarIds: readonly string[], start: number, end: number): EventOccurrence[] {
    const result: EventOccurrence[] = [];
    for (const e of this.events) {
      if (!calendarIds.includes(e.calendarId)) continue;
      const eventId = eventIdOf(e.calendarId, e.href);
      const series = e.starts.length > 1;
      for (const s of e.starts) {
        if (s < end && s + 3_600_000 > start) {
          const iso = new Date(s).toISOString();
          result.push({
            occurrenceId: series ? `${eventId}#${iso}` : eventId,
            eventId,
            calendarId: e.calendarId,
            uid: e.href,
            summary: e.summary,
            start: iso,
            end: new Date(s + 3_600_000).toISOString(),
            allDay: false,
            pending: false,
            conflict: false,
            ...(series ? { recurrenceId: iso } : {}),
          });
        }
      }
    }
    return result.sort(compareOccurrences);
  }

  async occurrencesOf(calendarId: string, hrefs: readonly string[], start: number, end: number) {
    this.lookups++;
    const result = this.#read([calendarId], start, end).filter((o) =>
      hrefs.some((href) => eventIdOf(calendarId, href) === o.eventId),
    );
    await this.gate;
    return result;
  }

  async calendarIds(): Promise<string[]> {
    return [...this.calendars];
  }

  async spans(calendarId: string, hrefs: readonly string[]) {
    return hrefs.map((href) => {
      const e = this.events.find((x) => x.calendarId === calendarId && x.href === href);
      return e ? { rangeStart: Math.min(...e.starts), rangeEnd: Math.max(...e.starts) + 3_600_000 } : undefined;
    });
  }

  put(event: StoredEvent): void {
    this.events = [...this.events.filter((e) => !(e.calendarId === event.calendarId && e.href === event.href)), event];
  }

  remove(calendarId: string, href: string): void {
    this.events = this.events.filter((e) => !(e.calendarId === calendarId && e.href === href));
  }
}

/** Records every delivery of one watcher. */
function recorder() {
  const calls: Array<{ result: WindowResult; change: Parameters<Deliver>[1]; first: boolean }> = [];
  const deliver: Deliver = (result, change, first) => calls.push({ result, change, first });
  return { calls, deliver, last: () => calls[calls.length - 1] };
}

/** Lets every queued refresh finish (they are promise chains on fakes: no timers). */
async function settled(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function setUp() {
  const source = new FakeSource();
  source.put({ calendarId: 'c1', href: 'a', summary: 'A', starts: [DEC + DAY] });
  source.put({ calendarId: 'c1', href: 'b', summary: 'B', starts: [DEC + 2 * DAY] });
  source.put({ calendarId: 'c1', href: 'jan', summary: 'January', starts: [JAN + DAY] });
  source.put({ calendarId: 'c2', href: 'x', summary: 'X', starts: [DEC + 3 * DAY] });
  return { source, live: new LiveQueries(source, safeLog(undefined)) };
}

describe('LiveQueries', () => {
  it('delivers the current result first, every occurrence added', async () => {
    const { live } = setUp();
    const december = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    expect(december.calls).toHaveLength(1);
    expect(december.last()?.first).toBe(true);
    expect(december.last()?.result.occurrences.map((o) => o.summary)).toEqual(['A', 'B', 'X']);
    expect(december.last()?.change.added).toHaveLength(3);
  });

  it('a change to an object outside the window and never shown in it does not even re-query', async () => {
    const { source, live } = setUp();
    const december = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    const lists = source.lists;
    source.put({ calendarId: 'c1', href: 'jan', summary: 'January, renamed', starts: [JAN + 2 * DAY] });
    live.touched(['c1'], [{ calendarId: 'c1', href: 'jan' }]);
    await settled();
    expect(source.lists).toBe(lists);
    expect(december.calls).toHaveLength(1);
  });

  it('a change in a calendar the watcher does not show wakes nothing', async () => {
    const { source, live } = setUp();
    const c1 = recorder();
    await live.open({ calendarIds: ['c1'], start: DEC, end: JAN }, c1.deliver);
    const lists = source.lists;
    source.put({ calendarId: 'c2', href: 'x', summary: 'X moved', starts: [DEC + 4 * DAY] });
    live.touched(['c2'], [{ calendarId: 'c2', href: 'x' }]);
    live.touched(['c2']);
    await settled();
    expect(source.lists).toBe(lists);
    expect(c1.calls).toHaveLength(1);
  });

  it('an update reports the occurrence as updated; the others keep their identity', async () => {
    const { source, live } = setUp();
    const december = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    const before = december.last()?.result.occurrences ?? [];
    source.put({ calendarId: 'c1', href: 'a', summary: 'A renamed', starts: [DEC + DAY] });
    live.touched(['c1'], [{ calendarId: 'c1', href: 'a' }]);
    await settled();
    expect(december.calls).toHaveLength(2);
    const after = december.last();
    const idA = eventIdOf('c1', 'a');
    expect(after?.change).toEqual({ added: [], removed: [], updated: [idA] });
    expect(after?.result.occurrences[0]?.summary).toBe('A renamed');
    expect(after?.result.occurrences[0]).not.toBe(before[0]);
    expect(after?.result.occurrences[1]).toBe(before[1]);
    expect(after?.result.occurrences[2]).toBe(before[2]);
  });

  it('moving an event out of the window removes it; into another window adds it there', async () => {
    const { source, live } = setUp();
    const december = recorder();
    const january = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    await live.open({ calendarIds: undefined, start: JAN, end: FEB }, january.deliver);
    source.put({ calendarId: 'c1', href: 'b', summary: 'B', starts: [JAN + 5 * DAY] });
    live.touched(['c1'], [{ calendarId: 'c1', href: 'b' }]);
    await settled();
    const idB = eventIdOf('c1', 'b');
    expect(december.last()?.change).toEqual({ added: [], removed: [idB], updated: [] });
    expect(january.last()?.change).toEqual({ added: [idB], removed: [], updated: [] });
  });

  it('a series change wakes every window it expands into', async () => {
    const { source, live } = setUp();
    const december = recorder();
    const january = recorder();
    const february = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    await live.open({ calendarIds: undefined, start: JAN, end: FEB }, january.deliver);
    await live.open({ calendarIds: undefined, start: FEB, end: FEB + 28 * DAY }, february.deliver);
    source.put({
      calendarId: 'c1',
      href: 's',
      summary: 'Weekly',
      starts: [DEC + 20 * DAY, DEC + 27 * DAY, JAN + 2 * DAY],
    });
    live.touched(['c1'], [{ calendarId: 'c1', href: 's' }]);
    await settled();
    expect(december.last()?.change.added).toHaveLength(2);
    expect(january.last()?.change.added).toHaveLength(1);
    expect(february.calls).toHaveLength(1);
  });

  it('a change that leaves the result as it was is not delivered', async () => {
    const { source, live } = setUp();
    const december = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    live.touched(['c1'], [{ calendarId: 'c1', href: 'a' }]);
    live.touched([]);
    await settled();
    expect(source.lists).toBeGreaterThan(1);
    expect(december.calls).toHaveLength(1);
  });

  it('changes made in one task are gathered into one refresh', async () => {
    const { source, live } = setUp();
    const december = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    const lists = source.lists;
    source.remove('c1', 'a');
    live.touched(['c1'], [{ calendarId: 'c1', href: 'a' }]);
    source.remove('c1', 'b');
    live.touched(['c1'], [{ calendarId: 'c1', href: 'b' }]);
    await settled();
    // One refresh that looks up both objects (a patch: the window is not queried again).
    expect(source.lookups).toBe(1);
    expect(source.lists - lists).toBe(0);
    expect(december.calls).toHaveLength(2);
    expect(december.last()?.change.removed).toHaveLength(2);
  });

  it('a calendar added later shows in a watcher over all calendars', async () => {
    const { source, live } = setUp();
    const december = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    source.calendars.push('c3');
    source.put({ calendarId: 'c3', href: 'n', summary: 'New calendar', starts: [DEC + 9 * DAY] });
    live.touched(['c3'], [{ calendarId: 'c3', href: 'n' }]);
    await settled();
    expect(december.last()?.change.added).toEqual([eventIdOf('c3', 'n')]);
  });

  it('a closed watcher hears nothing more', async () => {
    const { source, live } = setUp();
    const december = recorder();
    const close = await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    close();
    source.remove('c1', 'a');
    live.touched(['c1'], [{ calendarId: 'c1', href: 'a' }]);
    await settled();
    expect(december.calls).toHaveLength(1);
    expect(live.size).toBe(0);
  });

  it('a change during the first query is not missed', async () => {
    const { source, live } = setUp();
    const december = recorder();
    let open: () => void = () => undefined;
    source.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const opening = live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    await settled();
    // The first query has read A; A is deleted before its answer arrives.
    expect(source.lists).toBe(1);
    source.remove('c1', 'a');
    live.touched(['c1'], [{ calendarId: 'c1', href: 'a' }]);
    source.gate = undefined;
    open();
    await opening;
    await settled();
    expect(december.calls[0]?.result.occurrences.map((o) => o.summary)).toEqual(['A', 'B', 'X']);
    expect(december.last()?.result.occurrences.map((o) => o.summary)).toEqual(['B', 'X']);
  });

  it('a few changed objects patch the result without querying the window; many query it again', async () => {
    const { source, live } = setUp();
    const december = recorder();
    await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
    const before = december.last()?.result.occurrences ?? [];
    source.put({ calendarId: 'c1', href: 'a', summary: 'A', starts: [DEC + 5 * DAY] });
    live.touched(['c1'], [{ calendarId: 'c1', href: 'a' }]);
    await settled();
    expect(source.lists).toBe(1); // the first result only
    const after = december.last()?.result.occurrences ?? [];
    expect(after.map((o) => o.summary)).toEqual(['B', 'X', 'A']);
    expect(after[0]).toBe(before[1]); // B and X keep their objects
    expect(after[1]).toBe(before[2]);

    const many = Array.from({ length: 65 }, (_, i) => ({ calendarId: 'c2', href: `n${i}` }));
    for (const key of many) source.put({ ...key, summary: key.href, starts: [DEC + 10 * DAY] });
    live.touched(['c2'], many);
    await settled();
    expect(source.lists).toBe(2);
    expect(december.last()?.change.added).toHaveLength(65);
  });

  it('a patched result is the result a new query gives, after any sequence of changes (property)', async () => {
    const summaries = ['Standup', 'Review', 'Lunch'];
    const change = fc.record({
      calendarId: fc.constantFrom('c1', 'c2'),
      href: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      // Undefined: deleted. Starts on a coarse grid, so equal starts (ties on start) are common.
      starts: fc.option(fc.uniqueArray(fc.integer({ min: -4, max: 40 }), { minLength: 1, maxLength: 4 }), {
        nil: undefined,
      }),
      summary: fc.constantFrom(...summaries),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { maxLength: 12 }), async (steps) => {
        const { source, live } = setUp();
        const december = recorder();
        await live.open({ calendarIds: undefined, start: DEC, end: JAN }, december.deliver);
        for (const step of steps) {
          for (const { calendarId, href, starts, summary } of step) {
            if (starts === undefined) source.remove(calendarId, href);
            else source.put({ calendarId, href, summary, starts: starts.map((n) => DEC + n * DAY) });
          }
          live.touched(
            [...new Set(step.map((c) => c.calendarId))],
            step.map(({ calendarId, href }) => ({ calendarId, href })),
          );
          await settled();
          const expected = await source.list(source.calendars, DEC, JAN);
          const shown = december.last()?.result;
          expect(shown?.occurrences.map((o) => o.occurrenceId)).toEqual(expected.map((o) => o.occurrenceId));
          expect(shown?.occurrences).toEqual(expected);
          expect([...(shown?.byId.keys() ?? [])].sort()).toEqual(expected.map((o) => o.occurrenceId).sort());
        }
      }),
      { numRuns: 150 },
    );
  });
});
