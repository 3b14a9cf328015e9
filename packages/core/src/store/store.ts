import { type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction, type StoreNames, wrap } from 'idb';
import { CalsyncError, toCalsyncError } from '../api/errors.ts';
import type { AccountRecord, CalendarRecord, ObjectRecord, SyncStateRecord } from '../model/records.ts';
import { decryptPassword, encryptPassword } from './credentials.ts';
import { migrate, type UpgradeTransaction } from './migrations.ts';
import { OutboxStore } from './outbox-store.ts';
import type { ReplicaStore } from './port.ts';
import { countOf, readRow, readRows, writeMany } from './rows.ts';
import { type CalsyncDB, DB_VERSION, type UpgradeDB } from './schema.ts';
import { calendarRange, RELAXED, STRICT, writeTx } from './tx.ts';

/** A batch of object changes for one calendar, applied in one transaction. */
export interface ObjectBatch {
  readonly puts: readonly ObjectRecord[];
  /** Hrefs to delete. */
  readonly deletes: readonly string[];
  /**
   * Sync state to commit in the same transaction, after the changes: a token is only ever
   * stored together with the data it covers.
   */
  readonly syncState?: SyncStateRecord;
}

/**
 * The IndexedDB replica. Every method is one transaction (or a read), so a crash leaves
 * either all or none of an operation. Quota failures surface as `quota` CalsyncErrors.
 */
export class CalsyncStore implements ReplicaStore {
  /** Local edits and conflicts. */
  readonly outbox: OutboxStore;

  private constructor(private readonly db: IDBPDatabase<CalsyncDB>) {
    this.outbox = new OutboxStore(db);
  }

  /** Opens (and migrates) the database. Old connections close on `versionchange` so upgrades can run. */
  static async open(factory: IDBFactory, name: string): Promise<CalsyncStore> {
    // Open through the injected factory and let idb wrap the request (idb's own openDB
    // would use the global indexedDB, which a Worker cannot reassign).
    let db: IDBPDatabase<CalsyncDB>;
    try {
      const request = factory.open(name, DB_VERSION);
      request.onupgradeneeded = (event) => {
        const database = wrap(request.result) as unknown as IDBPDatabase<UpgradeDB>;
        const tx = wrap(request.transaction as IDBTransaction) as unknown as UpgradeTransaction;
        migrate(database, event.oldVersion, event.newVersion ?? DB_VERSION, tx);
      };
      db = (await wrap(request)) as unknown as IDBPDatabase<CalsyncDB>;
    } catch (error) {
      throw toCalsyncError(error, 'internal');
    }
    db.addEventListener('versionchange', () => db.close());
    return new CalsyncStore(db);
  }

  close(): void {
    this.db.close();
  }

  // Accounts and credentials

  async listAccounts(): Promise<AccountRecord[]> {
    return this.db.getAll('accounts');
  }

  async getAccount(id: string): Promise<AccountRecord | undefined> {
    return this.db.get('accounts', id);
  }

  /** Stores an account with its password (encrypted) and calendars, atomically. */
  async addAccount(account: AccountRecord, password: string, calendars: readonly CalendarRecord[]): Promise<void> {
    const credential = await encryptPassword(this.db, account.id, password);
    await writeTx(this.db, ['accounts', 'credentials', 'calendars'], STRICT, async (tx) => {
      await tx.objectStore('accounts').put(account);
      await tx.objectStore('credentials').put(credential);
      for (const calendar of calendars) await tx.objectStore('calendars').put(calendar);
    });
  }

  async updateAccount(account: AccountRecord): Promise<void> {
    await writeTx(this.db, ['accounts'], RELAXED, (tx) => tx.objectStore('accounts').put(account));
  }

  async setPassword(accountId: string, password: string): Promise<void> {
    const credential = await encryptPassword(this.db, accountId, password);
    await writeTx(this.db, ['credentials'], STRICT, (tx) => tx.objectStore('credentials').put(credential));
  }

  /** The decrypted password, or undefined when none is stored. */
  async getPassword(accountId: string): Promise<string | undefined> {
    const record = await this.db.get('credentials', accountId);
    if (!record) return undefined;
    try {
      return await decryptPassword(this.db, record);
    } catch (error) {
      throw new CalsyncError('auth', 'The stored password could not be decrypted; add the account again.', {
        cause: error,
        retryable: false,
      });
    }
  }

  /** Deletes an account and everything below it in one transaction. */
  async removeAccount(accountId: string): Promise<void> {
    const calendars = await this.listCalendars(accountId);
    await writeTx(this.db, ['accounts', 'credentials', ...CALENDAR_STORES], STRICT, async (tx) => {
      for (const calendar of calendars) await deleteCalendarIn(tx, calendar.id);
      await tx.objectStore('credentials').delete(accountId);
      await tx.objectStore('accounts').delete(accountId);
    });
  }

  // Calendars

  async listCalendars(accountId?: string): Promise<CalendarRecord[]> {
    return accountId === undefined
      ? this.db.getAll('calendars')
      : this.db.getAllFromIndex('calendars', 'by-account', accountId);
  }

  async getCalendar(id: string): Promise<CalendarRecord | undefined> {
    return this.db.get('calendars', id);
  }

  async putCalendar(calendar: CalendarRecord): Promise<void> {
    await writeTx(this.db, ['calendars'], RELAXED, (tx) => tx.objectStore('calendars').put(calendar));
  }

  /** Removes a calendar with its objects and sync state. */
  async removeCalendar(calendarId: string): Promise<void> {
    await writeTx(this.db, [...CALENDAR_STORES], STRICT, (tx) => deleteCalendarIn(tx, calendarId));
  }

  // Sync state

