import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { calendar, vevent } from '../ical/test-ics.ts';
import { eventIdOf } from '../model/ids.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { CalendarRecord, ConflictRecord, OutboxRecord } from '../model/records.ts';
import { ManualClock } from '../platform/test-platform.ts';
import { CalsyncStore } from '../store/store.ts';
import { FakeTransport } from '../transport/fake-transport.ts';
import type { CalDavWriter, WritePrecondition, WriteResult } from '../transport/port.ts';
import { createLocal, deleteLocal, type EditDeps, updateLocal } from './local-edits.ts';
import { type PushContext, type PushResult, pushAccount } from './push.ts';
import { uidInUseOf } from './test-edit-deps.ts';
import { calendarRecord, deleteDatabase, rejection } from './test-outbox.ts';

// pushAccount (and through it settlePrecondition) on the real store over fake-indexeddb and
// the scripted fake server, with a manual clock: every server answer has one observable
// result in the server, the outbox, the replica rows and the conflicts.

const ACC = 'acc';
const CAL = 'cal';

/** One event with a summary and a location (the location lets disjoint edits merge). */
const ev = (uid: string, summary: string, location = 'Room 1') =>
  calendar(
    vevent(
      `UID:${uid}`,
      'DTSTART:20260105T090000Z',
      'DTEND:20260105T100000Z',
      `SUMMARY:${summary}`,
      `LOCATION:${location}`,
    ),
  );

const answer = (status: number, body = ''): WriteResult => ({ status, etag: undefined, body });

interface Request {
  readonly method: 'put' | 'remove' | 'get';
  readonly href: string;
  readonly precondition?: WritePrecondition;
  readonly ics?: string;
}

/** The fake server with every request (and its precondition) written down. */
function recording(inner: CalDavWriter, log: Request[]): CalDavWriter {
  return {
    put: (href, ics, precondition) => {
      log.push({ method: 'put', href, precondition, ics });
      return inner.put(href, ics, precondition);
    },
    remove: (href, precondition) => {
      log.push({ method: 'remove', href, precondition });
      return inner.remove(href, precondition);
    },
    get: (href) => {
      log.push({ method: 'get', href });
      return inner.get(href);
    },
  };
}

/** Ids in creation order: `prefix-1`, `prefix-2`, … */
const ids = (prefix: string) => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};

let serial = 0;
let dbName: string;
let store: CalsyncStore;
let server: FakeTransport;
let clock: ManualClock;
let calUrl: string;
let requests: Request[];
let conflictsSeen: ConflictRecord[];
let progress: Array<[number, number]>;
let deps: EditDeps;

beforeEach(async () => {
  dbName = `push-${crypto.randomUUID()}-${++serial}`;
  store = await CalsyncStore.open(indexedDB, dbName);
  server = new FakeTransport();
  clock = new ManualClock();
  calUrl = server.addCalendar('work');
  requests = [];
  conflictsSeen = [];
  progress = [];
  deps = { store, now: () => clock.now(), newId: ids('id'), uidInUse: uidInUseOf(store) };
  await store.addAccount(
    {
      id: ACC,
      name: 'Account',
      serverUrl: server.serverUrl,
      username: 'user',
      principalUrl: server.principalUrl,
      homeUrl: server.homeUrl,
      createdAt: 0,
    },
    'secret',
    [calendarRecord(ACC, CAL, calUrl)],
  );
});

afterEach(async () => {
  store.close();
  await deleteDatabase(dbName);
});

function push(overrides: Partial<PushContext> = {}): Promise<PushResult> {
  return pushAccount(
    {
      writer: recording(server, requests),
      store,
      now: () => clock.now(),
      policy: 'merge',
      concurrency: 1,
      force: false,
      newId: ids('conflict'),
      onConflict: (conflict) => conflictsSeen.push(conflict),
      onProgress: (done, total) => progress.push([done, total]),
      ...overrides,
    },
    ACC,
  );
}

/** An object on the server, synced into the replica as a pull stores it. */
async function synced(name: string, ics: string): Promise<{ href: string; etag: string; eventId: string }> {
  const href = `${calUrl}${name}.ics`;
  const etag = server.serverPut(href, ics);
  await store.applyObjects(CAL, { puts: [toObjectRecord(CAL, href, etag, ics)], deletes: [] });
  return { href, etag, eventId: eventIdOf(CAL, href) };
}

