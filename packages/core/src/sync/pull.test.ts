import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { toObjectRecord } from '../model/object-record.ts';
import { createLocal } from '../outbox/local-edits.ts';
import { uidInUseOf } from '../outbox/test-edit-deps.ts';
import { CalsyncStore } from '../store/store.ts';
import type { CalDavTransport, RemoteChange, SyncCollectionResult } from '../transport/port.ts';
import { pullCalendar } from './pull.ts';
import type { PullContext } from './pull-context.ts';
import { CAL, calendar, remote } from './test-calendar.ts';

const ics = (uid: string, day = '01') =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:202612${day}T100000Z\r\nDTEND:202612${day}T110000Z\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

/** A scripted transport: each call takes the next scripted answer; calls are recorded. */
function scripted(script: {
  sync?: Array<SyncCollectionResult | Error>;
  etags?: Array<{ href: string; etag: string }>;
  objects?: Record<string, string>;
  /** What fetchAll answers: the objects, 'truncated' (undefined), or an error. Unset: truncated. */
  all?: RemoteChange[] | 'truncated' | Error;
}) {
  const calls: string[] = [];
  const transport: CalDavTransport = {
    discover: async () => ({ principalUrl: '', homeUrl: '' }),
    listCalendars: async () => [],
    syncCollection: async (_url, token, { withData }) => {
      calls.push(`sync ${token ?? 'null'} ${withData ? 'data' : 'etag'}`);
      const next = script.sync?.shift();
      if (!next) throw new Error('unscripted sync call');
      if (next instanceof Error) throw next;
      return next;
    },
    fetchAll: async () => {
      calls.push('all');
      if (script.all instanceof Error) throw script.all;
      return script.all === 'truncated' || script.all === undefined ? undefined : script.all;
    },
    listEtags: async () => {
      calls.push('etags');
      return script.etags ?? [];
    },
    multiget: async (_url, hrefs) => {
      calls.push(`multiget ${hrefs.length}`);
      return hrefs
        .filter((h) => !h.endsWith('silent'))
        .map((href) => {
          const data = script.objects?.[href];
          return data === undefined
            ? { href, ok: false as const, gone: true as const }
            : { href, ok: true as const, etag: '"e"', data };
        });
    },
  };
  return { transport, calls };
}

/** A pull context over `store` with tiny batches, so batching paths run. */
const contextFor = (store: CalsyncStore, transport: CalDavTransport): PullContext => ({
  transport,
  store,
  now: () => 1_000,
  reconcileAfterMs: 86_400_000,
  multigetBatch: 2,
  storeBatch: 2,
  onProgress: () => undefined,
  report: () => undefined,
});

