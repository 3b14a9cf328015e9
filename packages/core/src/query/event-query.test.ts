import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compareOccurrences } from '../live/window-patch.ts';
import { eventIdOf } from '../model/ids.ts';
import { toObjectRecord } from '../model/object-record.ts';
import { CalsyncStore } from '../store/store.ts';
import { EventQueryCache } from './event-query.ts';
import { OccurrenceCache } from './occurrence-cache.ts';
import { unpackOccurrences } from './packed.ts';

const ics = (uid: string, summary: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const weekly = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\nDTEND:20260105T110000Z\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const START = Date.UTC(2026, 11, 1);
const END = Date.UTC(2026, 11, 2);

describe('EventQueryCache.replace', () => {
  let store: CalsyncStore;
  beforeEach(async () => {
    store = await CalsyncStore.open(new IDBFactory(), 'query-test');
  });

  it('indexes a first download from the records given, without reading them back', async () => {
    const rows = ['a', 'b'].map((uid) => toObjectRecord('c1', `/c1/${uid}.ics`, '"1"', ics(uid, uid.toUpperCase())));
    await store.applyObjects('c1', { puts: rows, deletes: [] });
    const read = vi.spyOn(store, 'objectsOfCalendar');
    const cache = new EventQueryCache(store);
    cache.replace('c1', rows);
    expect((await cache.list(['c1'], START, END)).map((o) => o.summary)).toEqual(['A', 'B']);
    expect(read).not.toHaveBeenCalled();
  });

  it('reads the stored rows when the calendar has local edits, which the records do not show', async () => {
    const server = toObjectRecord('c1', '/c1/a.ics', '"1"', ics('a', 'Server'));
    const local = { ...toObjectRecord('c1', '/c1/a.ics', '"1"', ics('a', 'Mine')), pending: true };
    await store.outbox.recordChanges([
      {
        calendarId: 'c1',
        href: '/c1/a.ics',
        row: local,
        entry: {
          id: 'e1',
          calendarId: 'c1',
          accountId: 'a1',
          href: '/c1/a.ics',
          op: 'create',
          ics: local.ics,
          createdAt: 0,
          updatedAt: 0,
          revision: 1,
          attempts: 0,
          state: 'pending',
        },
      },
    ]);
    const cache = new EventQueryCache(store);
    cache.replace('c1', [server]);
    const listed = await cache.list(['c1'], START, END);
    expect(listed.map((o) => [o.summary, o.pending])).toEqual([['Mine', true]]);
  });
});

describe('EventQueryCache warm-up', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('expands the series of every calendar of a query ahead, not just the last one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const store = await CalsyncStore.open(new IDBFactory(), 'warm-test');
    for (const calendarId of ['c1', 'c2']) {
      const row = toObjectRecord(calendarId, `/${calendarId}/s.ics`, '"1"', weekly(`series-${calendarId}`));
      await store.applyObjects(calendarId, { puts: [row], deletes: [] });
    }
    const warmed = new Set<string>();
    const warm = OccurrenceCache.prototype.warm;
    vi.spyOn(OccurrenceCache.prototype, 'warm').mockImplementation(function (this: OccurrenceCache, start, end) {
      warmed.add(String((this as unknown as { ics: string }).ics.match(/UID:(\S+)/)?.[1]));
      warm.call(this, start, end);
    });
    const cache = new EventQueryCache(store);
    await cache.list(['c1', 'c2'], Date.UTC(2026, 5, 1), Date.UTC(2026, 6, 1));
    await vi.runAllTimersAsync();
    expect([...warmed].sort()).toEqual(['series-c1', 'series-c2']);
    cache.stop();
  });
});

describe('EventQueryCache.hold', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('keeps background expansion waiting while held (a sync round runs), then resumes it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const store = await CalsyncStore.open(new IDBFactory(), 'hold-test');
    await store.applyObjects('c1', { puts: [toObjectRecord('c1', '/c1/s.ics', '"1"', weekly('s'))], deletes: [] });
    const warm = vi.spyOn(OccurrenceCache.prototype, 'warm');
    const cache = new EventQueryCache(store);
    cache.hold();
    await cache.list(['c1'], Date.UTC(2026, 5, 1), Date.UTC(2026, 6, 1));
    await vi.runAllTimersAsync();
    expect(warm).not.toHaveBeenCalled();
    cache.release();
    await vi.runAllTimersAsync();
    expect(warm).toHaveBeenCalled();
    cache.stop();
  });
});

