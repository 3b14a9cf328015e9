import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { toObjectRecord } from '../model/object-record.ts';
import { CalsyncStore } from '../store/store.ts';
import type { ServerIssue } from '../transport/members.ts';
import type { CalDavTransport, MultigetItem, SyncCollectionResult } from '../transport/port.ts';
import { pullCalendar } from './pull.ts';
import type { PullContext } from './pull-context.ts';
import { CAL, calendar, remote } from './test-calendar.ts';

// Pulls against servers that leave things out or send what cannot be parsed: nothing
// stored may be lost, nothing unsaid may read as a deletion, one bad object never stops
// the rest.

const href = (name: string) => `${CAL}${name}.ics`;
const ics = (uid: string, summary = uid) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

const badData = () => new CalsyncError('bad-data', 'Server sent malformed or truncated XML: disallowed character.');

/** A fake server: `objects` holds what multiget can return; `poison` hrefs break any answer that includes them. */
function server(options: {
  sync?: (token: string | null, withData: boolean) => SyncCollectionResult | Error;
  objects: Map<string, string>;
  unavailable?: Set<string>;
  poison?: Set<string>;
  etags?: () => Array<{ href: string; etag: string | undefined }>;
}) {
  const calls: string[] = [];
  const transport: CalDavTransport = {
    discover: async () => ({ principalUrl: '', homeUrl: '' }),
    listCalendars: async () => [],
    syncCollection: async (_url, token, { withData }) => {
      calls.push(`sync ${token ?? 'null'} ${withData ? 'data' : 'etag'}`);
      const result = options.sync?.(token, withData);
      if (!result) throw new Error('unscripted sync call');
      if (result instanceof Error) throw result;
      return result;
    },
    fetchAll: async () => {
      calls.push('all');
      if ([...(options.poison ?? [])].some((h) => options.objects.has(h))) throw badData();
      return [...options.objects].map(([h, data]) => ({ href: h, etag: `"${data.length}"`, data }));
    },
    listEtags: async () => {
      calls.push('etags');
      return options.etags?.() ?? [...options.objects].map(([h, data]) => ({ href: h, etag: `"${data.length}"` }));
    },
    multiget: async (_url, hrefs) => {
      calls.push(`multiget ${hrefs.length}`);
      if (hrefs.some((h) => options.poison?.has(h))) throw badData();
      return hrefs.map((h): MultigetItem => {
        if (options.unavailable?.has(h)) return { href: h, ok: false, gone: false, reason: 'missing' };
        const data = options.objects.get(h);
        return data === undefined
          ? { href: h, ok: false, gone: true }
          : { href: h, ok: true, etag: `"${data.length}"`, data };
      });
    },
  };
  return { transport, calls };
}

/** A store with the calendar, a context reporting into `issues`, fresh for every test. */
let store: CalsyncStore;
let issues: ServerIssue[];
const ctx = (transport: CalDavTransport): PullContext => ({
  transport,
  store,
  now: () => 1_000,
  reconcileAfterMs: 86_400_000,
  multigetBatch: 8,
  storeBatch: 100,
  onProgress: () => undefined,
  report: (issue) => issues.push(issue),
});

beforeEach(async () => {
  store = await CalsyncStore.open(new IDBFactory(), `pull-untrusted-${Math.random()}`);
  await store.putCalendar(calendar);
  issues = [];
});

describe('pulls from servers that leave things out', () => {
  async function seed(names: string[], token: string) {
    await store.applyObjects(calendar.id, {
      puts: names.map((n) => toObjectRecord(calendar.id, href(n), '"old"', ics(n, `${n} v1`))),
      deletes: [],
      syncState: { calendarId: calendar.id, token, lastFullSyncAt: 1_000 },
    });
  }

  it('keeps the stored version of an object whose data the server left out, and asks again next time', async () => {
    await seed(['a', 'b'], 't1');
    const objects = new Map([[href('a'), ics('a', 'a v2')]]);
    const unavailable = new Set([href('a')]);
    const { transport, calls } = server({
      objects,
      unavailable,
      sync: () => ({
        kind: 'changes',
        token: 't2',
        changed: [{ href: href('a'), etag: '"new"', data: undefined }],
        deleted: [],
        unavailable: [href('b')],
        more: false,
      }),
    });
    const first = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 't2' }));
    expect(first.deleted).toBe(0);
    expect((await store.getObject(calendar.id, href('a')))?.summary).toBe('a v1');
    expect((await store.getObject(calendar.id, href('b')))?.summary).toBe('b v1');
    expect((await store.getSyncState(calendar.id))?.retry?.sort()).toEqual([href('a'), href('b')]);
    expect(calls).toEqual(['sync t1 data', 'multiget 1']);

    // Next round: the token says nothing changed, but the waiting objects are asked for.
    unavailable.clear();
    objects.set(href('b'), ics('b', 'b v2'));
    calls.length = 0;
    const second = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 't2' }));
    expect(calls).toEqual(['multiget 2']);
    expect(second.changed).toBe(2);
    expect((await store.getObject(calendar.id, href('a')))?.summary).toBe('a v2');
    expect((await store.getObject(calendar.id, href('b')))?.summary).toBe('b v2');
    expect((await store.getSyncState(calendar.id))?.retry).toBeUndefined();
    expect((await store.getSyncState(calendar.id))?.token).toBe('t2');
  });

  it('keeps at most 1,000 objects waiting for a retry', async () => {
    await seed([], 't1');
    const many = Array.from({ length: 1500 }, (_, i) => href(`x${i}`));
    const { transport } = server({
      objects: new Map(),
      sync: () => ({ kind: 'changes', token: 't2', changed: [], deleted: [], unavailable: many, more: false }),
    });
    await pullCalendar(ctx(transport), calendar, remote({ syncToken: 't2' }));
    expect((await store.getSyncState(calendar.id))?.retry).toHaveLength(1000);
  });

  it('does not sweep what a complete listing named but could not deliver', async () => {
    await seed(['a', 'b', 'c'], 't1');
    const objects = new Map([
      [href('a'), ics('a', 'a v2')],
      [href('b'), ics('b', 'b v2')],
    ]);
    const { transport } = server({
      objects,
      unavailable: new Set([href('a')]),
      etags: () => [
        { href: href('a'), etag: '"2"' },
        { href: href('b'), etag: undefined }, // no ETag listed: fetched, never taken as unchanged
      ],
    });
    const result = await pullCalendar(
      ctx(transport),
      { ...calendar, supportsSyncCollection: false },
      remote({ supportsSyncCollection: false }),
    );
    expect(result.mode).toBe('etag-listing');
    expect(result.deleted).toBe(1); // only c, which the listing did not name
    expect((await store.getObject(calendar.id, href('a')))?.summary).toBe('a v1');
    expect((await store.getObject(calendar.id, href('b')))?.summary).toBe('b v2');
    expect(await store.getObject(calendar.id, href('c'))).toBeUndefined();
  });
});

