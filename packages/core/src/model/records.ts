/**
 * The records the replica stores, shared by every layer (sync, outbox, query, store). The
 * database schema that holds them is store/schema.ts.
 */
import type { ErrorCode } from '../api/errors.ts';
import type { IndexedFields } from '../ical/types.ts';

/** An account row. Holds no secret: the password lives encrypted in `credentials`. */
export interface AccountRecord {
  id: string;
  name: string;
  serverUrl: string;
  username: string;
  principalUrl: string;
  homeUrl: string;
  createdAt: number;
  /** Origins besides `serverUrl`'s that requests may go to (AccountInput.allowOrigins). */
  allowOrigins?: string[];
  lastSyncAt?: number;
  /** Code and message of the last sync failure (never credentials). */
  lastError?: { code: ErrorCode; message: string };
  /** The server refused the credentials: pushes wait until `updateCredentials`. */
  paused?: boolean;
}

/** A password encrypted with the database's non-extractable AES-GCM key. */
export interface CredentialRecord {
  accountId: string;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: ArrayBuffer;
}

/** A calendar collection of an account. */
export interface CalendarRecord {
  id: string;
  accountId: string;
  url: string;
  displayName: string;
  color?: string;
  ctag?: string;
  components: string[];
  readOnly: boolean;
  supportsSyncCollection: boolean;
  /**
   * The server no longer lists this calendar, but it holds local state (outbox entries,
   * conflicts): kept, read-only, until that state is settled; then removed.
   */
  deletedOnServer?: boolean;
}

/** Per-calendar sync state. Written in the transaction of the data it covers, after that data. */
export interface SyncStateRecord {
  calendarId: string;
  /** RFC 6578 token; absent when the calendar is synced by etag listing. */
  token?: string;
  /** ctag seen at the last complete sync; lets a no-change check skip the calendar. */
  ctag?: string;
  /** When the last full etag reconciliation ran (epoch ms). */
  lastFullSyncAt?: number;
  /**
   * Members a pull could not read (listed, but their data was missing or refused): the
   * token moved on, so they are asked for again on every pull until they are read or a
   * complete listing no longer names them. Never read as deleted.
   */
  retry?: string[];
}

/** A stored calendar object resource: raw ICS plus the fields indexed from it. */
export interface ObjectRecord extends Partial<IndexedFields> {
  calendarId: string;
  /** Absolute URL of the resource on the server. */
  href: string;
  etag: string | undefined;
  ics: string;
  /** `bad` objects could not be parsed: kept raw, flagged, never shown as events. */
  state: 'ok' | 'bad';
  badReason?: string;
  /** Range keys always present so that range indexes cover every row (bad rows: empty range). */
  rangeStart: number;
  rangeEnd: number;
  /** The row shows a local edit not yet confirmed by the server (see the outbox). */
  pending?: boolean;
  /** An open conflict exists for this object. */
  conflict?: boolean;
}

/** The error an outbox entry met last. */
export interface OutboxError {
  code: ErrorCode;
  message: string;
  status?: number;
  /** The start of the server's answer body, for quarantined entries. */
  serverMessage?: string;
}

/**
 * One object's unsynced local change. There is at most one entry per object: new edits are
 * coalesced into it (see outbox/coalesce.ts), so order per object is kept by construction.
 * A create or update always carries the ICS to send, a delete never does: a PUT with an
 * empty body cannot type-check.
 */
export type OutboxRecord = OutboxFields &
  ({ op: 'create' | 'update' /** The local version to send. */; ics: string } | { op: 'delete'; ics?: undefined });

/** The fields every {@link OutboxRecord} has. */
export interface OutboxFields {
  id: string;
  calendarId: string;
  accountId: string;
  href: string;
  uid?: string;
  summary?: string;
  /** ETag of the server version the edit is based on (update/delete): sent as If-Match. */
  baseEtag?: string;
  /** That server version itself: the base of a three-way merge. */
  baseIcs?: string;
  /**
   * Set on the new series a "this and following" edit split off: the href of the series it
   * came from (same calendar). It is sent only after that series settled with the split
   * applied (see outbox/push.ts).
   */
  splitFrom?: string;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every coalesced edit: a push only completes the revision it sent. */
  revision: number;
  attempts: number;
  nextAttemptAt?: number;
  state: 'pending' | 'quarantined';
  lastError?: OutboxError;
}

/** Versions kept when both sides changed an object; see the `Conflict` API type. */
export interface ConflictRecord {
  id: string;
  calendarId: string;
  href: string;
  uid?: string;
  summary?: string;
  kind: 'edit-edit' | 'local-delete' | 'remote-delete' | 'create-create' | 'split';
  base?: string;
  local?: string;
  server?: string;
  current: 'local' | 'server' | 'merged' | 'deleted';
  properties: string[];
  createdAt: number;
}
