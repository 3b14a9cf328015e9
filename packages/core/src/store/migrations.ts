import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { markFloatingRows } from './migrate-floating.ts';
import { canonicalizeStoredHrefs } from './migrate-hrefs.ts';
import { movePagesIn } from './migrate-pages.ts';
import type { UpgradeDB } from './schema.ts';

/** The versionchange transaction a migration runs in. */
export type UpgradeTransaction = IDBPTransaction<UpgradeDB, StoreNames<UpgradeDB>[], 'versionchange'>;

/**
 * Schema migrations, by target version. Each runs inside the upgrade transaction and must
 * only use IDB calls (no other awaits). To change the schema: add an entry for
 * DB_VERSION + 1 and bump DB_VERSION; never edit a released migration.
 */
const MIGRATIONS: Record<number, (db: IDBPDatabase<UpgradeDB>, tx: UpgradeTransaction) => void | Promise<void>> = {
  1(db) {
    db.createObjectStore('meta');
    db.createObjectStore('accounts', { keyPath: 'id' });
    db.createObjectStore('credentials', { keyPath: 'accountId' });
    const calendars = db.createObjectStore('calendars', { keyPath: 'id' });
    calendars.createIndex('by-account', 'accountId');
    db.createObjectStore('syncState', { keyPath: 'calendarId' });
    const objects = db.createObjectStore('objects', { keyPath: ['calendarId', 'href'] }) as unknown as IDBObjectStore;
    // Both dropped later (3, 6); the current schema type no longer names them.
    objects.createIndex('by-uid', ['calendarId', 'uid']);
    objects.createIndex('by-range-end', ['calendarId', 'rangeEnd']);
  },
  2(db) {
    const outbox = db.createObjectStore('outbox', { keyPath: ['calendarId', 'href'] });
    outbox.createIndex('by-account', 'accountId');
    outbox.createIndex('by-id', 'id', { unique: true });
    const conflicts = db.createObjectStore('conflicts', { keyPath: 'id' });
    conflicts.createIndex('by-object', ['calendarId', 'href']);
  },
  3(_db, tx) {
    // Queries read the in-memory index (query/event-query.ts); nothing reads the time-range
    // index any more, and it made every object write dearer (Chromium, 5,000 bare puts:
    // 687 ms with both indexes, 460 ms with none — a first sync did not get measurably
    // faster, its writes overlap the parsing, but the browser does less work and stores less).
    (tx.objectStore('objects') as unknown as IDBObjectStore).deleteIndex('by-range-end');
  },
  4(_db, tx) {
    return canonicalizeStoredHrefs(tx);
  },
  5(_db, tx) {
    return markFloatingRows(tx);
  },
  6(_db, tx) {
    // The one question it answered — is this UID taken in the calendar? (createEvent) — is
    // answered from the in-memory query index; every row write paid for it: 20,000 rows in
    // Chromium 2.0 s with it, 1.5 s without (test/bench/idb-layout.ts), a 20,000-event first
    // sync ~0.4 s (7%) faster.
    (tx.objectStore('objects') as unknown as IDBObjectStore).deleteIndex('by-uid');
  },
  7(db, tx) {
    // Rows move into pages of many rows (pages.ts): a 20,000-row write costs IndexedDB
    // ~0.1 s instead of ~1.5 s, a read of them ~0.06 s instead of ~0.4 s. Local edits
    // write single rows over them (rows.ts).
    db.createObjectStore('pages', { keyPath: ['calendarId', 'lower', 'count'] });
    db.createObjectStore('singleRows', { keyPath: ['calendarId', 'href'] });
    return movePagesIn(db, tx);
  },
};

/**
 * Runs every migration between `oldVersion` (exclusive) and `newVersion` (inclusive), in
 * order: a data migration's requests are chained, and any failure aborts the upgrade (the
 * database stays at its old version, untouched).
 */
export function migrate(
  db: IDBPDatabase<UpgradeDB>,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTransaction,
): void {
  // Steps run at once (schema changes must happen inside the upgrade event) until one
  // returns a promise (a data migration); the steps after it wait for it.
  let pending: Promise<void> | undefined;
  for (let version = oldVersion + 1; version <= newVersion; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`No migration to schema version ${version}`);
    if (pending) pending = pending.then(() => step(db, tx));
    else pending = step(db, tx) ?? undefined;
  }
  pending?.catch(() => tx.abort());
}