describe('pullCalendar', () => {
  let store: CalsyncStore;
  const ctx = (transport: CalDavTransport) => contextFor(store, transport);

  beforeEach(async () => {
    store = await CalsyncStore.open(new IDBFactory(), 'pull-test');
    await store.putCalendar(calendar);
  });

  it('follows 507 pages and commits the token only after the last page', async () => {
    const { transport, calls } = scripted({
      sync: [
        {
          kind: 'changes',
          token: 't1',
          changed: [{ href: `${CAL}a`, etag: '"1"', data: ics('a') }],
          deleted: [],
          unavailable: [],
          more: true,
        },
        {
          kind: 'changes',
          token: 't2',
          changed: [{ href: `${CAL}b`, etag: '"1"', data: ics('b') }],
          deleted: [],
          unavailable: [],
          more: false,
        },
      ],
    });
    const result = await pullCalendar(ctx(transport), calendar, remote());
    expect(calls).toEqual(['sync null data', 'sync t1 data']);
    expect(result.changed).toBe(2);
    expect((await store.getSyncState('c1'))?.token).toBe('t2');
  });

  it('leaves the old token when a page fails mid-sync, so the next run repeats the work', async () => {
    await store.putSyncState({ calendarId: 'c1', token: 't0', lastFullSyncAt: 1_000 });
    const { transport } = scripted({
      sync: [
        {
          kind: 'changes',
          token: 't1',
          changed: [{ href: `${CAL}a`, etag: '"1"', data: ics('a') }],
          deleted: [],
          unavailable: [],
          more: true,
        },
        new CalsyncError('network', 'offline'),
      ],
    });
    await expect(pullCalendar(ctx(transport), calendar, remote({ syncToken: 't9' }))).rejects.toMatchObject({
      code: 'network',
    });
    // The first page's own token is durable with its data; never a token beyond stored data.
    expect((await store.getSyncState('c1'))?.token).toBe('t1');
    expect(await store.getObject('c1', `${CAL}a`)).toBeDefined();
  });

  it('restarts from scratch on an invalid token and sweeps objects the server no longer has', async () => {
    await store.applyObjects('c1', {
      puts: [
        { calendarId: 'c1', href: `${CAL}old`, etag: '"1"', ics: ics('old'), state: 'ok', rangeStart: 0, rangeEnd: 1 },
      ],
      deletes: [],
      syncState: { calendarId: 'c1', token: 'expired', lastFullSyncAt: 1_000 },
    });
    const { transport, calls } = scripted({
      sync: [
        { kind: 'invalid-token' },
        {
          kind: 'changes',
          token: 'fresh',
          changed: [{ href: `${CAL}new`, etag: '"1"', data: undefined }],
          deleted: [],
          unavailable: [],
          more: false,
        },
      ],
      objects: { [`${CAL}new`]: ics('new') },
    });
    const result = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 'other' }));
    // The replica is not empty, so the fresh listing asks for etags only and multigets what differs.
    expect(calls).toEqual(['sync expired data', 'sync null etag', 'multiget 1']);
    expect(result.deleted).toBe(1);
    expect(await store.getObject('c1', `${CAL}old`)).toBeUndefined();
    expect((await store.getObject('c1', `${CAL}new`))?.state).toBe('ok');
    expect((await store.getSyncState('c1'))?.token).toBe('fresh');
  });

  it('reconciling a filled replica without a token fetches only objects whose ETag differs', async () => {
    const row = (uid: string, etag: string) => ({
      calendarId: 'c1',
      href: `${CAL}${uid}`,
      etag,
      ics: ics(uid),
      state: 'ok' as const,
      rangeStart: 0,
      rangeEnd: 1,
    });
    // Stored, token not committed (a crash between storing and the token, or a lost state).
    await store.applyObjects('c1', { puts: [row('a', '"1"'), row('b', '"1"'), row('d', '"1"')], deletes: [] });
    const { transport, calls } = scripted({
      sync: [
        {
          kind: 'changes',
          token: 't1',
          changed: [
            { href: `${CAL}a`, etag: '"1"', data: undefined },
            { href: `${CAL}b`, etag: '"2"', data: undefined },
            { href: `${CAL}c`, etag: '"1"', data: undefined },
            { href: `${CAL}d`, etag: '"1"', data: undefined },
          ],
          deleted: [],
          unavailable: [],
          more: false,
        },
      ],
      objects: { [`${CAL}b`]: ics('b', '02'), [`${CAL}c`]: ics('c') },
    });
    const result = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 't1' }));
    expect(calls).toEqual(['sync null etag', 'multiget 2']);
    expect(result.changed).toBe(2);
    expect(result.deleted).toBe(0);
    expect([...(await store.objectEtags('c1')).keys()].sort()).toEqual([`${CAL}a`, `${CAL}b`, `${CAL}c`, `${CAL}d`]);
    expect((await store.getObject('c1', `${CAL}b`))?.ics).toContain('20261202T100000Z');
    expect((await store.getSyncState('c1'))?.token).toBe('t1');
  });

  it('retries once from scratch when a token request fails with a server error', async () => {
    await store.putSyncState({ calendarId: 'c1', token: 't0', lastFullSyncAt: 1_000 });
    const { transport, calls } = scripted({
      sync: [
        new CalsyncError('server', 'boom', { status: 500 }),
        { kind: 'changes', token: 't1', changed: [], deleted: [], unavailable: [], more: false },
      ],
    });
    await pullCalendar(ctx(transport), calendar, remote({ syncToken: 'x' }));
    expect(calls).toEqual(['sync t0 data', 'sync null data']);
  });

  it('keeps a bad object raw and flagged without stopping the others', async () => {
    const { transport } = scripted({
      sync: [
        {
          kind: 'changes',
          token: 't1',
          changed: [
            { href: `${CAL}good`, etag: '"1"', data: ics('good') },
            { href: `${CAL}bad`, etag: '"1"', data: 'BEGIN:VCALENDAR\r\nthis is not ical' },
          ],
          deleted: [],
          unavailable: [],
          more: false,
        },
      ],
    });
    const result = await pullCalendar(ctx(transport), calendar, remote());
    expect(result.invalid).toBe(1);
    expect((await store.getObject('c1', `${CAL}good`))?.state).toBe('ok');
    const bad = await store.getObject('c1', `${CAL}bad`);
    expect(bad?.state).toBe('bad');
    expect(bad?.ics).toContain('this is not ical');
  });

  it('without sync-collection: lists etags, fetches changes in batches, sweeps, never deletes on silence', async () => {
    await store.applyObjects('c1', {
      puts: [
        {
          calendarId: 'c1',
          href: `${CAL}same`,
          etag: '"1"',
          ics: ics('same'),
          state: 'ok',
          rangeStart: 0,
          rangeEnd: 1,
        },
        {
          calendarId: 'c1',
          href: `${CAL}removed`,
          etag: '"1"',
          ics: ics('removed'),
          state: 'ok',
          rangeStart: 0,
          rangeEnd: 1,
        },
        {
          calendarId: 'c1',
          href: `${CAL}silent`,
          etag: '"1"',
          ics: ics('silent'),
          state: 'ok',
          rangeStart: 0,
          rangeEnd: 1,
        },
      ],
      deletes: [],
    });
    const { transport, calls } = scripted({
      etags: [
        { href: `${CAL}same`, etag: '"1"' },
        { href: `${CAL}x`, etag: '"1"' },
        { href: `${CAL}y`, etag: '"1"' },
        { href: `${CAL}z`, etag: '"1"' },
        { href: `${CAL}silent`, etag: '"2"' },
      ],
      objects: { [`${CAL}x`]: ics('x'), [`${CAL}y`]: ics('y'), [`${CAL}z`]: ics('z') },
    });
    const result = await pullCalendar(ctx(transport), calendar, remote({ supportsSyncCollection: false, ctag: 'c' }));
    expect(result.mode).toBe('etag-listing');
    expect(calls).toEqual(['etags', 'multiget 2', 'multiget 2']);
    expect([...(await store.objectEtags('c1')).keys()].sort()).toEqual(
      [`${CAL}same`, `${CAL}silent`, `${CAL}x`, `${CAL}y`, `${CAL}z`].sort(),
    );
    expect((await store.getSyncState('c1'))?.ctag).toBe('c');
  });
});