describe('EventQueryCache warm-up timing', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('waits for 50 ms without queries, so a burst of queries is not slowed by it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const store = await CalsyncStore.open(new IDBFactory(), 'quiet-test');
    await store.applyObjects('c1', { puts: [toObjectRecord('c1', '/c1/s.ics', '"1"', weekly('s'))], deletes: [] });
    const warm = vi.spyOn(OccurrenceCache.prototype, 'warm');
    const cache = new EventQueryCache(store);
    await cache.list(['c1'], Date.UTC(2026, 5, 1), Date.UTC(2026, 6, 1));
    await vi.advanceTimersByTimeAsync(30);
    await cache.list(['c1'], Date.UTC(2026, 6, 1), Date.UTC(2026, 7, 1));
    await vi.advanceTimersByTimeAsync(40);
    expect(warm).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(20);
    expect(warm).toHaveBeenCalled();
    cache.stop();
  });

  it('after an index load it waits for a quiet spell too (a load is mostly for a query about to run)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const store = await CalsyncStore.open(new IDBFactory(), 'load-quiet-test');
    await store.applyObjects('c1', { puts: [toObjectRecord('c1', '/c1/s.ics', '"1"', weekly('s'))], deletes: [] });
    const warm = vi.spyOn(OccurrenceCache.prototype, 'warm');
    const cache = new EventQueryCache(store);
    // Loads the index without a query.
    expect(await cache.hasUid('c1', 's')).toBe(true);
    await vi.advanceTimersByTimeAsync(30);
    expect(warm).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(30);
    expect(warm).toHaveBeenCalled();
    cache.stop();
  });
});

describe('EventQueryCache.listPacked', () => {
  it('unpacks to exactly what list answers, sharing the fields of a series once', async () => {
    const store = await CalsyncStore.open(new IDBFactory(), 'packed-test');
    const series = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:t',
      'BEGIN:VEVENT',
      'UID:standup',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20261201T090000Z',
      'DTEND:20261201T091500Z',
      'RRULE:FREQ=DAILY;COUNT=10',
      'SUMMARY:Standup',
      'LOCATION:Room 1',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:standup',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20261203T090000Z',
      'DTSTART:20261203T100000Z',
      'DTEND:20261203T101500Z',
      'SUMMARY:Standup (moved)',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const rows = [
      toObjectRecord('c1', '/c1/standup.ics', '"1"', series),
      toObjectRecord('c1', '/c1/a.ics', '"1"', ics('a', 'Single')),
    ];
    await store.applyObjects('c1', { puts: rows, deletes: [] });
    const cache = new EventQueryCache(store);
    const start = Date.UTC(2026, 11, 1);
    const end = Date.UTC(2026, 11, 15);
    const listed = await cache.list(['c1'], start, end);
    const packed = await cache.listPacked(['c1'], start, end);
    expect(listed).toHaveLength(11);
    expect(unpackOccurrences(packed)).toStrictEqual(listed);
    // Occurrence ids: the event id for the single, event id # recurrence id for each instance; all distinct.
    const ids = listed.map((o) => o.occurrenceId);
    expect(new Set(ids).size).toBe(11);
    expect(ids).toContain('c1|/c1/a.ics');
    expect(ids).toContain('c1|/c1/standup.ics#2026-12-03T09:00:00.000Z');
    for (const o of listed) expect(o.occurrenceId).toBe(o.recurrenceId ? `${o.eventId}#${o.recurrenceId}` : o.eventId);
    // Series (9 plain + 1 moved occurrence) and the single: 3 distinct field sets.
    expect(packed.shared.eventId).toHaveLength(3);
    expect(packed.shared.flags).toBeInstanceOf(Uint8Array);
    expect(packed.refs).toBeInstanceOf(Uint32Array);
    cache.stop();
  });
});

describe('floating times', () => {
  it('occurrences of floating events say so (single and series, packed too); UTC ones do not', async () => {
    const store = await CalsyncStore.open(new IDBFactory(), 'query-floating');
    const floating = ics('f', 'Floating')
      .replace('DTSTART:20261201T100000Z', 'DTSTART:20261201T100000')
      .replace('DTEND:20261201T110000Z', 'DTEND:20261201T110000');
    const series = weekly('s')
      .replace('DTSTART:20260105T100000Z', 'DTSTART:20260105T100000')
      .replace('DTEND:20260105T110000Z', 'DTEND:20260105T110000');
    const rows = [
      toObjectRecord('c1', '/c1/f.ics', '"1"', floating),
      toObjectRecord('c1', '/c1/s.ics', '"1"', series),
      toObjectRecord('c1', '/c1/u.ics', '"1"', ics('u', 'UTC')),
    ];
    await store.applyObjects('c1', { puts: rows, deletes: [] });
    const cache = new EventQueryCache(store);
    const week = [Date.UTC(2026, 10, 30), Date.UTC(2026, 11, 7)] as const;
    const list = await cache.list(['c1'], ...week);
    const flags = Object.fromEntries(list.map((o) => [o.summary, o.floating]));
    expect(flags).toEqual({ Floating: true, s: true, UTC: undefined });
    // Wall time written as UTC: 10:00 stays 10:00.
    expect(list.find((o) => o.summary === 'Floating')?.start).toBe('2026-12-01T10:00:00.000Z');
    const packed = unpackOccurrences(await cache.listPacked(['c1'], ...week));
    expect(Object.fromEntries(packed.map((o) => [o.summary, o.floating]))).toEqual(flags);
    store.close();
  });
});