/** A local create of an event with UID `uid` (its href is `<uid>.ics`). */
async function created(uid: string, summary = `Event ${uid}`): Promise<string> {
  const result = await createLocal(deps, CAL, {
    uid,
    summary,
    start: '2026-01-07T09:00:00Z',
    end: '2026-01-07T10:00:00Z',
  });
  return result.hrefs[0] as string;
}

async function entryOf(href: string): Promise<OutboxRecord> {
  const entry = await store.outbox.get(CAL, href);
  expect(entry).toBeDefined();
  return entry as OutboxRecord;
}

const puts = () => requests.filter((r) => r.method === 'put');
const serverObjects = async () => (await server.listEtags(calUrl)).map((e) => e.href);

describe('pushAccount: successful writes', () => {
  it('a create is PUT with If-None-Match: * and the row confirmed with the server ETag; the entry goes', async () => {
    const href = await created('new-1', 'Planning');
    const sentIcs = (await entryOf(href)).ics;

    const result = await push();

    expect(puts()).toEqual([{ method: 'put', href, precondition: { ifNoneMatch: '*' }, ics: sentIcs }]);
    const onServer = server.object(href);
    expect(onServer?.ics).toBe(sentIcs);
    const row = await store.getObject(CAL, href);
    expect(row).toMatchObject({ etag: onServer?.etag, ics: sentIcs, pending: false, conflict: false, state: 'ok' });
    expect(await store.outbox.count()).toBe(0);
    expect(result).toEqual({
      sent: 1,
      conflicts: 0,
      quarantined: 0,
      retrying: 0,
      touched: [{ calendarId: CAL, href }],
    });
    expect(progress).toEqual([[1, 1]]);
  });

  it('an update is PUT with If-Match of its base ETag', async () => {
    const { href, etag, eventId } = await synced('a', ev('a', 'Before'));
    await updateLocal(deps, eventId, { summary: 'After' });

    const result = await push();

    expect(puts()).toHaveLength(1);
    expect(puts()[0]?.precondition).toEqual({ ifMatch: etag });
    const onServer = server.object(href);
    expect(onServer?.ics).toContain('SUMMARY:After');
    expect(onServer?.etag).not.toBe(etag);
    expect(await store.getObject(CAL, href)).toMatchObject({ etag: onServer?.etag, summary: 'After', pending: false });
    expect(await store.outbox.count()).toBe(0);
    expect(result).toMatchObject({ sent: 1, conflicts: 0, quarantined: 0, retrying: 0 });
  });

  it('a delete is sent with If-Match of its base ETag and removes object and row', async () => {
    const { href, etag, eventId } = await synced('a', ev('a', 'Doomed'));
    await deleteLocal(deps, eventId);

    const result = await push();

    expect(requests).toEqual([{ method: 'remove', href, precondition: { ifMatch: etag } }]);
    expect(server.object(href)).toBeUndefined();
    expect(await store.getObject(CAL, href)).toBeUndefined();
    expect(await store.outbox.count()).toBe(0);
    expect(result).toEqual({
      sent: 1,
      conflicts: 0,
      quarantined: 0,
      retrying: 0,
      touched: [{ calendarId: CAL, href }],
    });
  });

  it('a 2xx without an ETag (the server changed what we sent) re-reads the object for the row', async () => {
    const href = await created('a');
    const noEtag: CalDavWriter = {
      put: async (h, ics, precondition) => {
        await server.put(h, ics, precondition);
        // The server rewrote the object, as RFC 4791 §5.3.4 allows (then it sends no ETag).
        server.serverPut(h, ev('a', 'Rewritten by the server'));
        return answer(201);
      },
      remove: (h, precondition) => server.remove(h, precondition),
      get: (h) => server.get(h),
    };

    expect(await push({ writer: recording(noEtag, requests) })).toMatchObject({ sent: 1 });

    expect(requests.map((r) => r.method)).toEqual(['put', 'get']);
    const onServer = server.object(href);
    expect(await store.getObject(CAL, href)).toMatchObject({
      etag: onServer?.etag,
      ics: onServer?.ics,
      summary: 'Rewritten by the server',
      pending: false,
    });
  });

  it('several entries in parallel are all sent, with progress for each', async () => {
    const hrefs = [];
    for (const uid of ['p1', 'p2', 'p3', 'p4', 'p5']) hrefs.push(await created(uid));

    const result = await push({ concurrency: 3 });

    expect(result.sent).toBe(5);
    expect(result.touched.map((t) => t.href).sort()).toEqual([...hrefs].sort());
    expect((await serverObjects()).sort()).toEqual([...hrefs].sort());
    expect(await store.outbox.count()).toBe(0);
    expect(progress.map(([done]) => done)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.every(([, total]) => total === 5)).toBe(true);
  });
});

