import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import type { CalendarRecord, ObjectRecord } from '../model/records.ts';
import { DB_VERSION } from './schema.ts';
import { CalsyncStore } from './store.ts';

const calendar = (id: string, accountId = 'acc'): CalendarRecord => ({
  id,
  accountId,
  url: `https://dav.example/${id}/`,
  displayName: id,
  components: ['VEVENT'],
  readOnly: false,
  supportsSyncCollection: true,
});

const object = (calendarId: string, href: string, rangeStart: number, rangeEnd: number): ObjectRecord => ({
  calendarId,
  href,
  etag: '"1"',
  ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
  state: 'ok',
  uid: href,
  rangeStart,
  rangeEnd,
});

describe('CalsyncStore (IndexedDB via fake-indexeddb)', () => {
  let idb: IDBFactory;
  let store: CalsyncStore;

  beforeEach(async () => {
    idb = new IDBFactory();
    store = await CalsyncStore.open(idb, 'store-test');
  });

  it('round-trips an encrypted password and keeps it out of the account row', async () => {
    const account = {
      id: 'acc',
      name: 'A',
      serverUrl: 'https://dav.example/',
      username: 'u',
      principalUrl: 'p',
      homeUrl: 'h',
      createdAt: 1,
    };
    await store.addAccount(account, 'pässwörd', [calendar('c1')]);
    expect(await store.getPassword('acc')).toBe('pässwörd');
    expect(JSON.stringify(await store.getAccount('acc'))).not.toContain('pässwörd');
    // The key survives reopening (it is stored non-extractable in the database).
    store.close();
    store = await CalsyncStore.open(idb, 'store-test');
    expect(await store.getPassword('acc')).toBe('pässwörd');
  });

  it('applies a batch atomically: a failing write leaves nothing of the batch behind', async () => {
    await store.putCalendar(calendar('c1'));
    const bad = { ...object('c1', 'b', 0, 1), ics: (() => 'x') as unknown as string }; // not cloneable
    await expect(
      store.applyObjects('c1', {
        puts: [object('c1', 'a', 0, 1), bad],
        deletes: [],
        syncState: { calendarId: 'c1', token: 't' },
      }),
    ).rejects.toBeInstanceOf(CalsyncError);
    expect(await store.countObjects('c1')).toBe(0);
    expect(await store.getSyncState('c1')).toBeUndefined();
  });

  it('migrates a schema-2 database to the current one keeping its objects (their indexes dropped in 3 and 6, the rows moved into pages in 7)', async () => {
    const factory = new IDBFactory();
    const old = factory.open('migrate-test', 2);
    old.onupgradeneeded = () => {
      const db = old.result;
      for (const name of ['meta', 'accounts', 'credentials', 'syncState']) db.createObjectStore(name);
      db.createObjectStore('calendars', { keyPath: 'id' }).createIndex('by-account', 'accountId');
      const objects = db.createObjectStore('objects', { keyPath: ['calendarId', 'href'] });
      objects.createIndex('by-uid', ['calendarId', 'uid']);
      objects.createIndex('by-range-end', ['calendarId', 'rangeEnd']);
      const outbox = db.createObjectStore('outbox', { keyPath: ['calendarId', 'href'] });
      outbox.createIndex('by-account', 'accountId');
      outbox.createIndex('by-id', 'id', { unique: true });
      db.createObjectStore('conflicts', { keyPath: 'id' }).createIndex('by-object', ['calendarId', 'href']);
      objects.put(object('c1', 'kept', 0, 1));
    };
    await new Promise((resolve, reject) => {
      old.onsuccess = () => {
        old.result.close();
        resolve(undefined);
      };
      old.onerror = () => reject(old.error);
    });
    const migrated = await CalsyncStore.open(factory, 'migrate-test');
    expect((await migrated.objectsOfCalendar('c1')).map((o) => o.href)).toEqual(['kept']);
    migrated.close();
    const raw = factory.open('migrate-test');
    const db = await new Promise<IDBDatabase>((resolve) => {
      raw.onsuccess = () => resolve(raw.result);
    });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).toContain('pages');
    expect([...db.objectStoreNames]).not.toContain('objects');
    db.close();
  });

  it('removing a calendar or an account removes everything below it, and only that', async () => {
    await store.addAccount(
      { id: 'acc', name: 'A', serverUrl: 's', username: 'u', principalUrl: 'p', homeUrl: 'h', createdAt: 1 },
      'pw',
      [calendar('c1'), calendar('c2')],
    );
    await store.putCalendar(calendar('other', 'acc2'));
    for (const id of ['c1', 'c2', 'other']) {
      await store.applyObjects(id, {
        puts: [object(id, 'x', 0, 1)],
        deletes: [],
        syncState: { calendarId: id, token: 't' },
      });
    }
    await store.removeCalendar('c1');
    expect(await store.countObjects('c1')).toBe(0);
    expect(await store.getSyncState('c1')).toBeUndefined();
    expect(await store.countObjects('c2')).toBe(1);
    await store.removeAccount('acc');
    expect(await store.listCalendars('acc')).toEqual([]);
    expect(await store.getPassword('acc')).toBeUndefined();
    expect(await store.countObjects('other')).toBe(1);
  });
});