describe('EventQueryCache.occurrencesOf', () => {
  const vevent = (uid: string, summary: string, lines: string[]) =>
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n${lines.join('\r\n')}\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  const rows = [
    vevent('utc-b', 'B', ['DTSTART:20261207T090000Z', 'DTEND:20261207T100000Z']),
    vevent('utc-a', 'A', ['DTSTART:20261207T090000Z', 'DTEND:20261207T100000Z']),
    vevent('berlin', 'Berlin', [
      'DTSTART;TZID=Europe/Berlin:20261207T100000',
      'DTEND;TZID=Europe/Berlin:20261207T110000',
    ]),
    vevent('floating', 'Floating', ['DTSTART:20261207T090000', 'DTEND:20261207T093000']),
    vevent('allday', 'Holiday', ['DTSTART;VALUE=DATE:20261207', 'DTEND;VALUE=DATE:20261208']),
    vevent('allday-z', 'A holiday', ['DTSTART;VALUE=DATE:20261207', 'DTEND;VALUE=DATE:20261209']),
    vevent('daily', 'Daily', ['DTSTART:20261201T090000Z', 'DTEND:20261201T091500Z', 'RRULE:FREQ=DAILY;COUNT=20']),
    vevent('ny', 'New York', [
      'DTSTART;TZID=America/New_York:20261206T220000',
      'DTEND;TZID=America/New_York:20261206T230000',
    ]),
  ].map((text, i) => toObjectRecord('c1', `/c1/${i}.ics`, '"1"', text));
  const DEC = Date.UTC(2026, 11, 1);
  const JAN = Date.UTC(2027, 0, 1);

  it('answers the occurrences of just those objects as list does, in the order live patches merge by', async () => {
    const store = await CalsyncStore.open(new IDBFactory(), `occurrences-of-${Math.random()}`);
    await store.applyObjects('c1', { puts: rows, deletes: [] });
    const cache = new EventQueryCache(store);
    const all = await cache.list(['c1'], DEC, JAN);
    expect(all.length).toBeGreaterThan(25);
    // compareOccurrences (live/window-patch.ts) sorts built occurrences exactly as the query does.
    expect([...all].sort(compareOccurrences).map((o) => o.occurrenceId)).toEqual(all.map((o) => o.occurrenceId));
    for (const picked of [[0, 1], [2, 3, 4], [5, 6], [7], [0, 6, 3]]) {
      const hrefs = picked.map((i) => rows[i]?.href ?? '');
      const eventIds = new Set(hrefs.map((href) => eventIdOf('c1', href)));
      expect(await cache.occurrencesOf('c1', hrefs, DEC, JAN)).toEqual(all.filter((o) => eventIds.has(o.eventId)));
    }
    expect(await cache.occurrencesOf('c1', ['/c1/none.ics'], DEC, JAN)).toEqual([]);
    // A narrower window: only the occurrences inside it.
    const week = await cache.list(['c1'], Date.UTC(2026, 11, 7), Date.UTC(2026, 11, 14));
    expect(
      await cache.occurrencesOf('c1', [rows[6]?.href ?? ''], Date.UTC(2026, 11, 7), Date.UTC(2026, 11, 14)),
    ).toEqual(week.filter((o) => o.eventId === eventIdOf('c1', rows[6]?.href ?? '')));
  });
});