describe('pushAccount: failures', () => {
  it('a 503 keeps the entry pending with backoff; it is not sent before nextAttemptAt, and is at it', async () => {
    const href = await created('a');
    server.failNext('put', answer(503, 'busy'));
    const start = clock.now();

    const result = await push();

    expect(result).toEqual({ sent: 0, conflicts: 0, quarantined: 0, retrying: 1, touched: [] });
    const entry = await entryOf(href);
    expect(entry).toMatchObject({ op: 'create', state: 'pending', attempts: 1 });
    expect(entry.lastError).toEqual({ code: 'server', message: 'The server failed (HTTP 503).', status: 503 });
    // backoffMs(1): 2 s with jitter down to half.
    const due = entry.nextAttemptAt as number;
    expect(due - start).toBeGreaterThanOrEqual(1_000);
    expect(due - start).toBeLessThanOrEqual(2_000);
    expect(server.object(href)).toBeUndefined();
    expect((await store.getObject(CAL, href))?.pending).toBe(true);

    await clock.advance(due - start - 1);
    expect(await push()).toMatchObject({ sent: 0, retrying: 0 });
    expect(server.calls('put')).toBe(1);

    await clock.advance(1);
    expect(await push()).toMatchObject({ sent: 1, retrying: 0 });
    expect(server.calls('put')).toBe(2);
    expect(server.object(href)).toBeDefined();
    expect(await store.outbox.count()).toBe(0);
  });

  it('force sends before the backoff is due; a second failure doubles the window', async () => {
    const href = await created('a');
    server.failNext('put', answer(500), 2);
    await push();
    await clock.advance(100);
    const second = clock.now();

    expect(await push({ force: true })).toMatchObject({ retrying: 1 });

    expect(server.calls('put')).toBe(2);
    const entry = await entryOf(href);
    expect(entry.attempts).toBe(2);
    // backoffMs(2): 4 s with jitter down to half, counted from the second failure.
    expect((entry.nextAttemptAt as number) - second).toBeGreaterThanOrEqual(2_000);
    expect((entry.nextAttemptAt as number) - second).toBeLessThanOrEqual(4_000);

    expect(await push({ force: true })).toMatchObject({ sent: 1 });
    expect(server.calls('put')).toBe(3);
    expect(await store.outbox.count()).toBe(0);
  });

  it('a network error stops the push: it is thrown after the bookkeeping, later entries are not tried', async () => {
    const a = await created('a');
    await clock.advance(1_000);
    const b = await created('b');
    await clock.advance(1_000);
    const c = await created('c');
    server.failNext('put', new CalsyncError('network', 'Failed to fetch'));
    const at = clock.now();

    const error = await rejection(push());

    expect(error.code).toBe('network');
    expect(server.calls('put')).toBe(1);
    expect(puts().map((r) => r.href)).toEqual([a]);
    const first = await entryOf(a);
    expect(first).toMatchObject({ attempts: 1, state: 'pending', lastError: { code: 'network' } });
    expect((first.nextAttemptAt as number) - at).toBeGreaterThanOrEqual(1_000);
    expect((first.nextAttemptAt as number) - at).toBeLessThanOrEqual(2_000);
    for (const href of [b, c]) {
      const entry = await entryOf(href);
      expect(entry.attempts).toBe(0);
      expect(entry.nextAttemptAt).toBeUndefined();
    }
    expect(await serverObjects()).toEqual([]);
  });

  it('a 401 throws an auth error and leaves the whole queue as it was', async () => {
    await created('a');
    await clock.advance(1_000);
    await created('b');
    const before = await store.outbox.list(ACC);
    server.failNext('put', answer(401, 'Unauthorized'));

    const error = await rejection(push());

    expect(error.code).toBe('auth');
    expect(error.status).toBe(401);
    expect(server.calls('put')).toBe(1);
    expect(await store.outbox.list(ACC)).toEqual(before);
    expect(await serverObjects()).toEqual([]);
  });

  it.each([403, 400, 409])(
    'a %i quarantines that entry only, with the error; the others are still sent',
    async (status) => {
      const refused = await created('a');
      await clock.advance(1_000);
      const fine = await created('b');
      server.failNext('put', answer(status, 'Refused by policy'));

      const result = await push();

      expect(result).toMatchObject({ sent: 1, quarantined: 1, retrying: 0, conflicts: 0 });
      expect(result.touched).toEqual([{ calendarId: CAL, href: fine }]);
      const entry = await entryOf(refused);
      expect(entry).toMatchObject({ state: 'quarantined', attempts: 1 });
      expect(entry.lastError).toEqual({
        code: 'server',
        message: `The server refused this change (HTTP ${status}).`,
        status,
        serverMessage: 'Refused by policy',
      });
      expect(server.object(refused)).toBeUndefined();
      expect(server.object(fine)).toBeDefined();
      expect(await store.outbox.get(CAL, fine)).toBeUndefined();

      // A quarantined entry waits for a new edit: even a forced push does not send it again.
      expect(await push({ force: true })).toMatchObject({ sent: 0, quarantined: 0 });
      expect(server.calls('put')).toBe(2);
    },
  );

  it('a 412 naming a server condition is a refusal: quarantined without re-reading', async () => {
    const href = await created('a');
    server.failNext('put', { ...answer(412, 'uid in use'), condition: 'no-uid-conflict' });

    expect(await push()).toMatchObject({ quarantined: 1, sent: 0 });

    expect(server.calls('get')).toBe(0);
    expect((await entryOf(href)).lastError).toMatchObject({
      message: 'The server refused this change (HTTP 412, no-uid-conflict).',
      status: 412,
    });
  });
});