  async getSyncState(calendarId: string): Promise<SyncStateRecord | undefined> {
    return this.db.get('syncState', calendarId);
  }

  async putSyncState(state: SyncStateRecord): Promise<void> {
    await writeTx(this.db, ['syncState'], STRICT, (tx) => tx.objectStore('syncState').put(state));
  }

  // Objects

  /**
   * Applies puts and deletes for a calendar in one transaction, then (same transaction)
   * the sync state if given. Idempotent: re-applying after a crash gives the same result.
   */
  async applyObjects(calendarId: string, batch: ObjectBatch): Promise<void> {
    // Relaxed durability, tokens included: a transaction stays atomic, and IndexedDB commits
    // transactions in order, so a power cut can only lose the latest ones whole — a token
    // never survives without its data, and a lost pull is simply pulled again. Strict
    // durability (a flush to disk per commit) is kept for what cannot be fetched again:
    // local edits, the outbox, accounts and credentials.
    await writeTx(this.db, ['pages', 'singleRows', 'syncState', 'outbox', 'conflicts'], RELAXED, async (tx) => {
      // A pull never clobbers a pending local edit: objects with an outbox entry keep their
      // local version; the push that follows settles them against the server (412 → merge).
      const pendingKeys = await tx.objectStore('outbox').getAllKeys(calendarRange(calendarId));
      const pending = new Set(pendingKeys.map((key) => key[1]));
      // Rows of objects with an open conflict keep their flag.
      const conflicts = await tx.objectStore('conflicts').index('by-object').getAll(calendarRange(calendarId));
      const conflicted = new Set(conflicts.map((c) => c.href));
      const puts: ObjectRecord[] = [];
      for (const record of batch.puts) {
        if (record.calendarId !== calendarId) throw new Error('object of another calendar in batch');
        if (!pending.has(record.href)) puts.push(conflicted.has(record.href) ? { ...record, conflict: true } : record);
      }
      const deletes = batch.deletes.filter((href) => !pending.has(href));
      const stores = { pages: tx.objectStore('pages'), singles: tx.objectStore('singleRows') };
      await writeMany(stores, calendarId, puts, deletes, pending);
      if (batch.syncState) await tx.objectStore('syncState').put(batch.syncState);
      else if (batch.puts.length > 0) await markDownloaded(tx.objectStore('syncState'), calendarId);
    });
  }

  /** href → etag of every stored object of a calendar (for etag-listing diffs). */
  async objectEtags(calendarId: string): Promise<Map<string, string | undefined>> {
    const result = new Map<string, string | undefined>();
    for (const row of await readRows(this.#reading(), calendarId)) result.set(row.href, row.etag);
    return result;
  }

  async getObject(calendarId: string, href: string): Promise<ObjectRecord | undefined> {
    return readRow(this.#reading(), calendarId, href);
  }

  /** Every stored object of a calendar, in href order (the query index loads them once). */
  async objectsOfCalendar(calendarId: string): Promise<ObjectRecord[]> {
    return readRows(this.#reading(), calendarId);
  }

  /** Whether a calendar has outbox entries or open conflicts (rows that differ from the server's). */
  async hasLocalState(calendarId: string): Promise<boolean> {
    const tx = this.db.transaction(['outbox', 'conflicts']);
    const [pending, conflicts] = await Promise.all([
      tx.objectStore('outbox').count(calendarRange(calendarId)),
      tx.objectStore('conflicts').index('by-object').count(calendarRange(calendarId)),
    ]);
    return pending + conflicts > 0;
  }

  async countObjects(calendarId: string): Promise<number> {
    return countOf(this.#reading(), calendarId);
  }

  /** Pages and single rows in one readonly transaction. */
  #reading() {
    const tx = this.db.transaction(['pages', 'singleRows']);
    return { pages: tx.objectStore('pages'), singles: tx.objectStore('singleRows') };
  }
}

/** The stores a calendar's removal writes. */
const CALENDAR_STORES = ['calendars', 'syncState', 'pages', 'singleRows', 'outbox', 'conflicts'] as const;

/** Deletes a calendar and everything below it (rows, sync state, outbox, conflicts) in `tx`. */
async function deleteCalendarIn(
  tx: IDBPTransaction<CalsyncDB, ArrayLike<StoreNames<CalsyncDB>>, 'readwrite'>,
  calendarId: string,
): Promise<void> {
  await tx.objectStore('pages').delete(calendarRange(calendarId));
  await tx.objectStore('singleRows').delete(calendarRange(calendarId));
  await tx.objectStore('outbox').delete(calendarRange(calendarId));
  await deleteConflictsOf(tx.objectStore('conflicts'), calendarId);
  await tx.objectStore('syncState').delete(calendarId);
  await tx.objectStore('calendars').delete(calendarId);
}

async function deleteConflictsOf(
  conflicts: IDBPObjectStore<CalsyncDB, StoreNames<CalsyncDB>[], 'conflicts', 'readwrite'>,
  calendarId: string,
): Promise<void> {
  const keys = await conflicts.index('by-object').getAllKeys(calendarRange(calendarId));
  await Promise.all(keys.map((key) => conflicts.delete(key)));
}

/**
 * The first server data stored for a calendar leaves a sync state behind, even before the
 * pull that stores it commits its token: a calendar without one holds nothing from the
 * server (only rows this replica wrote — local creates, pushed or not), so its first
 * download can be the one-request whole download (sync/plan.ts `wantsWholeDownload`).
 */
async function markDownloaded(
  states: IDBPObjectStore<CalsyncDB, StoreNames<CalsyncDB>[], 'syncState', 'readwrite'>,
  calendarId: string,
): Promise<void> {
  if ((await states.get(calendarId)) === undefined) await states.put({ calendarId });
}
