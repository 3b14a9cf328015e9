import type { CalendarSync, EventOccurrence, OccurrenceChange, SyncStatus } from '@calsync/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type Harness, openSdk } from './setup.ts';

// watchEvents and watchStatus against real servers: changes from pulls, local edits,
// replays and another tab (a second engine on the same database, over BroadcastChannel)
// reach exactly the watchers whose window they touch, and only when the result changed.

const DECEMBER = { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };
const JANUARY = { start: '2027-01-01T00:00:00Z', end: '2027-02-01T00:00:00Z' };

/** A watcher's calls, and a way to wait for the next one (the listener is the event: no sleeps). */
function watcher() {
  const calls: Array<{ occurrences: readonly EventOccurrence[]; change: OccurrenceChange }> = [];
  let wake: (() => void) | undefined;
  return {
    calls,
    listener: (occurrences: readonly EventOccurrence[], change: OccurrenceChange) => {
      calls.push({ occurrences, change });
      wake?.();
    },
    /** Resolves once the listener has been called `n` times in all. */
    async until(n: number): Promise<void> {
      while (calls.length < n) await new Promise<void>((resolve) => (wake = resolve));
    },
    summaries: (i = calls.length - 1) => calls[i]?.occurrences.map((o) => o.summary) ?? [],
  };
}