describe('pushAccount: settling a failed precondition', () => {
  it('merge: disjoint changes on both sides give one merged PUT and no conflict', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, eventId, { summary: 'Local title' });
    const serverEtag = server.serverPut(href, ev('a', 'Base', 'Room 2'));

    const result = await push();

    expect(result).toMatchObject({ sent: 1, conflicts: 0 });
    expect(requests.map((r) => r.method)).toEqual(['put', 'get', 'put']);
    expect(puts()[1]?.precondition).toEqual({ ifMatch: serverEtag });
    const onServer = server.object(href);
    expect(onServer?.ics).toContain('SUMMARY:Local title');
    expect(onServer?.ics).toContain('LOCATION:Room 2');
    expect(await store.getObject(CAL, href)).toMatchObject({
      etag: onServer?.etag,
      summary: 'Local title',
      location: 'Room 2',
      pending: false,
      conflict: false,
    });
    expect(await store.outbox.listConflicts()).toEqual([]);
    expect(conflictsSeen).toEqual([]);
    expect(await store.outbox.count()).toBe(0);
  });

  it('merge: the same property changed on both sides is a conflict; the server value stays', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, eventId, { summary: 'Mine' });
    const localIcs = (await entryOf(href)).ics;
    const serverIcs = ev('a', 'Theirs');
    const serverEtag = server.serverPut(href, serverIcs);

    const result = await push();

    expect(result).toMatchObject({ sent: 1, conflicts: 1 });
    // The merge equals the server's version: nothing more is written.
    expect(server.calls('put')).toBe(1);
    expect(server.object(href)).toEqual({ etag: serverEtag, ics: serverIcs });
    const conflicts = await store.outbox.listConflicts();
    expect(conflicts).toEqual([
      {
        id: 'conflict-1',
        calendarId: CAL,
        href,
        uid: 'a',
        summary: 'Mine',
        kind: 'edit-edit',
        base: ev('a', 'Base'),
        local: localIcs,
        server: serverIcs,
        current: 'merged',
        properties: ['SUMMARY'],
        createdAt: clock.now(),
      },
    ]);
    expect(conflictsSeen).toEqual(conflicts);
    expect(await store.getObject(CAL, href)).toMatchObject({
      etag: serverEtag,
      summary: 'Theirs',
      pending: false,
      conflict: true,
    });
    expect(await store.outbox.count()).toBe(0);
  });

  it('server-wins: the server version becomes the row, ours is kept in the conflict', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base', 'Room 1'));
    await updateLocal(deps, eventId, { location: 'Room 9' });
    const localIcs = (await entryOf(href)).ics;
    const serverIcs = ev('a', 'Renamed');
    const serverEtag = server.serverPut(href, serverIcs);

    const result = await push({ policy: 'server-wins' });

    expect(result).toMatchObject({ sent: 1, conflicts: 1 });
    expect(server.calls('put')).toBe(1);
    expect(server.object(href)).toEqual({ etag: serverEtag, ics: serverIcs });
    expect(await store.getObject(CAL, href)).toMatchObject({ etag: serverEtag, ics: serverIcs, conflict: true });
    expect(await store.outbox.listConflicts()).toEqual([
      expect.objectContaining({ kind: 'edit-edit', current: 'server', local: localIcs, server: serverIcs }),
    ]);
    expect(conflictsSeen).toHaveLength(1);
  });

  it("client-wins: ours is written over the server's (If-Match its ETag), theirs kept in the conflict", async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, eventId, { summary: 'Mine' });
    const localIcs = (await entryOf(href)).ics;
    const serverIcs = ev('a', 'Theirs');
    const serverEtag = server.serverPut(href, serverIcs);

    const result = await push({ policy: 'client-wins' });

    expect(result).toMatchObject({ sent: 1, conflicts: 1 });
    expect(puts().map((r) => r.precondition)).toEqual([{ ifMatch: expect.any(String) }, { ifMatch: serverEtag }]);
    const onServer = server.object(href);
    expect(onServer?.ics).toBe(localIcs);
    expect(await store.getObject(CAL, href)).toMatchObject({ etag: onServer?.etag, summary: 'Mine', conflict: true });
    expect(await store.outbox.listConflicts()).toEqual([
      expect.objectContaining({ kind: 'edit-edit', current: 'local', local: localIcs, server: serverIcs }),
    ]);
  });

  it('a create whose first answer was lost is adopted: no duplicate, no conflict', async () => {
    const href = await created('lost');
    // The server stores the PUT, but its answer never arrives.
    const lossy: CalDavWriter = {
      put: async (h, ics, precondition) => {
        await server.put(h, ics, precondition);
        throw new CalsyncError('network', 'Connection reset');
      },
      remove: (h, precondition) => server.remove(h, precondition),
      get: (h) => server.get(h),
    };
    expect((await rejection(push({ writer: lossy }))).code).toBe('network');
    const stored = server.object(href);

    const result = await push({ force: true });

    expect(result).toMatchObject({ sent: 1, conflicts: 0 });
    expect(requests.map((r) => r.method)).toEqual(['put', 'get']);
    expect(await serverObjects()).toEqual([href]);
    expect(server.object(href)).toEqual(stored);
    expect(await store.getObject(CAL, href)).toMatchObject({ etag: stored?.etag, pending: false, conflict: false });
    expect(await store.outbox.listConflicts()).toEqual([]);
    expect(await store.outbox.count()).toBe(0);
  });

  it('a create meeting a different object at its href keeps the server one and records create-create', async () => {
    const href = await created('same', 'Mine');
    const localIcs = (await entryOf(href)).ics;
    const serverIcs = ev('same', 'Someone else');
    const serverEtag = server.serverPut(href, serverIcs);

    const result = await push();

    expect(result).toMatchObject({ sent: 1, conflicts: 1 });
    expect(server.object(href)).toEqual({ etag: serverEtag, ics: serverIcs });
    expect(await store.getObject(CAL, href)).toMatchObject({
      etag: serverEtag,
      summary: 'Someone else',
      conflict: true,
    });
    expect(await store.outbox.listConflicts()).toEqual([
      expect.objectContaining({ kind: 'create-create', current: 'server', local: localIcs, server: serverIcs }),
    ]);
  });

  it('a delete of an object already gone on the server is done', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Gone'));
    await deleteLocal(deps, eventId);
    server.serverRemove(href);

    const result = await push();

    expect(result).toMatchObject({ sent: 1, conflicts: 0, quarantined: 0, retrying: 0 });
    // The 404 itself settles it: nothing is read again.
    expect(requests.map((r) => r.method)).toEqual(['remove']);
    expect(await store.getObject(CAL, href)).toBeUndefined();
    expect(await store.outbox.count()).toBe(0);
    expect(await store.outbox.listConflicts()).toEqual([]);
  });

  it('an update of an object deleted on the server drops the row and keeps ours as a remote-delete conflict', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, eventId, { summary: 'Mine' });
    const localIcs = (await entryOf(href)).ics;
    server.serverRemove(href);

    const result = await push();

    expect(result).toMatchObject({ sent: 1, conflicts: 1 });
    expect(server.object(href)).toBeUndefined();
    expect(await store.getObject(CAL, href)).toBeUndefined();
    expect(await store.outbox.count()).toBe(0);
    expect(await store.outbox.listConflicts()).toEqual([
      expect.objectContaining({ kind: 'remote-delete', current: 'deleted', local: localIcs }),
    ]);
  });

  it('a server that keeps answering 412 is retried later after three re-reads', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, eventId, { summary: 'Mine' });
    server.failNext('put', answer(412), 4);

    const result = await push();

    expect(result).toMatchObject({ sent: 0, retrying: 1, conflicts: 0 });
    expect(server.calls('put')).toBe(4);
    expect(server.calls('get')).toBe(3);
    const entry = await entryOf(href);
    expect(entry).toMatchObject({ state: 'pending', attempts: 1 });
    expect(entry.lastError?.message).toBe('The object kept changing on the server; will retry.');
    expect(entry.nextAttemptAt).toBeGreaterThan(clock.now());
  });

  it('an auth error while settling is thrown and leaves the entry as it was', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, eventId, { summary: 'Mine' });
    const before = await entryOf(href);
    server.failNext('put', answer(412));
    server.failNext('get', new CalsyncError('auth', 'Unauthorized', { status: 401 }));

    expect((await rejection(push())).code).toBe('auth');

    expect(await entryOf(href)).toEqual(before);
    expect(await store.outbox.listConflicts()).toEqual([]);
  });
  it('a network error while settling is thrown after scheduling the retry', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, eventId, { summary: 'Mine' });
    server.failNext('put', answer(412));
    server.failNext('get', new CalsyncError('network', 'Failed to fetch'));
    const at = clock.now();

    expect((await rejection(push())).code).toBe('network');

    const entry = await entryOf(href);
    expect(entry).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'network' } });
    expect((entry.nextAttemptAt as number) - at).toBeGreaterThanOrEqual(1_000);
    expect((entry.nextAttemptAt as number) - at).toBeLessThanOrEqual(2_000);
  });

  it('a 4xx to the settling PUT quarantines the entry; a 5xx retries it', async () => {
    const refused = await synced('a', ev('a', 'Base'));
    await updateLocal(deps, refused.eventId, { summary: 'Mine' });
    await clock.advance(1_000);
    const busy = await synced('b', ev('b', 'Base'));
    await updateLocal(deps, busy.eventId, { summary: 'Mine' });
    // Each first PUT meets 412; the server has not changed, so the merge is ours, PUT again.
    server.failNext('put', answer(412));
    server.failNext('put', answer(403));
    server.failNext('put', answer(412));
    server.failNext('put', answer(502));

    const result = await push();

    expect(result).toMatchObject({ sent: 0, quarantined: 1, retrying: 1, conflicts: 0 });
    expect(await entryOf(refused.href)).toMatchObject({
      state: 'quarantined',
      attempts: 1,
      lastError: { code: 'server', status: 403 },
    });
    const retried = await entryOf(busy.href);
    expect(retried).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'server' } });
    expect(retried.nextAttemptAt).toBeGreaterThan(clock.now());
    expect(server.object(refused.href)?.ics).toBe(ev('a', 'Base'));
    expect(server.object(busy.href)?.ics).toBe(ev('b', 'Base'));
    expect(await store.outbox.listConflicts()).toEqual([]);
  });
});