describe('EventQueryCache.representatives', () => {
  const vevent = (uid: string, lines: string[]) =>
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20200101T000000Z\r\n${lines.join('\r\n')}\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  const NOW = Date.UTC(2026, 11, 2, 12);
  const series = {
    daily: ['DTSTART:20200101T090000Z', 'DTEND:20200101T093000Z', 'RRULE:FREQ=DAILY'],
    ended: ['DTSTART:20200106T090000Z', 'DTEND:20200106T100000Z', 'RRULE:FREQ=WEEKLY;UNTIL=20230102T090000Z'],
    yearly: ['DTSTART:20210301T090000Z', 'DTEND:20210301T100000Z', 'RRULE:FREQ=YEARLY;INTERVAL=3'],
    // Long occurrences (3 days) every 10 days, ended: one started before the last look-back
    // window overlaps it, and must not be taken for the last.
    long: ['DTSTART:20240101T000000Z', 'DTEND:20240104T000000Z', 'RRULE:FREQ=DAILY;INTERVAL=10;COUNT=40'],
  };
  const rows = Object.entries(series).map(([uid, lines]) =>
    toObjectRecord('c1', `/c1/${uid}.ics`, '"1"', vevent(uid, lines)),
  );

  it('a series stands for itself by its next occurrence from now, an ended one by its last, a window by its first in it', async () => {
    const store = await CalsyncStore.open(new IDBFactory(), `representatives-${Math.random()}`);
    await store.applyObjects('c1', { puts: rows, deletes: [] });
    const cache = new EventQueryCache(store);
    const hrefs = rows.map((r) => r.href);
    const [daily, ended, yearly, long] = await cache.representatives('c1', hrefs, {}, NOW);
    expect(daily?.start).toBe('2026-12-03T09:00:00.000Z');
    expect(ended?.start).toBe('2023-01-02T09:00:00.000Z'); // UNTIL is inclusive
    expect(yearly?.start).toBe('2027-03-01T09:00:00.000Z');
    // The same as the last occurrence a whole listing of its span gives.
    const all = await cache.list(['c1'], Date.UTC(2023, 0, 1), Date.UTC(2026, 0, 1));
    expect(long?.start).toBe(all.filter((o) => o.uid === 'long').at(-1)?.start);
    const [inWindow] = await cache.representatives('c1', [hrefs[2] ?? ''], { start: Date.UTC(2030, 0, 1) }, NOW);
    expect(inWindow?.start).toBe('2030-03-01T09:00:00.000Z');
    const [none] = await cache.representatives('c1', [hrefs[1] ?? ''], { start: Date.UTC(2024, 0, 1) }, NOW);
    expect(none).toBeUndefined();
  });
});

describe('EventQueryCache.hasUid', () => {
  it('knows the UIDs of the stored objects of one calendar, following patches (what createEvent checks)', async () => {
    const store = await CalsyncStore.open(new IDBFactory(), `has-uid-${Math.random()}`);
    await store.applyObjects('c1', {
      puts: [
        toObjectRecord('c1', '/c1/a.ics', '"1"', ics('u', 'A')),
        toObjectRecord('c1', '/c1/s.ics', '"1"', weekly('s')),
      ],
      deletes: [],
    });
    await store.applyObjects('c10', { puts: [toObjectRecord('c10', '/c10/a.ics', '"1"', ics('v', 'V'))], deletes: [] });
    const cache = new EventQueryCache(store);
    expect(await cache.hasUid('c1', 'u')).toBe(true);
    expect(await cache.hasUid('c1', 's')).toBe(true); // a series
    expect(await cache.hasUid('c1', 'v')).toBe(false); // another calendar's (c1 vs c10)
    await store.applyObjects('c1', {
      puts: [toObjectRecord('c1', '/c1/a.ics', '"2"', ics('w', 'A'))],
      deletes: ['/c1/s.ics'],
    });
    cache.update('c1', ['/c1/a.ics', '/c1/s.ics']);
    expect(await cache.hasUid('c1', 'u')).toBe(false);
    expect(await cache.hasUid('c1', 's')).toBe(false);
    expect(await cache.hasUid('c1', 'w')).toBe(true);
    // A row that could not be read has no UID to take.
    await store.applyObjects('c1', { puts: [toObjectRecord('c1', '/c1/bad.ics', '"1"', 'not ics')], deletes: [] });
    cache.update('c1', ['/c1/bad.ics']);
    expect(await cache.hasUid('c1', 'w')).toBe(true);
  });
});

describe('EventQueryCache.update with the rows just stored', () => {
  it('patches at once, reading nothing, also for edits in quick succession', async () => {
    const store = await CalsyncStore.open(new IDBFactory(), `update-rows-${Math.random()}`);
    const a = toObjectRecord('c1', '/c1/a.ics', '"1"', ics('a', 'A'));
    await store.applyObjects('c1', { puts: [a, toObjectRecord('c1', '/c1/b.ics', '"1"', ics('b', 'B'))], deletes: [] });
    const cache = new EventQueryCache(store);
    expect((await cache.list(['c1'], START, END)).map((o) => o.summary)).toEqual(['A', 'B']);
    const reads = vi.spyOn(store, 'getObject');
    const loads = vi.spyOn(store, 'objectsOfCalendar');
    cache.update(
      'c1',
      ['/c1/a.ics'],
      [{ ...toObjectRecord('c1', '/c1/a.ics', undefined, ics('a', 'A2')), pending: true }],
    );
    cache.update('c1', ['/c1/b.ics'], [undefined]);
    const listed = await cache.list(['c1'], START, END);
    expect(listed.map((o) => [o.summary, o.pending])).toEqual([['A2', true]]);
    expect(reads).not.toHaveBeenCalled();
    expect(loads).not.toHaveBeenCalled();
  });
});