describe.each(SERVERS)('live queries on $name', (kind) => {
  let server: DavServer;
  let dav: DavTestClient;
  let h: Harness;
  let calendarId: string;
  let otherCalendarId: string;
  let path: string;
  let n = 0;
  const closers: Array<() => void> = [];

  beforeAll(async () => {
    server = await kind.start();
    dav = server.client();
  });

  beforeEach(async () => {
    n++;
    path = server.calendar(`live${n}`);
    await dav.makeCalendar(path, `Live ${n}`);
    await dav.makeCalendar(server.calendar(`other${n}`), `Other ${n}`);
    await dav.put(`${path}one.ics`, buildIcs({ uid: 'one', summary: 'One', start: '20261210T100000Z' }));
    await dav.put(`${path}two.ics`, buildIcs({ uid: 'two', summary: 'Two', start: '20261211T100000Z' }));
    await dav.put(`${path}jan.ics`, buildIcs({ uid: 'jan', summary: 'January', start: '20270110T100000Z' }));
    h = await openSdk();
    await h.sdk.addAccount({ serverUrl: server.url, username: server.username, password: server.password });
    await h.sdk.sync();
    const calendars = await h.sdk.listCalendars();
    calendarId = calendars.find((c) => c.name === `Live ${n}`)?.id ?? '';
    otherCalendarId = calendars.find((c) => c.name === `Other ${n}`)?.id ?? '';
  });

  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await h.sdk.close();
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function watch(sdk: CalendarSync, query: Parameters<CalendarSync['watchEvents']>[0]) {
    const w = watcher();
    closers.push(await sdk.watchEvents(query, w.listener));
    return w;
  }

  it('starts with the current result, then follows pulls; a change outside the window wakes nobody', async () => {
    const december = await watch(h.sdk, { ...DECEMBER, calendarIds: [calendarId] });
    expect(december.calls).toHaveLength(1);
    expect(december.summaries()).toEqual(['One', 'Two']);
    expect(december.calls[0]?.change.added).toHaveLength(2);

    // Only January changes on the server: the December watcher is not called.
    await dav.put(`${path}jan.ics`, buildIcs({ uid: 'jan', summary: 'January, renamed', start: '20270111T100000Z' }));
    await h.sdk.sync();
    // Then December changes: this is the watcher's second call, so the first sync did not call it.
    await dav.put(`${path}three.ics`, buildIcs({ uid: 'three', summary: 'Three', start: '20261212T100000Z' }));
    await h.sdk.sync();
    await december.until(2);
    expect(december.calls).toHaveLength(2);
    expect(december.summaries()).toEqual(['One', 'Two', 'Three']);
    expect(december.calls[1]?.change).toMatchObject({ removed: [], updated: [] });
    expect(december.calls[1]?.change.added).toHaveLength(1);
    // Unchanged occurrences are the same objects as before.
    expect(december.calls[1]?.occurrences[0]).toBe(december.calls[0]?.occurrences[0]);
  });

  it('local edits, their replay and a delete: updated, then pending cleared, then removed', async () => {
    const december = await watch(h.sdk, DECEMBER);
    const other = await watch(h.sdk, { ...DECEMBER, calendarIds: [otherCalendarId] });
    const one = december.calls[0]?.occurrences.find((o) => o.summary === 'One');
    const two = december.calls[0]?.occurrences.find((o) => o.summary === 'Two');
    await h.sdk.updateEvent(one?.eventId ?? '', { summary: 'One, edited' });
    await december.until(2);
    expect(december.calls[1]?.change).toEqual({ added: [], removed: [], updated: [one?.occurrenceId] });
    const edited = december.calls[1]?.occurrences.find((o) => o.occurrenceId === one?.occurrenceId);
    expect(edited).toMatchObject({ summary: 'One, edited', pending: true });
    expect(december.calls[1]?.occurrences.find((o) => o.summary === 'Two')).toBe(two);

    await h.sdk.sync();
    await december.until(3);
    expect(december.calls[2]?.occurrences.find((o) => o.occurrenceId === one?.occurrenceId)?.pending).toBe(false);

    await h.sdk.deleteEvent(two?.eventId ?? '');
    await december.until(4);
    expect(december.calls[3]?.change.removed).toEqual([two?.occurrenceId]);
    // The watcher over the other calendar never heard of any of it.
    expect(other.calls).toHaveLength(1);
  });

  it('a series edit wakes every window it expands into, and a month it leaves', async () => {
    const december = await watch(h.sdk, DECEMBER);
    const january = await watch(h.sdk, JANUARY);
    const created = await h.sdk.createEvent(calendarId, {
      summary: 'Weekly',
      start: '2026-12-28T09:00:00Z',
      end: '2026-12-28T10:00:00Z',
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    await december.until(2);
    await january.until(2);
    expect(december.calls[1]?.change.added).toHaveLength(1);
    expect(january.calls[1]?.change.added).toHaveLength(2);
    // Moving the whole series into January removes its December occurrence.
    await h.sdk.updateEvent(created.eventId, { start: '2027-01-04T09:00:00Z', end: '2027-01-04T10:00:00Z' });
    await december.until(3);
    await january.until(3);
    expect(december.calls[2]?.change.removed).toHaveLength(1);
    expect(january.summaries().filter((s) => s === 'Weekly')).toHaveLength(3);
  });

  it('an edit in another tab reaches this tab’s watcher without a sync; watchStatus follows the outbox', async () => {
    const tabB = await openSdkOnSameDatabase(h);
    try {
      const inB = watcher();
      closers.push(await tabB.watchEvents(DECEMBER, inB.listener));
      const statuses: SyncStatus[] = [];
      let statusWake: (() => void) | undefined;
      closers.push(
        await tabB.watchStatus((status) => {
          statuses.push(status);
          statusWake?.();
        }),
      );
      expect(statuses[0]?.pendingCount).toBe(0);
      await h.sdk.createEvent(calendarId, {
        summary: 'From tab A',
        start: '2026-12-20T10:00:00Z',
        end: '2026-12-20T11:00:00Z',
      });
      await inB.until(2);
      expect(inB.summaries()).toContain('From tab A');
      expect(inB.calls[1]?.change.added).toHaveLength(1);
      while (!statuses.some((s) => s.pendingCount === 1)) await new Promise<void>((r) => (statusWake = r));
      await h.sdk.sync();
      await inB.until(3);
      expect(inB.calls[2]?.occurrences.find((o) => o.summary === 'From tab A')?.pending).toBe(false);
      while (statuses[statuses.length - 1]?.pendingCount !== 0) await new Promise<void>((r) => (statusWake = r));
      // Consecutive statuses always differ (no repeated calls with the same status).
      for (let i = 1; i < statuses.length; i++) expect(statuses[i]).not.toEqual(statuses[i - 1]);
    } finally {
      await tabB.close();
    }
  });

  it('watchStatus in this tab: syncing, then lastSyncAt and pending count', async () => {
    const statuses: SyncStatus[] = [];
    closers.push(await h.sdk.watchStatus((s) => statuses.push(s)));
    await h.sdk.createEvent(calendarId, {
      summary: 'Pending',
      start: '2026-12-21T10:00:00Z',
      end: '2026-12-21T11:00:00Z',
    });
    expect(statuses[statuses.length - 1]?.pendingCount).toBe(1);
    const before = statuses.length;
    await h.sdk.sync();
    const during = statuses.slice(before);
    expect(during.some((s) => s.syncing)).toBe(true);
    expect(statuses[statuses.length - 1]).toMatchObject({ syncing: false, pendingCount: 0, online: true });
    expect(statuses[statuses.length - 1]?.lastSyncAt).toBeDefined();
  });

  it('rejects a bad window with invalid-input and keeps working', async () => {
    const error = await h.sdk
      .watchEvents({ start: DECEMBER.end, end: DECEMBER.start }, () => undefined)
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('invalid-input');
    const december = await watch(h.sdk, DECEMBER);
    expect(december.calls).toHaveLength(1);
  });
});

/** A second engine on the same (fake) IndexedDB database: what a second tab is. */
async function openSdkOnSameDatabase(h: Harness): Promise<CalendarSync> {
  const second = await openSdk(h.idb, h.dbName);
  return second.sdk;
}