describe('pushAccount: edits made while a push is in flight', () => {
  /** A writer whose `nth` PUT (the first by default) answers only once `release()` is called. */
  function gated(nth = 1) {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let count = 0;
    const writer: CalDavWriter = {
      put: async (href, ics, precondition) => {
        const result = await server.put(href, ics, precondition);
        if (++count === nth) {
          entered();
          await gate;
        }
        return result;
      },
      remove: (href, precondition) => server.remove(href, precondition),
      get: (href) => server.get(href),
    };
    return { writer, started, release };
  }

  it('a later update is kept, rebased on the ETag the push got, and sent by the next push', async () => {
    const href = await created('a', 'First');
    const { writer, started, release } = gated();

    const pushing = push({ writer });
    await started;
    await updateLocal(deps, eventIdOf(CAL, href), { summary: 'Second' });
    release();
    const result = await pushing;

    expect(result.sent).toBe(1);
    const first = server.object(href);
    expect(first?.ics).toContain('SUMMARY:First');
    const entry = await entryOf(href);
    expect(entry).toMatchObject({ op: 'update', baseEtag: first?.etag, baseIcs: first?.ics, revision: 2 });
    expect(entry.ics).toContain('SUMMARY:Second');
    expect(await store.getObject(CAL, href)).toMatchObject({ summary: 'Second', pending: true });

    expect(await push()).toMatchObject({ sent: 1 });

    expect(puts().map((r) => r.precondition)).toEqual([{ ifMatch: first?.etag }]);
    const second = server.object(href);
    expect(second?.ics).toBe(entry.ics);
    expect(await store.getObject(CAL, href)).toMatchObject({ etag: second?.etag, summary: 'Second', pending: false });
    expect(await store.outbox.count()).toBe(0);
  });

  it('a later update made while a merged PUT is in flight keeps the server change that was merged', async () => {
    const { href, eventId } = await synced('a', ev('a', 'Base', 'Room 1'));
    await updateLocal(deps, eventId, { summary: 'Mine' });
    // Another client moves the event: the push meets 412 and merges (our title, their room).
    server.serverPut(href, ev('a', 'Base', 'Room 2'));
    const { writer, started, release } = gated(2);

    const pushing = push({ writer });
    await started;
    // Made on the row this device shows (still Room 1: the merge is not confirmed yet).
    await updateLocal(deps, eventId, { description: 'Bring slides' });
    release();
    expect(await pushing).toMatchObject({ sent: 1, conflicts: 0 });
    const merged = server.object(href);
    expect(merged?.ics).toContain('SUMMARY:Mine');
    expect(merged?.ics).toContain('LOCATION:Room 2');

    await push();

    // Nothing the server had is lost: the later edit lands on top of the merged version.
    const final = server.object(href)?.ics ?? '';
    expect(final).toContain('SUMMARY:Mine');
    expect(final).toContain('DESCRIPTION:Bring slides');
    expect(final).toContain('LOCATION:Room 2');
    expect(await store.outbox.count()).toBe(0);
  });

  it('a delete of a create in flight is not lost: it becomes a delete of what the create made', async () => {
    const href = await created('a', 'Short-lived');
    const { writer, started, release } = gated();

    const pushing = push({ writer });
    await started;
    await deleteLocal(deps, eventIdOf(CAL, href));
    release();
    await pushing;

    const made = server.object(href);
    expect(made).toBeDefined();
    expect(await entryOf(href)).toMatchObject({ op: 'delete', baseEtag: made?.etag });

    expect(await push()).toMatchObject({ sent: 1 });

    expect(requests).toEqual([{ method: 'remove', href, precondition: { ifMatch: made?.etag } }]);
    expect(server.object(href)).toBeUndefined();
    expect(await store.getObject(CAL, href)).toBeUndefined();
    expect(await store.outbox.count()).toBe(0);
  });
});

