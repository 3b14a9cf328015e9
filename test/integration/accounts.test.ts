import { CalsyncError, type SyncEvent } from '@calsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { alice, openSdk } from './setup.ts';

const SECRET = 'alice-password';

async function rejection(promise: Promise<unknown>): Promise<CalsyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CalsyncError);
  return error as CalsyncError;
}

describe('accounts against a real Radicale', () => {
  let server: RadicaleServer;

  beforeAll(async () => {
    server = await startRadicale();
    const dav = alice(server);
    await dav.makeCalendar('/alice/cal/', 'Calendar');
    await dav.makeCalendar('/alice/tasks-only/', 'Tasks');
    await dav.put(
      '/alice/cal/a.ics',
      buildIcs({ uid: 'a', summary: 'A', start: '20261201T100000Z', end: '20261201T110000Z' }),
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('rejects a wrong password with an auth error and stores nothing', async () => {
    const h = await openSdk();
    const error = await rejection(h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'nope' }));
    expect(error.code).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).not.toContain('nope');
    expect(await h.sdk.listAccounts()).toEqual([]);
    await h.sdk.close();
  });

  it('reports an unreachable server as a network error', async () => {
    const h = await openSdk();
    const port = await freePort();
    const error = await rejection(
      h.sdk.addAccount({ serverUrl: `http://127.0.0.1:${port}/`, username: 'a', password: 'b' }),
    );
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(true);
    await h.sdk.close();
  });

  it('refuses malformed input before any request', async () => {
    const h = await openSdk();
    for (const serverUrl of ['not a url', 'ftp://example.com/', 'http://user:pw@127.0.0.1/']) {
      expect((await rejection(h.sdk.addAccount({ serverUrl, username: 'a', password: 'b' }))).code).toBe(
        'invalid-input',
      );
    }
    expect(h.net.requests).toEqual([]);
    expect((await rejection(h.sdk.listEvents({ start: 'x', end: '2026-01-01' }))).code).toBe('invalid-input');
    expect((await rejection(h.sdk.listEvents({ start: '2026-02-01', end: '2026-01-01' }))).code).toBe('invalid-input');
    await h.sdk.close();
    expect((await rejection(h.sdk.listAccounts())).code).toBe('closed');
  });

  it('stores the password encrypted, never in the account row, and never in events', async () => {
    const h = await openSdk();
    const events: SyncEvent[] = [];
    await h.sdk.subscribe((e) => events.push(e));
    const account = await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: SECRET });
    expect((await h.sdk.listCalendars(account.id)).map((c) => c.name).sort()).toEqual(['Calendar', 'Tasks']);
    await h.sdk.sync();
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    expect(events.some((e) => e.type === 'changed')).toBe(true);
    expect(events.some((e) => e.type === 'status' && !e.status.syncing)).toBe(true);

    const raw = await readAllRows(h.idb, h.dbName);
    const text = JSON.stringify(raw.accounts);
    expect(text).not.toContain(SECRET);
    const credential = raw.credentials?.[0] as { ciphertext: ArrayBuffer };
    expect(new TextDecoder().decode(credential.ciphertext)).not.toContain(SECRET);
    const key = raw.meta?.[0] as CryptoKey;
    expect(key.extractable).toBe(false);
    await h.sdk.close();
  });

  it('another engine on the same database (another tab) learns of changes', async () => {
    const first = await openSdk();
    const second = await openSdk(first.idb, first.dbName);
    const changed = new Promise<SyncEvent>((resolve) => {
      void second.sdk.subscribe((e) => {
        if (e.type === 'changed') resolve(e);
      });
    });
    await first.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: SECRET });
    await first.sdk.sync();
    expect((await changed).type).toBe('changed');
    expect((await second.sdk.listEvents({ start: '2026-12-01', end: '2026-12-02' })).map((e) => e.summary)).toEqual([
      'A',
    ]);
    await first.sdk.close();
    await second.sdk.close();
  });

  it('removeAccount deletes the local data only', async () => {
    const h = await openSdk();
    const account = await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: SECRET });
    await h.sdk.sync();
    expect((await h.sdk.listEvents({ start: '2026-12-01', end: '2026-12-02' })).length).toBe(1);
    await h.sdk.removeAccount(account.id);
    expect(await h.sdk.listAccounts()).toEqual([]);
    expect(await h.sdk.listCalendars()).toEqual([]);
    expect(await h.sdk.listEvents({ start: '2026-12-01', end: '2026-12-02' })).toEqual([]);
    expect((await alice(server).get('/alice/cal/a.ics')).status).toBe(200);
    await h.sdk.close();
  });
});

/** Reads every row of the stores straight from IndexedDB, bypassing the SDK. */
async function readAllRows(idb: IDBFactory, name: string): Promise<Record<string, unknown[]>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = idb.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const result: Record<string, unknown[]> = {};
  for (const storeName of ['accounts', 'credentials', 'meta']) {
    result[storeName] = await new Promise<unknown[]>((resolve, reject) => {
      const request = db.transaction(storeName).objectStore(storeName).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  db.close();
  return result;
}
