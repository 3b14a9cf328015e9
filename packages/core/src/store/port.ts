import type { LocalChange, PushOutcome } from '../model/outbox.ts';
import type {
  AccountRecord,
  CalendarRecord,
  ConflictRecord,
  ObjectRecord,
  OutboxRecord,
  SyncStateRecord,
} from '../model/records.ts';
import type { ObjectBatch } from './store.ts';

/**
 * The replica's storage port: everything sync, outbox and queries read or write. The
 * IndexedDB implementation is {@link CalsyncStore} (store.ts); `store-contract.ts` pins
 * this behaviour and runs on fake-indexeddb in Node and on real IndexedDB in Chromium.
 *
 * Invariants: every method is one transaction (or one read), so a crash leaves all or none
 * of it; failures are `CalsyncError`s (`quota` when storage is full); a sync token is only
 * stored together with the data it covers; passwords are stored encrypted, never in records.
 */
export interface ReplicaStore {
  /** Local edits and conflicts. */
  readonly outbox: OutboxQueue;
  close(): void;

  listAccounts(): Promise<AccountRecord[]>;
  getAccount(id: string): Promise<AccountRecord | undefined>;
  /** Stores an account with its password (encrypted) and calendars, atomically. */
  addAccount(account: AccountRecord, password: string, calendars: readonly CalendarRecord[]): Promise<void>;
  updateAccount(account: AccountRecord): Promise<void>;
  setPassword(accountId: string, password: string): Promise<void>;
  /** The decrypted password, or undefined when none is stored. */
  getPassword(accountId: string): Promise<string | undefined>;
  /** Deletes an account and everything below it (calendars, objects, sync state, outbox, conflicts, credential). */
  removeAccount(accountId: string): Promise<void>;

  listCalendars(accountId?: string): Promise<CalendarRecord[]>;
  getCalendar(id: string): Promise<CalendarRecord | undefined>;
  putCalendar(calendar: CalendarRecord): Promise<void>;
  /** Removes a calendar with its objects and sync state. */
  removeCalendar(calendarId: string): Promise<void>;

  getSyncState(calendarId: string): Promise<SyncStateRecord | undefined>;
  putSyncState(state: SyncStateRecord): Promise<void>;
  /**
   * Puts and deletes for a calendar, then its sync state if given, in one transaction;
   * idempotent. Puts without a sync state leave an empty one (`{ calendarId }`) if the
   * calendar had none: it holds server data from then on.
   */
  applyObjects(calendarId: string, batch: ObjectBatch): Promise<void>;
  /** href → etag of every stored object of a calendar (for etag-listing diffs). */
  objectEtags(calendarId: string): Promise<Map<string, string | undefined>>;
  getObject(calendarId: string, href: string): Promise<ObjectRecord | undefined>;
  /** Every stored object of a calendar (the query index loads them once). */
  objectsOfCalendar(calendarId: string): Promise<ObjectRecord[]>;
  /** Whether a calendar has outbox entries or open conflicts (rows that differ from the server's). */
  hasLocalState(calendarId: string): Promise<boolean>;
  countObjects(calendarId: string): Promise<number>;
}

/**
 * The outbox and conflict part of the port. An edit the app saw succeed is stored with
 * its entry in one strict transaction: it survives a crash or reload.
 */
export interface OutboxQueue {
  /** Writes rows and outbox entries of one user action atomically (a split writes two objects). */
  recordChanges(changes: readonly LocalChange[]): Promise<void>;
  get(calendarId: string, href: string): Promise<OutboxRecord | undefined>;
  getById(id: string): Promise<OutboxRecord | undefined>;
  /** Entries in creation order (of one account, or all). */
  list(accountId?: string): Promise<OutboxRecord[]>;
  count(): Promise<number>;
  countForCalendar(calendarId: string): Promise<number>;
  hasLocalState(calendarId: string): Promise<boolean>;
  /** Drops an object's entry, conflicts and local row (the server's version is fetched again). */
  discard(calendarId: string, href: string): Promise<void>;
  /** Stores attempts, backoff and last error of the revision that was sent (never revives a removed entry). */
  updateBookkeeping(entry: OutboxRecord): Promise<void>;
  /**
   * A push of `sent` finished with `outcome`: the confirmed row replaces the local one and
   * the entry goes — unless a later edit was recorded meanwhile, which is kept, rebased on
   * the confirmed version.
   */
  complete(sent: OutboxRecord, outcome: PushOutcome): Promise<void>;
  listConflicts(): Promise<ConflictRecord[]>;
  getConflict(id: string): Promise<ConflictRecord | undefined>;
  /** Settles a conflict, recording `change` (the chosen version) with it, atomically. */
  settleConflict(conflict: ConflictRecord, change: LocalChange | undefined): Promise<void>;
}