describe('pushAccount: entries that must not be sent', () => {
  it('an entry of a calendar deleted on the server is quarantined as not-found', async () => {
    const href = await created('a');
    const cal = await store.getCalendar(CAL);
    await store.putCalendar({ ...(cal as CalendarRecord), deletedOnServer: true });

    const result = await push();

    expect(result).toMatchObject({ quarantined: 1, sent: 0 });
    expect(server.calls('put')).toBe(0);
    expect(await entryOf(href)).toMatchObject({ state: 'quarantined', lastError: { code: 'not-found' } });
  });

  it.each([
    ['another origin', 'https://evil.test/calendars/work/x.ics'],
    ['another calendar', 'https://dav.fake.test/calendars/other/x.ics'],
    ['a deeper path', 'https://dav.fake.test/calendars/work/sub/x.ics'],
    ['the principal', 'https://dav.fake.test/principal/'],
  ])('an entry whose href is %s is quarantined as untrusted-origin and never sent', async (_what, href) => {
    const entry: OutboxRecord = {
      id: 'stray',
      calendarId: CAL,
      accountId: ACC,
      href,
      op: 'update',
      ics: ev('x', 'Stray'),
      baseEtag: '"1"',
      createdAt: clock.now(),
      updatedAt: clock.now(),
      revision: 1,
      attempts: 0,
      state: 'pending',
    };
    await store.outbox.recordChanges([{ calendarId: CAL, href, row: null, entry }]);
    const fine = await created('ok');

    const result = await push({ force: true });

    expect(result).toMatchObject({ quarantined: 1, sent: 1 });
    expect(puts().map((r) => r.href)).toEqual([fine]);
    expect(server.calls('put')).toBe(1);
    expect(await store.outbox.get(CAL, href)).toMatchObject({
      state: 'quarantined',
      attempts: 1,
      lastError: { code: 'untrusted-origin' },
    });
  });

  it('counts each outcome of a mixed batch', async () => {
    await created('refused');
    await clock.advance(1_000);
    await created('busy');
    await clock.advance(1_000);
    const sent = await created('sent');
    server.failNext('put', answer(403));
    server.failNext('put', answer(503));

    const result = await push();

    expect(result).toEqual({
      sent: 1,
      quarantined: 1,
      retrying: 1,
      conflicts: 0,
      touched: [{ calendarId: CAL, href: sent }],
    });
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });
});