describe('pullCalendar into an empty replica', () => {
  let store: CalsyncStore;
  const ctx = (transport: CalDavTransport) => contextFor(store, transport);

  beforeEach(async () => {
    store = await CalsyncStore.open(new IDBFactory(), `pull-empty-${Math.random()}`);
    await store.putCalendar(calendar);
  });

  it('downloads everything with one calendar-query and starts from the listing token', async () => {
    const all = ['a', 'b', 'c'].map((uid) => ({ href: `${CAL}${uid}.ics`, etag: `"${uid}"`, data: ics(uid) }));
    const { transport, calls } = scripted({ all });
    const result = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 'listed' }));
    expect(calls).toEqual(['all']);
    expect(result).toMatchObject({ mode: 'full-query', changed: 3, deleted: 0, invalid: 0 });
    expect(result.touched).toHaveLength(3);
    expect(await store.countObjects('c1')).toBe(3);
    expect(await store.getSyncState('c1')).toMatchObject({ token: 'listed', lastFullSyncAt: 1_000 });
  });

  it('fetches by multiget what the query listed without data', async () => {
    const { transport, calls } = scripted({
      all: [
        { href: `${CAL}a.ics`, etag: '"a"', data: ics('a') },
        { href: `${CAL}b.ics`, etag: '"b"', data: undefined },
      ],
      objects: { [`${CAL}b.ics`]: ics('b') },
    });
    await pullCalendar(ctx(transport), calendar, remote({ syncToken: 'listed' }));
    expect(calls).toEqual(['all', 'multiget 1']);
    expect(await store.countObjects('c1')).toBe(2);
  });

  it.each([
    ['a truncated answer', 'truncated' as const],
    ['a refused query', new CalsyncError('server', 'HTTP 400', { status: 400, retryable: false })],
  ])('falls back to sync-collection after %s', async (_label, all) => {
    const { transport, calls } = scripted({
      all,
      sync: [
        {
          kind: 'changes',
          token: 't1',
          changed: [{ href: `${CAL}a`, etag: '"1"', data: ics('a') }],
          deleted: [],
          unavailable: [],
          more: false,
        },
      ],
    });
    const result = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 'listed' }));
    expect(calls).toEqual(['all', 'sync null data']);
    expect(result.mode).toBe('full-sync-collection');
    expect((await store.getSyncState('c1'))?.token).toBe('t1');
  });

  it('lets an authentication failure through', async () => {
    const { transport } = scripted({ all: new CalsyncError('auth', 'HTTP 401', { status: 401 }) });
    await expect(pullCalendar(ctx(transport), calendar, remote({ syncToken: 'listed' }))).rejects.toMatchObject({
      code: 'auth',
    });
  });

  it('uses sync-collection when the listing gave no token to start from', async () => {
    const { transport, calls } = scripted({
      sync: [{ kind: 'changes', token: 't1', changed: [], deleted: [], unavailable: [], more: false }],
    });
    await pullCalendar(ctx(transport), calendar, remote());
    expect(calls).toEqual(['sync null data']);
  });

  it('without sync-collection: one query, and the ctag kept to skip unchanged rounds', async () => {
    const { transport, calls } = scripted({ all: [{ href: `${CAL}a.ics`, etag: '"a"', data: ics('a') }] });
    const result = await pullCalendar(
      ctx(transport),
      calendar,
      remote({ supportsSyncCollection: false, ctag: 'c1', syncToken: undefined }),
    );
    expect(calls).toEqual(['all']);
    expect(result.mode).toBe('full-query');
    const state = await store.getSyncState('c1');
    expect(state).toMatchObject({ ctag: 'c1' });
    expect(state?.token).toBeUndefined();
  });

  /** A local create, as the app makes it offline before the calendar's first download. */
  const createOffline = async (uid: string) => {
    let n = 0;
    const deps = { store, now: () => 500, newId: () => `id-${uid}-${++n}`, uidInUse: uidInUseOf(store) };
    await createLocal(deps, calendar.id, {
      uid,
      summary: `local ${uid}`,
      start: '2026-12-05T10:00:00Z',
      end: '2026-12-05T11:00:00Z',
    });
  };

  it.each([
    ['with sync-collection', remote({ syncToken: 'listed' })],
    ['without (ctag)', remote({ supportsSyncCollection: false, ctag: 'c1', syncToken: undefined })],
  ])(
    'is still used when the replica holds only local creates (%s): they stay, pending, beside the download',
    async (_label, described) => {
      await createOffline('mine-1');
      await createOffline('mine-2');
      const hrefs = (await store.objectsOfCalendar('c1')).map((r) => r.href);
      const all = ['a', 'b'].map((uid) => ({ href: `${CAL}${uid}.ics`, etag: `"${uid}"`, data: ics(uid) }));
      // Left by a crash: the server already has one of them (the PUT went through, its
      // answer was lost); its copy must not replace the pending local row.
      all.push({ href: hrefs[0] ?? '', etag: '"server"', data: ics('mine-1', '09') });
      const { transport, calls } = scripted({ all });
      const result = await pullCalendar(ctx(transport), calendar, described);
      expect(calls).toEqual(['all']);
      expect(result.mode).toBe('full-query');
      expect(await store.countObjects('c1')).toBe(4);
      for (const href of hrefs)
        expect(await store.getObject('c1', href)).toMatchObject({ pending: true, etag: undefined });
      expect(await store.outbox.countForCalendar('c1')).toBe(2);
      // The caches are built from `contents`: the calendar's whole content, local rows as they are.
      expect(result.contents?.map((r) => r.href).sort()).toEqual([`${CAL}a.ics`, `${CAL}b.ics`, ...hrefs].sort());
      expect(result.contents?.find((r) => r.href === hrefs[0])).toMatchObject({ pending: true });
    },
  );

  it('creates pushed before the first download: the server’s copy replaces one, one the server no longer has goes', async () => {
    await createOffline('kept');
    await createOffline('gone');
    // Both pushed (as the round's push does before its pull): confirmed rows, no entries.
    for (const entry of await store.outbox.list()) {
      await store.outbox.complete(entry, { row: toObjectRecord('c1', entry.href, '"pushed"', entry.ics ?? '') });
    }
    expect(await store.outbox.count()).toBe(0);
    expect(await store.getSyncState('c1')).toBeUndefined();
    const [kept, gone] = ['kept', 'gone'].map((uid) => `${CAL}${uid}.ics`);
    // Another client deleted "gone" between the push and the pull.
    const all = [
      { href: kept ?? '', etag: '"server"', data: ics('kept', '09') },
      { href: `${CAL}a.ics`, etag: '"a"', data: ics('a') },
    ];
    const { transport, calls } = scripted({ all });
    const result = await pullCalendar(ctx(transport), calendar, remote({ syncToken: 'listed' }));
    expect(calls).toEqual(['all']);
    expect(result).toMatchObject({ mode: 'full-query', changed: 2, deleted: 1 });
    expect(result.touched).toContain(gone);
    expect(await store.getObject('c1', gone ?? '')).toBeUndefined();
    expect(await store.getObject('c1', kept ?? '')).toMatchObject({ etag: '"server"' });
    expect(result.contents?.map((r) => r.href).sort()).toEqual([`${CAL}a.ics`, kept].sort());
  });

  it('a token-less sync-collection over only local creates asks for the data inline (no multiget)', async () => {
    await createOffline('mine');
    const { transport, calls } = scripted({
      sync: [
        {
          kind: 'changes',
          token: 't1',
          changed: [{ href: `${CAL}a.ics`, etag: '"a"', data: ics('a') }],
          deleted: [],
          unavailable: [],
          more: false,
        },
      ],
    });
    await pullCalendar(ctx(transport), calendar, remote()); // no listing token: no calendar-query
    expect(calls).toEqual(['sync null data']);
    expect(await store.countObjects('c1')).toBe(2);
    expect(await store.outbox.countForCalendar('c1')).toBe(1);
  });

  it('is not used once the replica holds objects', async () => {
    const { transport: first } = scripted({ all: [{ href: `${CAL}a.ics`, etag: '"a"', data: ics('a') }] });
    await pullCalendar(ctx(first), calendar, remote({ syncToken: 'listed' }));
    const { transport, calls } = scripted({
      sync: [{ kind: 'changes', token: 't2', changed: [], deleted: [], unavailable: [], more: false }],
    });
    await pullCalendar(ctx(transport), calendar, remote({ syncToken: 'moved' }));
    expect(calls).toEqual(['sync listed data']);
  });
});
