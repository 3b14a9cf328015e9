import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import type { LocalChange } from '../model/outbox.ts';
import type {
  AccountRecord,
  CalendarRecord,
  ConflictRecord,
  CredentialRecord,
  ObjectRecord,
  OutboxRecord,
} from '../model/records.ts';
import { coalesce, type LocalEdit } from '../outbox/coalesce.ts';
import type { CalsyncStore } from './store.ts';

/**
 * The store's contract: what the sync engine and the outbox rely on, run against every
 * IndexedDB the SDK meets (fake-indexeddb in Node, the real one in Chromium).
 *
 * `open(name)` opens a CalsyncStore on the database `name` of `factory()` (the global
 * `indexedDB` by default): a few cases read or write the raw records behind the store
 * (encryption at rest, a tampered credential) through that factory.
 */
export function describeStoreContract(
  label: string,
  open: (dbName: string) => Promise<CalsyncStore>,
  factory: () => IDBFactory = () => indexedDB,
): void {
  describe(`store contract: ${label}`, () => {
    const run = crypto.randomUUID();
    let serial = 0;
    let name = '';
    let opened: CalsyncStore[] = [];
    let store: CalsyncStore;

    const reopen = async (): Promise<CalsyncStore> => {
      const next = await open(name);
      opened.push(next);
      return next;
    };

    beforeEach(async () => {
      name = `store-contract-${run}-${++serial}`;
      opened = [];
      store = await reopen();
    });

    afterEach(async () => {
      for (const s of opened) s.close();
      await request(factory().deleteDatabase(name));
    });

    /** Runs `body` on a raw connection to the store's database (closed afterwards). */
    const raw = async <T>(body: (db: IDBDatabase) => Promise<T>): Promise<T> => {
      const db = await request(factory().open(name));
      try {
        return await body(db);
      } finally {
        db.close();
      }
    };
    const rawAll = (storeName: string) =>
      raw((db) => request(db.transaction(storeName).objectStore(storeName).getAll()));

    /** An account with its calendars and a password, as `addAccount` stores it. */
    const seedAccount = async (accountId: string, calendarIds: string[], password = `pw-${accountId}`) => {
      await store.addAccount(
        account(accountId),
        password,
        calendarIds.map((id) => calendar(id, accountId)),
      );
    };

    /**
     * A local edit as outbox/local-edits.ts records it: coalesced into the object's entry,
     * the row showing the local version (null when the edit removes it).
     */
    const localChange = async (calendarId: string, href: string, change: LocalEdit, now: number) => {
      const cal = await store.getCalendar(calendarId);
      if (!cal) throw new Error(`no calendar ${calendarId}`);
      const existing = await store.outbox.get(calendarId, href);
      const current = await store.getObject(calendarId, href);
      const entry = coalesce(existing, change, {
        id: existing?.id ?? `entry-${calendarId}-${href}`,
        calendarId,
        accountId: cal.accountId,
        href,
        uid: href,
        serverEtag: current?.pending ? undefined : current?.etag,
        serverIcs: current?.pending ? undefined : current?.ics,
        now,
      });
      const row: ObjectRecord | null =
        change.kind === 'delete' || entry === null
          ? null
          : {
              ...object(calendarId, href, current?.etag, change.ics),
              pending: true,
              conflict: current?.conflict ?? false,
            };
      return { calendarId, href, row, entry } satisfies LocalChange;
    };
    const edit = async (calendarId: string, href: string, change: LocalEdit, now: number) => {
      const local = await localChange(calendarId, href, change, now);
      await store.outbox.recordChanges([local]);
      return local.entry;
    };

    /** The outbox entry of an object (fails the test when there is none). */
    const entryOf = async (calendarId: string, href: string): Promise<OutboxRecord> => {
      const entry = await store.outbox.get(calendarId, href);
      expect(entry).toBeDefined();
      return entry as OutboxRecord;
    };

    /** A server-synced object with one pending update `ics`, its entry returned (the push's `sent`). */
    const pendingUpdate = async (href: string, localIcs: string) => {
      await seedAccount('acc', ['c1']);
      await store.applyObjects('c1', { puts: [object('c1', href, '"1"', ics(href, 'server-1'))], deletes: [] });
      await edit('c1', href, { kind: 'update', ics: localIcs }, 10);
      return entryOf('c1', href);
    };

    describe('lifecycle', () => {
      it('a new database is empty', async () => {
        expect(await store.listAccounts()).toEqual([]);
        expect(await store.listCalendars()).toEqual([]);
        expect(await store.outbox.count()).toBe(0);
        expect(await store.outbox.list()).toEqual([]);
        expect(await store.outbox.listConflicts()).toEqual([]);
        expect(await store.getPassword('acc')).toBeUndefined();
      });

      it('keeps everything across close and reopen', async () => {
        await seedAccount('acc', ['c1'], 'secret');
        await store.applyObjects('c1', {
          puts: [object('c1', 'a', '"1"', ics('a', 'v1'))],
          deletes: [],
          syncState: { calendarId: 'c1', token: 'tok-1' },
        });
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local') }, 5);
        store.close();
        store = await reopen();
        expect(await store.getAccount('acc')).toEqual(account('acc'));
        expect(await store.getPassword('acc')).toBe('secret');
        expect(await store.listCalendars('acc')).toEqual([calendar('c1', 'acc')]);
        expect((await store.getObject('c1', 'a'))?.ics).toBe(ics('a', 'local'));
        expect(await store.getSyncState('c1')).toEqual({ calendarId: 'c1', token: 'tok-1' });
        expect((await store.outbox.get('c1', 'a'))?.ics).toBe(ics('a', 'local'));
      });
    });

    describe('accounts and credentials', () => {
      it('round-trips accounts and their calendars; updateAccount replaces the row', async () => {
        await seedAccount('acc', ['c1', 'c2']);
        await seedAccount('acc2', ['c3']);
        expect(await store.getAccount('acc')).toEqual(account('acc'));
        expect((await store.listAccounts()).map((a) => a.id).sort()).toEqual(['acc', 'acc2']);
        expect((await store.listCalendars('acc')).map((c) => c.id).sort()).toEqual(['c1', 'c2']);
        expect((await store.listCalendars()).map((c) => c.id).sort()).toEqual(['c1', 'c2', 'c3']);
        expect(await store.getCalendar('c3')).toEqual(calendar('c3', 'acc2'));

        const updated: AccountRecord = { ...account('acc'), paused: true, lastError: { code: 'auth', message: 'no' } };
        await store.updateAccount(updated);
        expect(await store.getAccount('acc')).toEqual(updated);
        expect(await store.getAccount('missing')).toBeUndefined();
      });

      it('addAccount is atomic: an invalid calendar leaves no account, credential or calendar', async () => {
        const invalid = { ...calendar('c2', 'acc'), id: undefined } as unknown as CalendarRecord;
        await expect(store.addAccount(account('acc'), 'pw', [calendar('c1', 'acc'), invalid])).rejects.toBeInstanceOf(
          CalsyncError,
        );
        expect(await store.listAccounts()).toEqual([]);
        expect(await store.listCalendars()).toEqual([]);
        expect(await store.getPassword('acc')).toBeUndefined();
        expect(await rawAll('credentials')).toEqual([]);
      });

      it('stores passwords AES-GCM-encrypted under a non-extractable key, never in plain', async () => {
        const password = 'pässwörd-🔑-1234';
        await seedAccount('acc', ['c1'], password);
        expect(await store.getPassword('acc')).toBe(password);

        const [credential, ...more] = (await rawAll('credentials')) as CredentialRecord[];
        expect(more).toEqual([]);
        expect(credential?.accountId).toBe('acc');
        expect(credential?.iv).toBeInstanceOf(Uint8Array);
        expect(credential?.iv.byteLength).toBe(12);
        expect(credential?.ciphertext).toBeInstanceOf(ArrayBuffer);
        const cipherBytes = new Uint8Array(credential?.ciphertext ?? new ArrayBuffer(0));
        const plainBytes = new TextEncoder().encode(password);
        // AES-GCM: as long as the text plus a 16-byte tag, and not the text itself.
        expect(cipherBytes.byteLength).toBe(plainBytes.byteLength + 16);
        expect(containsBytes(cipherBytes, plainBytes)).toBe(false);

        const keys = (await rawAll('meta')).filter((v): v is CryptoKey => v instanceof CryptoKey);
        expect(keys).toHaveLength(1);
        expect(keys[0]?.extractable).toBe(false);
        expect(keys[0]?.algorithm.name).toBe('AES-GCM');

        for (const storeName of ['accounts', 'calendars', 'credentials', 'meta']) {
          for (const record of await rawAll(storeName)) {
            expect(JSON.stringify(record) ?? '').not.toContain(password);
          }
        }
      });

      it('setPassword replaces the password with a fresh encryption', async () => {
        await seedAccount('acc', ['c1'], 'same');
        const [before] = (await rawAll('credentials')) as CredentialRecord[];
        await store.setPassword('acc', 'same');
        const [again] = (await rawAll('credentials')) as CredentialRecord[];
        expect(again?.iv).not.toEqual(before?.iv);
        expect(await store.getPassword('acc')).toBe('same');
        await store.setPassword('acc', 'changed');
        expect(await store.getPassword('acc')).toBe('changed');
      });

      it('a tampered credential is an auth error, not a wrong password', async () => {
        await seedAccount('acc', ['c1'], 'secret');
        await raw(async (db) => {
          const tx = db.transaction('credentials', 'readwrite');
          const credentials = tx.objectStore('credentials');
          const record = (await request(credentials.get('acc'))) as CredentialRecord;
          const bytes = new Uint8Array(record.ciphertext.slice(0));
          bytes[0] = (bytes[0] ?? 0) ^ 0xff;
          credentials.put({ ...record, ciphertext: bytes.buffer });
          await done(tx);
        });
        const failure = await store.getPassword('acc').then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(CalsyncError);
        expect((failure as CalsyncError).code).toBe('auth');
      });

      it('removeAccount removes everything below the account, and nothing else', async () => {
        await seedAccount('acc', ['c1', 'c2']);
        await seedAccount('acc2', ['c3']);
        for (const id of ['c1', 'c2', 'c3']) {
          await store.applyObjects(id, {
            puts: [object(id, 'a', '"1"', ics('a', 'v1')), object(id, 'b', '"1"', ics('b', 'v1'))],
            deletes: [],
            syncState: { calendarId: id, token: `tok-${id}` },
          });
          await edit(id, 'a', { kind: 'update', ics: ics('a', 'local') }, 1);
          // An open conflict on b, as a finished push leaves it.
          await edit(id, 'b', { kind: 'update', ics: ics('b', 'local') }, 2);
          await store.outbox.complete(await entryOf(id, 'b'), {
            row: object(id, 'b', '"2"', ics('b', 'server-2')),
            conflict: conflict(`k-${id}`, id, 'b', 3),
          });
        }

        await store.removeAccount('acc');

        expect(await store.getAccount('acc')).toBeUndefined();
        expect(await store.getPassword('acc')).toBeUndefined();
        expect(((await rawAll('credentials')) as CredentialRecord[]).map((c) => c.accountId)).toEqual(['acc2']);
        expect(await store.listCalendars('acc')).toEqual([]);
        for (const id of ['c1', 'c2']) {
          expect(await store.getCalendar(id)).toBeUndefined();
          expect(await store.countObjects(id)).toBe(0);
          expect(await store.getSyncState(id)).toBeUndefined();
          expect(await store.outbox.countForCalendar(id)).toBe(0);
          expect(await store.hasLocalState(id)).toBe(false);
        }
        expect(await store.outbox.list('acc')).toEqual([]);
        expect((await store.outbox.listConflicts()).map((c) => c.id)).toEqual(['k-c3']);
        // The other account is untouched.
        expect(await store.getPassword('acc2')).toBe('pw-acc2');
        expect(await store.countObjects('c3')).toBe(2);
        expect(await store.getSyncState('c3')).toEqual({ calendarId: 'c3', token: 'tok-c3' });
        expect((await store.outbox.list('acc2')).map((e) => e.href)).toEqual(['a']);
      });

      it('removeCalendar removes only that calendar (no id-prefix spill: c1 vs c10)', async () => {
        await seedAccount('acc', ['c1', 'c10']);
        for (const id of ['c1', 'c10']) {
          await store.applyObjects(id, {
            puts: [object(id, 'a', '"1"', ics('a', 'v1'))],
            deletes: [],
            syncState: { calendarId: id, token: 't' },
          });
          await edit(id, 'n', { kind: 'create', ics: ics('n', 'new') }, 1);
        }
        await store.removeCalendar('c1');
        expect(await store.getCalendar('c1')).toBeUndefined();
        expect(await store.countObjects('c1')).toBe(0);
        expect(await store.getSyncState('c1')).toBeUndefined();
        expect(await store.outbox.countForCalendar('c1')).toBe(0);
        expect(await store.countObjects('c10')).toBe(2);
        expect(await store.getSyncState('c10')).toEqual({ calendarId: 'c10', token: 't' });
        expect(await store.outbox.countForCalendar('c10')).toBe(1);
        expect(await store.getAccount('acc')).toBeDefined();
      });
    });

    describe('sync state', () => {
      it('round-trips and is replaced whole, never merged', async () => {
        expect(await store.getSyncState('c1')).toBeUndefined();
        const full = { calendarId: 'c1', token: 't1', ctag: 'x', lastFullSyncAt: 123, retry: ['h1', 'h2'] };
        await store.putSyncState(full);
        expect(await store.getSyncState('c1')).toEqual(full);
        await store.putSyncState({ calendarId: 'c1', ctag: 'y' });
        expect(await store.getSyncState('c1')).toEqual({ calendarId: 'c1', ctag: 'y' });
      });

      it('a batch commits its sync state with its data; a batch without one keeps the old', async () => {
        await store.applyObjects('c1', {
          puts: [object('c1', 'a', '"1"', ics('a', 'v1'))],
          deletes: [],
          syncState: { calendarId: 'c1', token: 't1' },
        });
        expect(await store.getSyncState('c1')).toEqual({ calendarId: 'c1', token: 't1' });
        await store.applyObjects('c1', { puts: [object('c1', 'b', '"1"', ics('b', 'v1'))], deletes: [] });
        expect(await store.getSyncState('c1')).toEqual({ calendarId: 'c1', token: 't1' });
      });
    });

    describe('objects', () => {
      it('applies puts and deletes of one batch; getObject, objectEtags, countObjects and objectsOfCalendar agree', async () => {
        await store.applyObjects('c1', {
          puts: [
            object('c1', 'a', '"1"', ics('a', 'v1')),
            object('c1', 'b', '"1"', ics('b', 'v1')),
            object('c1', 'c', undefined, ics('c', 'v1')),
          ],
          deletes: [],
        });
        await store.applyObjects('c1', {
          puts: [object('c1', 'a', '"2"', ics('a', 'v2')), object('c1', 'd', '"1"', ics('d', 'v1'))],
          deletes: ['b', 'never-stored'],
        });
        expect(await store.objectEtags('c1')).toEqual(
          new Map<string, string | undefined>([
            ['a', '"2"'],
            ['c', undefined],
            ['d', '"1"'],
          ]),
        );
        expect(await store.countObjects('c1')).toBe(3);
        expect(await store.getObject('c1', 'a')).toEqual(object('c1', 'a', '"2"', ics('a', 'v2')));
        expect(await store.getObject('c1', 'b')).toBeUndefined();
        expect((await store.objectsOfCalendar('c1')).map((o) => o.href).sort()).toEqual(['a', 'c', 'd']);
      });

      it('re-applying a batch gives the same replica (idempotent)', async () => {
        const batch = {
          puts: [object('c1', 'a', '"1"', ics('a', 'v1')), object('c1', 'b', '"1"', ics('b', 'v1'))],
          deletes: ['z'],
          syncState: { calendarId: 'c1', token: 't' },
        };
        await store.applyObjects('c1', batch);
        const first = await store.objectsOfCalendar('c1');
        await store.applyObjects('c1', batch);
        expect(await store.objectsOfCalendar('c1')).toEqual(first);
        expect(await store.countObjects('c1')).toBe(2);
      });

      const invalid: Array<[string, (calendarId: string) => ObjectRecord]> = [
        [
          'a record without its key',
          (id) => ({ ...object(id, 'x', '"1"', 'x'), href: undefined as unknown as string }),
        ],
        ['a record of another calendar', () => object('other', 'x', '"1"', 'x')],
        ['a record that cannot be cloned', (id) => ({ ...object(id, 'x', '"1"', 'x'), ics: (() => 'x') as never })],
      ];
      it.each(invalid)('a failing batch (%s) leaves the previous content whole', async (_kind, bad) => {
        await store.applyObjects('c1', {
          puts: [object('c1', 'a', '"1"', ics('a', 'v1')), object('c1', 'b', '"1"', ics('b', 'v1'))],
          deletes: [],
          syncState: { calendarId: 'c1', token: 'old' },
        });
        const before = await store.objectsOfCalendar('c1');
        await expect(
          store.applyObjects('c1', {
            puts: [object('c1', 'a', '"2"', ics('a', 'v2')), object('c1', 'new', '"1"', ics('new', 'v1')), bad('c1')],
            deletes: ['b'],
            syncState: { calendarId: 'c1', token: 'new' },
          }),
        ).rejects.toBeInstanceOf(CalsyncError);
        expect(await store.objectsOfCalendar('c1')).toEqual(before);
        expect(await store.objectEtags('c1')).toEqual(
          new Map([
            ['a', '"1"'],
            ['b', '"1"'],
          ]),
        );
        expect(await store.getSyncState('c1')).toEqual({ calendarId: 'c1', token: 'old' });
        expect(await store.countObjects('other')).toBe(0);
      });

      it('keeps calendars apart by id, even ids that prefix each other', async () => {
        await store.applyObjects('c1', { puts: [object('c1', 'a', '"1"', ics('a', '1'))], deletes: [] });
        await store.applyObjects('c10', {
          puts: [object('c10', 'a', '"10"', ics('a', '10')), object('c10', 'b', '"10"', ics('b', '10'))],
          deletes: [],
        });
        await store.applyObjects('c1', { puts: [], deletes: ['b'] });
        expect(await store.objectEtags('c1')).toEqual(new Map([['a', '"1"']]));
        expect(await store.countObjects('c1')).toBe(1);
        expect(await store.countObjects('c10')).toBe(2);
        expect(await store.countObjects('c')).toBe(0);
      });

      it('a pull never overwrites or deletes an object with a pending local edit', async () => {
        await seedAccount('acc', ['c1']);
        await store.applyObjects('c1', {
          puts: [object('c1', 'a', '"1"', ics('a', 'v1')), object('c1', 'b', '"1"', ics('b', 'v1'))],
          deletes: [],
        });
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local') }, 1);
        await edit('c1', 'b', { kind: 'update', ics: ics('b', 'local') }, 1);
        await edit('c1', 'n', { kind: 'create', ics: ics('n', 'local') }, 1);
        await store.applyObjects('c1', {
          puts: [object('c1', 'a', '"2"', ics('a', 'server-2')), object('c1', 'n', '"9"', ics('n', 'server'))],
          deletes: ['b'],
          syncState: { calendarId: 'c1', token: 't2' },
        });
        for (const href of ['a', 'b', 'n']) {
          const row = await store.getObject('c1', href);
          expect(row?.ics).toBe(ics(href, 'local'));
          expect(row?.pending).toBe(true);
        }
        expect(await store.getSyncState('c1')).toEqual({ calendarId: 'c1', token: 't2' });
      });

      it('a pull keeps the conflict flag of an object with an open conflict', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local'));
        await store.outbox.complete(sent, {
          row: object('c1', 'a', '"2"', ics('a', 'server-2')),
          conflict: conflict('k1', 'c1', 'a', 1),
        });
        await store.applyObjects('c1', { puts: [object('c1', 'a', '"3"', ics('a', 'server-3'))], deletes: [] });
        const row = await store.getObject('c1', 'a');
        expect(row?.etag).toBe('"3"');
        expect(row?.conflict).toBe(true);
      });

      it('hasLocalState: true with an outbox entry or an open conflict, false once settled', async () => {
        await seedAccount('acc', ['c1', 'c10']);
        await store.applyObjects('c1', { puts: [object('c1', 'a', '"1"', ics('a', 'v1'))], deletes: [] });
        const both = async () => [await store.hasLocalState('c1'), await store.outbox.hasLocalState('c1')];
        expect(await both()).toEqual([false, false]);
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local') }, 1);
        expect(await both()).toEqual([true, true]);
        expect(await store.hasLocalState('c10')).toBe(false);
        await store.outbox.complete(await entryOf('c1', 'a'), {
          row: object('c1', 'a', '"2"', ics('a', 'server-2')),
          conflict: conflict('k1', 'c1', 'a', 1),
        });
        expect(await store.outbox.count()).toBe(0);
        expect(await both()).toEqual([true, true]);
        await store.outbox.settleConflict((await store.outbox.getConflict('k1')) as ConflictRecord, undefined);
        expect(await both()).toEqual([false, false]);
      });
    });

    describe('outbox', () => {
      it('recordChanges stores the local row and its entry together', async () => {
        await seedAccount('acc', ['c1']);
        const entry = await edit('c1', 'n', { kind: 'create', ics: ics('n', 'new') }, 7);
        expect(await store.outbox.get('c1', 'n')).toEqual(entry);
        expect(await store.outbox.getById('entry-c1-n')).toEqual(entry);
        expect(entry).toMatchObject({ op: 'create', revision: 1, attempts: 0, state: 'pending', accountId: 'acc' });
        const row = await store.getObject('c1', 'n');
        expect(row).toMatchObject({ ics: ics('n', 'new'), pending: true, etag: undefined });
        expect(await store.outbox.getById('missing')).toBeUndefined();
      });

      it('keeps one entry per object: edits coalesce into it (same id and base, revision bumped)', async () => {
        await seedAccount('acc', ['c1']);
        await store.applyObjects('c1', { puts: [object('c1', 'a', '"1"', ics('a', 'server-1'))], deletes: [] });
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local-1') }, 1);
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local-2') }, 2);
        expect(await store.outbox.count()).toBe(1);
        expect(await entryOf('c1', 'a')).toMatchObject({
          id: 'entry-c1-a',
          op: 'update',
          ics: ics('a', 'local-2'),
          baseEtag: '"1"',
          baseIcs: ics('a', 'server-1'),
          revision: 2,
          createdAt: 1,
          updatedAt: 2,
        });
        expect((await store.getObject('c1', 'a'))?.ics).toBe(ics('a', 'local-2'));

        await edit('c1', 'a', { kind: 'delete' }, 3);
        const deleted = await entryOf('c1', 'a');
        expect(deleted).toMatchObject({ op: 'delete', baseEtag: '"1"', revision: 3 });
        expect(deleted.ics).toBeUndefined();
        expect(await store.getObject('c1', 'a')).toBeUndefined();
      });

      it('a create and a delete of it cancel out: no row, no entry', async () => {
        await seedAccount('acc', ['c1']);
        await edit('c1', 'n', { kind: 'create', ics: ics('n', 'new') }, 1);
        await edit('c1', 'n', { kind: 'update', ics: ics('n', 'new-2') }, 2);
        expect(await entryOf('c1', 'n')).toMatchObject({ op: 'create', ics: ics('n', 'new-2'), revision: 2 });
        expect(await edit('c1', 'n', { kind: 'delete' }, 3)).toBeNull();
        expect(await store.outbox.get('c1', 'n')).toBeUndefined();
        expect(await store.getObject('c1', 'n')).toBeUndefined();
        expect(await store.outbox.count()).toBe(0);
      });

      it('the first server rows of a calendar leave an empty sync state; local edits and deletes alone do not', async () => {
        await seedAccount('acc', ['c1', 'c10']);
        await edit('c1', 'n1', { kind: 'create', ics: ics('n1', 'new') }, 1);
        await store.applyObjects('c1', { puts: [], deletes: ['gone'] });
        expect(await store.getSyncState('c1')).toBeUndefined();
        // A put of the local create's href is skipped (pending), but it is server data all the same.
        await store.applyObjects('c1', { puts: [object('c1', 'a', '"1"', ics('a', 'server-1'))], deletes: [] });
        expect(await store.getSyncState('c1')).toEqual({ calendarId: 'c1' });
        expect(await store.getSyncState('c10')).toBeUndefined();
        await store.applyObjects('c10', { puts: [], deletes: [], syncState: { calendarId: 'c10', token: 't' } });
        await store.applyObjects('c10', { puts: [object('c10', 'a', '"1"', ics('a', 'server-1'))], deletes: [] });
        expect(await store.getSyncState('c10')).toEqual({ calendarId: 'c10', token: 't' });
      });

      it('recordChanges is atomic: one failing change stores none of the action', async () => {
        await seedAccount('acc', ['c1']);
        const first = await edit('c1', 'a', { kind: 'create', ics: ics('a', 'new') }, 1);
        if (!first) throw new Error('expected an entry');
        const row = (href: string): ObjectRecord => ({
          ...object('c1', href, undefined, ics(href, 'x')),
          pending: true,
        });
        const entry = (href: string, id: string): OutboxRecord => ({
          ...first,
          op: 'create',
          id,
          href,
          ics: ics(href, 'x'),
        });
        // The second change reuses the id of a's entry: the unique by-id index refuses it.
        const failure = await store.outbox
          .recordChanges([
            { calendarId: 'c1', href: 'b', row: row('b'), entry: entry('b', 'fresh-id') },
            { calendarId: 'c1', href: 'c', row: row('c'), entry: entry('c', first.id) },
          ])
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        // The caller sees the request's own error (not a follow-up of the abort).
        expect(failure).toBeInstanceOf(CalsyncError);
        expect(((failure as CalsyncError).cause as { name?: string } | undefined)?.name).toBe('ConstraintError');
        expect(await store.getObject('c1', 'b')).toBeUndefined();
        expect(await store.outbox.get('c1', 'b')).toBeUndefined();
        expect(await store.outbox.get('c1', 'c')).toBeUndefined();
        expect(await store.outbox.get('c1', 'a')).toEqual(first);
        expect(await store.outbox.count()).toBe(1);
      });

      it('lists entries oldest first, per account or all; counts per calendar', async () => {
        await seedAccount('acc', ['c1', 'c2']);
        await seedAccount('acc2', ['c3']);
        // Keys sort a < b < c; creation order is the reverse.
        await edit('c1', 'c', { kind: 'create', ics: ics('c', 'x') }, 10);
        await edit('c3', 'b', { kind: 'create', ics: ics('b', 'x') }, 20);
        await edit('c2', 'b', { kind: 'create', ics: ics('b', 'x') }, 30);
        await edit('c1', 'a', { kind: 'create', ics: ics('a', 'x') }, 40);
        // A later edit does not move an entry: order is by creation.
        await edit('c1', 'c', { kind: 'update', ics: ics('c', 'y') }, 50);
        const order = (entries: OutboxRecord[]) => entries.map((e) => `${e.calendarId}/${e.href}`);
        expect(order(await store.outbox.list())).toEqual(['c1/c', 'c3/b', 'c2/b', 'c1/a']);
        expect(order(await store.outbox.list('acc'))).toEqual(['c1/c', 'c2/b', 'c1/a']);
        expect(order(await store.outbox.list('acc2'))).toEqual(['c3/b']);
        expect(await store.outbox.list('nobody')).toEqual([]);
        expect(await store.outbox.count()).toBe(4);
        expect(await store.outbox.countForCalendar('c1')).toBe(2);
        expect(await store.outbox.countForCalendar('c2')).toBe(1);
        expect(await store.outbox.countForCalendar('c')).toBe(0);
      });

      it("discard drops one object's entry, conflicts and row, and nothing else", async () => {
        const sent = await pendingUpdate('a', ics('a', 'local'));
        await store.outbox.complete(sent, {
          row: object('c1', 'a', '"2"', ics('a', 'server-2')),
          conflict: conflict('k-a', 'c1', 'a', 1),
        });
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'again') }, 20);
        await store.applyObjects('c1', { puts: [object('c1', 'b', '"1"', ics('b', 'v1'))], deletes: [] });
        await edit('c1', 'b', { kind: 'update', ics: ics('b', 'local') }, 21);
        await store.outbox.complete(await entryOf('c1', 'b'), {
          row: object('c1', 'b', '"2"', ics('b', 'server-2')),
          conflict: conflict('k-b', 'c1', 'b', 2),
        });

        await store.outbox.discard('c1', 'a');

        expect(await store.outbox.get('c1', 'a')).toBeUndefined();
        expect(await store.getObject('c1', 'a')).toBeUndefined();
        expect((await store.outbox.listConflicts()).map((c) => c.id)).toEqual(['k-b']);
        expect((await store.getObject('c1', 'b'))?.conflict).toBe(true);
      });

      it('updateBookkeeping stores retry and quarantine state of the revision that was sent', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local'));
        const lastError = { code: 'server' as const, message: 'HTTP 500', status: 500 };
        await store.outbox.updateBookkeeping({ ...sent, attempts: 1, nextAttemptAt: 1_000, lastError });
        expect(await entryOf('c1', 'a')).toEqual({ ...sent, attempts: 1, nextAttemptAt: 1_000, lastError });
        const refused = { code: 'server' as const, message: 'HTTP 403', status: 403, serverMessage: 'no' };
        await store.outbox.updateBookkeeping({ ...sent, attempts: 2, state: 'quarantined', lastError: refused });
        // nextAttemptAt not given: the earlier one stays.
        expect(await entryOf('c1', 'a')).toEqual({
          ...sent,
          attempts: 2,
          state: 'quarantined',
          nextAttemptAt: 1_000,
          lastError: refused,
        });
      });

      it('updateBookkeeping never quarantines a newer edit, nor brings back a removed entry', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local-1'));
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local-2') }, 20);
        await store.outbox.updateBookkeeping({
          ...sent,
          attempts: 1,
          state: 'quarantined',
          lastError: { code: 'server', message: 'HTTP 403' },
        });
        const current = await entryOf('c1', 'a');
        expect(current).toMatchObject({ ics: ics('a', 'local-2'), revision: 2, state: 'pending' });

        await store.outbox.discard('c1', 'a');
        await store.outbox.updateBookkeeping({ ...current, attempts: 5 });
        expect(await store.outbox.get('c1', 'a')).toBeUndefined();
        expect(await store.outbox.count()).toBe(0);
      });
    });

    describe('completing a push', () => {
      it('with nothing newer: the entry goes and the row becomes the confirmed server version', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local'));
        const confirmed = object('c1', 'a', '"2"', ics('a', 'local'));
        await store.outbox.complete(sent, { row: confirmed });
        expect(await store.outbox.get('c1', 'a')).toBeUndefined();
        expect(await store.getObject('c1', 'a')).toEqual({ ...confirmed, pending: false, conflict: false });
        expect(await store.objectEtags('c1')).toEqual(new Map([['a', '"2"']]));
        expect(await store.hasLocalState('c1')).toBe(false);
      });

      it('a confirmed create and a confirmed delete', async () => {
        await seedAccount('acc', ['c1']);
        await edit('c1', 'n', { kind: 'create', ics: ics('n', 'new') }, 1);
        await store.outbox.complete(await entryOf('c1', 'n'), { row: object('c1', 'n', '"1"', ics('n', 'new')) });
        expect(await store.getObject('c1', 'n')).toMatchObject({ etag: '"1"', pending: false });
        await edit('c1', 'n', { kind: 'delete' }, 2);
        const deleting = await entryOf('c1', 'n');
        expect(deleting).toMatchObject({ op: 'delete', baseEtag: '"1"' });
        await store.outbox.complete(deleting, { row: null });
        expect(await store.getObject('c1', 'n')).toBeUndefined();
        expect(await store.outbox.count()).toBe(0);
      });

      it('an update made while the previous one was in flight stays queued, rebased on the pushed version', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local-1'));
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local-2') }, 20);
        await store.outbox.complete(sent, { row: object('c1', 'a', '"2"', ics('a', 'local-1')) });

        const rebased = await entryOf('c1', 'a');
        expect(rebased).toMatchObject({
          id: sent.id,
          op: 'update',
          ics: ics('a', 'local-2'),
          revision: 2,
          baseEtag: '"2"',
          baseIcs: ics('a', 'local-1'),
        });
        // The row still shows the newer local edit.
        expect(await store.getObject('c1', 'a')).toMatchObject({ ics: ics('a', 'local-2'), pending: true });

        // Its own push then completes normally.
        await store.outbox.complete(rebased, { row: object('c1', 'a', '"3"', ics('a', 'local-2')) });
        expect(await store.outbox.count()).toBe(0);
        expect(await store.getObject('c1', 'a')).toMatchObject({
          etag: '"3"',
          ics: ics('a', 'local-2'),
          pending: false,
        });
      });

      it('an edit made while its create was in flight becomes an update of the created object', async () => {
        await seedAccount('acc', ['c1']);
        await edit('c1', 'n', { kind: 'create', ics: ics('n', 'v1') }, 1);
        const sent = await entryOf('c1', 'n');
        await edit('c1', 'n', { kind: 'update', ics: ics('n', 'v2') }, 2);
        await store.outbox.complete(sent, { row: object('c1', 'n', '"1"', ics('n', 'v1')) });
        expect(await entryOf('c1', 'n')).toMatchObject({
          op: 'update',
          ics: ics('n', 'v2'),
          baseEtag: '"1"',
          baseIcs: ics('n', 'v1'),
          revision: 2,
        });
        expect(await store.getObject('c1', 'n')).toMatchObject({ ics: ics('n', 'v2'), pending: true });
      });

      it('a confirmation without an ETag rebases the content and keeps the If-Match it had', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local-1'));
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local-2') }, 20);
        await store.outbox.complete(sent, { row: object('c1', 'a', undefined, ics('a', 'local-1')) });
        // A stale If-Match only costs a 412 and a merge against baseIcs; dropping it would
        // turn the next PUT into a blind overwrite.
        expect(await entryOf('c1', 'a')).toMatchObject({ baseEtag: '"1"', baseIcs: ics('a', 'local-1'), revision: 2 });
      });

      it('a delete made while an update was in flight stays queued, based on the pushed version', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local-1'));
        await edit('c1', 'a', { kind: 'delete' }, 20);
        await store.outbox.complete(sent, { row: object('c1', 'a', '"2"', ics('a', 'local-1')) });
        const rebased = await entryOf('c1', 'a');
        expect(rebased).toMatchObject({ op: 'delete', baseEtag: '"2"', revision: 2 });
        expect(rebased.ics).toBeUndefined();
        expect(await store.getObject('c1', 'a')).toBeUndefined();
      });

      it('a delete made while an update was in flight is done when the server says the object is gone', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local-1'));
        await edit('c1', 'a', { kind: 'delete' }, 20);
        await store.outbox.complete(sent, { row: null });
        expect(await store.outbox.count()).toBe(0);
        expect(await store.getObject('c1', 'a')).toBeUndefined();
      });

      it('a delete made while its create was in flight is not dropped: the created object is deleted next', async () => {
        await seedAccount('acc', ['c1']);
        await edit('c1', 'n', { kind: 'create', ics: ics('n', 'v1') }, 1);
        const sent = await entryOf('c1', 'n');
        // Locally, create + delete cancel out: row and entry go…
        expect(await edit('c1', 'n', { kind: 'delete' }, 2)).toBeNull();
        // …but the create reached the server.
        await store.outbox.complete(sent, { row: object('c1', 'n', '"1"', ics('n', 'v1')) });
        expect(await store.getObject('c1', 'n')).toBeUndefined();
        expect(await entryOf('c1', 'n')).toMatchObject({
          id: sent.id,
          op: 'delete',
          accountId: 'acc',
          baseEtag: '"1"',
          baseIcs: ics('n', 'v1'),
          state: 'pending',
          attempts: 0,
        });
        expect((await store.outbox.list('acc')).map((e) => e.href)).toEqual(['n']);
      });

      it('a push completing after its calendar was removed or its object discarded brings nothing back', async () => {
        await seedAccount('acc', ['c1', 'c2']);
        await edit('c1', 'n', { kind: 'create', ics: ics('n', 'v1') }, 1);
        await edit('c2', 'n', { kind: 'create', ics: ics('n', 'v1') }, 1);
        const inC1 = await entryOf('c1', 'n');
        const inC2 = await entryOf('c2', 'n');
        await store.removeCalendar('c1');
        await store.putCalendar({ ...calendar('c2', 'acc'), deletedOnServer: true });
        await store.outbox.discard('c2', 'n');
        await store.outbox.complete(inC1, {
          row: object('c1', 'n', '"1"', ics('n', 'v1')),
          conflict: conflict('k1', 'c1', 'n', 1),
        });
        await store.outbox.complete(inC2, { row: object('c2', 'n', '"1"', ics('n', 'v1')) });
        expect(await store.countObjects('c1')).toBe(0);
        expect(await store.countObjects('c2')).toBe(0);
        expect(await store.outbox.count()).toBe(0);
        expect(await store.outbox.listConflicts()).toEqual([]);
      });

      it('an outcome with a conflict stores it and flags the row', async () => {
        const sent = await pendingUpdate('a', ics('a', 'local'));
        const kept = conflict('k1', 'c1', 'a', 5);
        const serverRow = object('c1', 'a', '"2"', ics('a', 'server-2'));
        await store.outbox.complete(sent, { row: serverRow, conflict: kept });
        expect(await store.outbox.count()).toBe(0);
        expect(await store.getObject('c1', 'a')).toEqual({ ...serverRow, pending: false, conflict: true });
        expect(await store.outbox.listConflicts()).toEqual([kept]);
        // A later confirmed push of the object keeps the flag while the conflict is open.
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'again') }, 30);
        await store.outbox.complete(await entryOf('c1', 'a'), { row: object('c1', 'a', '"3"', ics('a', 'again')) });
        expect((await store.getObject('c1', 'a'))?.conflict).toBe(true);
      });
    });

    describe('conflicts', () => {
      /** Object a of c1 with two open conflicts (k-old, k-new) and object b with one. */
      const twoConflicts = async () => {
        const sent = await pendingUpdate('a', ics('a', 'local'));
        await store.outbox.complete(sent, {
          row: object('c1', 'a', '"2"', ics('a', 'server-2')),
          conflict: conflict('k-new', 'c1', 'a', 20),
        });
        await edit('c1', 'a', { kind: 'update', ics: ics('a', 'local-2') }, 30);
        await store.outbox.complete(await entryOf('c1', 'a'), {
          row: object('c1', 'a', '"3"', ics('a', 'server-3')),
          conflict: conflict('k-old', 'c1', 'a', 10),
        });
        await store.applyObjects('c1', { puts: [object('c1', 'b', '"1"', ics('b', 'v1'))], deletes: [] });
        await edit('c1', 'b', { kind: 'update', ics: ics('b', 'local') }, 40);
        await store.outbox.complete(await entryOf('c1', 'b'), {
          row: object('c1', 'b', '"2"', ics('b', 'server-2')),
          conflict: conflict('k-b', 'c1', 'b', 15),
        });
      };

      it('lists conflicts oldest first and gets them by id', async () => {
        await twoConflicts();
        expect((await store.outbox.listConflicts()).map((c) => c.id)).toEqual(['k-old', 'k-b', 'k-new']);
        expect(await store.outbox.getConflict('k-b')).toEqual(conflict('k-b', 'c1', 'b', 15));
        expect(await store.outbox.getConflict('missing')).toBeUndefined();
      });

      it('settling without a change removes the conflict; the row keeps its flag while others remain', async () => {
        await twoConflicts();
        await store.outbox.settleConflict(conflict('k-old', 'c1', 'a', 10), undefined);
        expect(await store.outbox.getConflict('k-old')).toBeUndefined();
        expect((await store.getObject('c1', 'a'))?.conflict).toBe(true);
        await store.outbox.settleConflict(conflict('k-new', 'c1', 'a', 20), undefined);
        expect(await store.getObject('c1', 'a')).toMatchObject({ conflict: false, ics: ics('a', 'server-3') });
        expect((await store.outbox.listConflicts()).map((c) => c.id)).toEqual(['k-b']);
        expect((await store.getObject('c1', 'b'))?.conflict).toBe(true);
      });

      it('settling with a change writes its row and entry in the same step', async () => {
        await twoConflicts();
        const chosen = await localChange('c1', 'b', { kind: 'update', ics: ics('b', 'chosen') }, 50);
        expect(chosen.row?.conflict).toBe(true);
        await store.outbox.settleConflict(conflict('k-b', 'c1', 'b', 15), chosen);
        expect(await store.outbox.getConflict('k-b')).toBeUndefined();
        expect(await store.getObject('c1', 'b')).toEqual({ ...chosen.row, conflict: false });
        expect(await store.outbox.get('c1', 'b')).toEqual(chosen.entry);
        expect(chosen.entry).toMatchObject({ op: 'update', baseEtag: '"2"', ics: ics('b', 'chosen') });

        // A change that deletes: the row goes, its delete is queued; the other conflict stays.
        const deletion = await localChange('c1', 'a', { kind: 'delete' }, 60);
        await store.outbox.settleConflict(conflict('k-old', 'c1', 'a', 10), deletion);
        expect(await store.getObject('c1', 'a')).toBeUndefined();
        expect(await store.outbox.get('c1', 'a')).toMatchObject({ op: 'delete', baseEtag: '"3"' });
        expect((await store.outbox.listConflicts()).map((c) => c.id)).toEqual(['k-new']);
      });
    });
  });
}

const account = (id: string): AccountRecord => ({
  id,
  name: `Account ${id}`,
  serverUrl: 'https://dav.example/',
  username: 'user',
  principalUrl: 'https://dav.example/user/',
  homeUrl: 'https://dav.example/user/calendars/',
  createdAt: 1,
});

const calendar = (id: string, accountId: string): CalendarRecord => ({
  id,
  accountId,
  url: `https://dav.example/user/calendars/${id}/`,
  displayName: id,
  components: ['VEVENT'],
  readOnly: false,
  supportsSyncCollection: true,
});

const ics = (uid: string, version: string): string =>
  `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nSUMMARY:${version}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

const object = (calendarId: string, href: string, etag: string | undefined, body: string): ObjectRecord => ({
  calendarId,
  href,
  etag,
  ics: body,
  state: 'ok',
  uid: href,
  rangeStart: 0,
  rangeEnd: 1,
});

const conflict = (id: string, calendarId: string, href: string, createdAt: number): ConflictRecord => ({
  id,
  calendarId,
  href,
  kind: 'edit-edit',
  base: ics(href, 'base'),
  local: ics(href, 'local'),
  server: ics(href, 'server'),
  current: 'server',
  properties: ['SUMMARY'],
  createdAt,
});

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