describe('pulls from servers whose answer cannot be parsed as a whole', () => {
  const names = Array.from({ length: 8 }, (_, i) => `e${i}`);

  it('first download: falls back to a listing without data and multigets in halves; the bad object is flagged, the rest sync', async () => {
    const objects = new Map(names.map((n) => [href(n), ics(n)]));
    const poison = new Set([href('e5')]);
    const { transport, calls } = server({
      objects,
      poison,
      sync: (_token, withData) =>
        withData
          ? badData()
          : {
              kind: 'changes',
              token: 't1',
              changed: names.map((n) => ({ href: href(n), etag: `"${n}"`, data: undefined })),
              deleted: [],
              unavailable: [],
              more: false,
            },
    });
    const result = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 't0' }));
    expect(result.changed).toBe(8);
    expect(result.invalid).toBe(1);
    const bad = await store.getObject(calendar.id, href('e5'));
    expect(bad).toMatchObject({ state: 'bad', etag: '"e5"' });
    for (const n of names.filter((n) => n !== 'e5')) {
      expect((await store.getObject(calendar.id, href(n)))?.state).toBe('ok');
    }
    // One query and one sync-collection with data fail; the listing without data works;
    // then halves, depth first (8 → 4 ok + 4 → 2 → 1 + 1, 2 ok): a few requests for one bad object.
    expect(calls).toEqual([
      'all',
      'sync null data',
      'sync null etag',
      'multiget 8',
      'multiget 4',
      'multiget 4',
      'multiget 2',
      'multiget 1',
      'multiget 1',
      'multiget 2',
    ]);
    expect(issues.map((i) => [i.kind, i.href])).toEqual([['object-unreadable', href('e5')]]);
    expect((await store.getSyncState(calendar.id))?.token).toBe('t1');
  });

  it('an incremental change that cannot be parsed keeps the previous ICS, flagged, and the rest applies', async () => {
    await store.applyObjects(calendar.id, {
      puts: ['a', 'b'].map((n) => toObjectRecord(calendar.id, href(n), '"old"', ics(n, `${n} v1`))),
      deletes: [],
      syncState: { calendarId: calendar.id, token: 't1', lastFullSyncAt: 1_000 },
    });
    const objects = new Map([
      [href('a'), ics('a', 'a v2')],
      [href('b'), ics('b', 'b v2')],
    ]);
    const { transport } = server({
      objects,
      poison: new Set([href('a')]),
      sync: (_token, withData) =>
        withData
          ? badData()
          : {
              kind: 'changes',
              token: 't2',
              changed: ['a', 'b'].map((n) => ({ href: href(n), etag: '"new"', data: undefined })),
              deleted: [],
              unavailable: [],
              more: false,
            },
    });
    await pullCalendar(ctx(transport), calendar, remote({ syncToken: 't2' }));
    expect(await store.getObject(calendar.id, href('a'))).toMatchObject({
      state: 'bad',
      etag: '"new"',
      ics: ics('a', 'a v1'),
    });
    expect((await store.getObject(calendar.id, href('b')))?.summary).toBe('b v2');
  });

  it('a server without sync-collection: the etag listing plus halving multigets do the same', async () => {
    const objects = new Map(names.map((n) => [href(n), ics(n)]));
    const { transport, calls } = server({ objects, poison: new Set([href('e0')]) });
    const result = await pullCalendar(
      ctx(transport),
      { ...calendar, supportsSyncCollection: false },
      remote({ supportsSyncCollection: false }),
    );
    expect(result.mode).toBe('etag-listing');
    expect(result.changed).toBe(8);
    expect(result.invalid).toBe(1);
    expect(calls[0]).toBe('all');
    expect(calls[1]).toBe('etags');
  });
});