describe('pushAccount: a series split by "this and following"', () => {
  /** Weekly ×4 from Mon 5 Jan 09:00 UTC. */
  const weekly = (rule = 'RRULE:FREQ=WEEKLY;COUNT=4') =>
    calendar(
      vevent('UID:wk', 'DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', rule, 'SUMMARY:Weekly', 'SEQUENCE:0'),
    );
  const split = async (eventId: string, occurrence: string, summary: string) =>
    updateLocal(deps, eventId, { summary }, { occurrence, scope: 'future' });

  it('the new series goes after the series it came from, and not while that one waits for a retry', async () => {
    const { href, eventId } = await synced('wk', weekly());
    const result = await split(eventId, '2026-01-19T09:00:00Z', 'From the 19th');
    const newHref = result.hrefs[1] as string;
    expect((await entryOf(newHref)).splitFrom).toBe(href);
    server.failNext('put', answer(503));
    await push();
    // The series' PUT failed (retry later): the new series was not sent.
    expect(puts().map((r) => r.href)).toEqual([href]);
    expect(server.object(newHref)).toBeUndefined();
    await push({ force: true });
    expect(puts().map((r) => r.href)).toEqual([href, href, newHref]);
    expect(server.object(newHref)?.ics).toContain('SUMMARY:From the 19th');
    expect(await store.outbox.count()).toBe(0);
  });

  it('when another device changed the rule meanwhile, the new series is kept as a split conflict, not created', async () => {
    const { href, eventId } = await synced('wk', weekly());
    const result = await split(eventId, '2026-01-12T09:00:00Z', 'Mine from the 12th');
    const newHref = result.hrefs[1] as string;
    // The other device split at the 19th: the server's series now ends before it.
    server.serverPut(href, weekly('RRULE:FREQ=WEEKLY;UNTIL=20260119T085959Z'));
    const seen: string[] = [];
    const pushed = await push({ onConflict: (c) => seen.push(`${c.kind} ${c.href}`) });
    expect(server.object(newHref)).toBeUndefined();
    expect(seen).toEqual([`edit-edit ${href}`, `split ${newHref}`]);
    const conflict = (await store.outbox.listConflicts()).find((c) => c.href === newHref);
    expect(conflict).toMatchObject({
      kind: 'split',
      current: 'deleted',
      local: expect.stringContaining('Mine from the 12th'),
    });
    expect(await store.getObject(CAL, newHref)).toBeUndefined();
    expect(await store.outbox.count()).toBe(0);
    expect(pushed.conflicts).toBe(2);
  });

  it('an older conflict on the series does not hold back a split that reached the server', async () => {
    const { href, eventId } = await synced('wk', weekly());
    // An earlier edit lost to the server (server-wins): an open conflict on the series.
    await updateLocal(deps, eventId, { summary: 'Mine' });
    server.serverPut(href, weekly().replace('SUMMARY:Weekly', 'SUMMARY:Theirs'));
    await push({ policy: 'server-wins' });
    expect((await store.outbox.listConflicts()).map((c) => [c.href, c.current])).toEqual([[href, 'server']]);
    await clock.advance(1_000);
    // Now a split that the server takes as sent.
    const result = await split(eventId, '2026-01-19T09:00:00Z', 'Tail');
    await push();
    expect(server.object(result.hrefs[1] as string)?.ics).toContain('SUMMARY:Tail');
    expect(server.object(href)?.ics).toContain('UNTIL=');
  });

  it('when the rest of the split series was deleted here but changed there, the new series waits in a conflict', async () => {
    const { href, eventId } = await synced('wk', weekly());
    const result = await split(eventId, '2026-01-19T09:00:00Z', 'Tail');
    const newHref = result.hrefs[1] as string;
    await deleteLocal(deps, eventId);
    server.serverPut(href, weekly().replace('SUMMARY:Weekly', 'SUMMARY:Renamed there'));
    await push();
    // The server keeps its renamed whole series (local-delete, current server): creating the
    // tail too would show the 19th and 26th twice.
    expect(server.object(newHref)).toBeUndefined();
    expect((await store.outbox.listConflicts()).map((c) => [c.kind, c.current, c.href]).sort()).toEqual(
      [
        ['local-delete', 'server', href],
        ['split', 'deleted', newHref],
      ].sort(),
    );
  });
});
