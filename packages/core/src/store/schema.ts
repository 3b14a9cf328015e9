import type { DBSchema } from 'idb';
import type {
  AccountRecord,
  CalendarRecord,
  ConflictRecord,
  CredentialRecord,
  ObjectRecord,
  OutboxRecord,
  SyncStateRecord,
} from '../model/records.ts';
import type { ObjectPage, PageKey } from './pages.ts';
import type { SingleRow } from './rows.ts';

/** Small key/value rows: the credential key, schema notes. */
export type MetaValue = CryptoKey | string | number;

/** The whole database, typed once. Bump {@link DB_VERSION} and add a migration to change it. */
export interface CalsyncDB extends DBSchema {
  meta: { key: string; value: MetaValue };
  accounts: { key: string; value: AccountRecord };
  credentials: { key: string; value: CredentialRecord };
  calendars: { key: string; value: CalendarRecord; indexes: { 'by-account': string } };
  syncState: { key: string; value: SyncStateRecord };
  /** A calendar's rows, many to a record (pages.ts). */
  pages: { key: PageKey; value: ObjectPage };
  /** Rows written one at a time (local edits, push outcomes), over the pages (rows.ts). */
  singleRows: { key: [string, string]; value: SingleRow };
  outbox: { key: [string, string]; value: OutboxRecord; indexes: { 'by-account': string; 'by-id': string } };
  conflicts: { key: string; value: ConflictRecord; indexes: { 'by-object': [string, string] } };
}

export const DB_VERSION = 7;

/**
 * What migrations see: schemas 1–6 kept one record per row in `objects` ([calendarId,
 * href]), which schema 7 moves into `pages` and drops.
 */
export interface UpgradeDB extends CalsyncDB {
  objects: { key: [string, string]; value: ObjectRecord };
}
