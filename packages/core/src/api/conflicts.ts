import type { EventDetails } from './events.ts';
import type { SyncErrorInfo } from './sync.ts';

/** An unsynced local edit, as queued in the outbox. */
export interface PendingChange {
  /** Id of the outbox entry (one per object: later edits fold into it). */
  readonly id: string;
  /** The object edited (as in `getEvent`). */
  readonly eventId: string;
  /** Its calendar. */
  readonly calendarId: string;
  /** Its account. */
  readonly accountId: string;
  /** What will be sent: a `create` or `update` (PUT) or a `delete` (DELETE). */
  readonly operation: 'create' | 'update' | 'delete';
  /** Title of the event, when known. */
  readonly summary?: string;
  /** When the entry was queued (ISO 8601 UTC). */
  readonly createdAt: string;
  /** When it was last edited (ISO 8601 UTC). */
  readonly updatedAt: string;
  /** Failed sends so far; a new edit resets it to 0. */
  readonly attempts: number;
  /** `pending`: will be sent; `quarantined`: the server refused it (see `lastError`), others carry on; `paused`: the account needs new credentials. */
  readonly state: 'pending' | 'quarantined' | 'paused';
  /** When an automatic retry is due after a failed send (ISO 8601 UTC; backoff 2 s … 5 min); `sync()` does not wait for it. */
  readonly nextAttemptAt?: string;
  /** The error the last send met; absent before any failure and after a new edit. */
  readonly lastError?: SyncErrorInfo & {
    /** HTTP status of the server's answer, when there was one. */
    readonly status?: number;
    /** The start of the server's answer body (up to 500 characters), when it refused the change. */
    readonly serverMessage?: string;
  };
}

/** Versions kept when local and server changes could not both win. Nothing is dropped until resolved. */
export interface Conflict {
  /** Id to pass to `resolveConflict`. */
  readonly id: string;
  /** The object concerned (as in `getEvent`). */
  readonly eventId: string;
  /** Its calendar. */
  readonly calendarId: string;
  /** UID of the object, when known. */
  readonly uid?: string;
  /** Title of the event, when known. */
  readonly summary?: string;
  /**
   * `edit-edit`: both sides changed the same properties; `local-delete`: deleted here,
   * changed on the server; `remote-delete`: changed here, deleted on the server;
   * `create-create`: both sides created the same object differently; `split`: a "this and
   * following" edit made here met another change to the series' rule on the server (another
   * device split it too): the new series it split off was not created — it is `local`, and
   * keeping `'local'` creates it.
   */
  readonly kind: 'edit-edit' | 'local-delete' | 'remote-delete' | 'create-create' | 'split';
  /** Last version both sides agreed on (absent for creates). */
  readonly base?: string;
  /** This device's version; absent when it was deleted here. */
  readonly local?: string;
  /** The server's version; absent when it was deleted there. */
  readonly server?: string;
  /** The readable fields of `local` (for showing the versions side by side); absent with it or when unreadable. */
  readonly localEvent?: EventDetails;
  /** The readable fields of `server`; absent with it or when unreadable. */
  readonly serverEvent?: EventDetails;
  /** What the replica shows now (after the conflict policy ran). */
  readonly current: 'local' | 'server' | 'merged' | 'deleted';
  /** Properties both sides changed differently (for `edit-edit`). */
  readonly properties: readonly string[];
  /** When the conflict was recorded (ISO 8601 UTC). */
  readonly createdAt: string;
}

/**
 * How a push settles an edit the server changed meanwhile: `merge` (default) combines both
 * sides property by property and records a conflict only where both changed the same
 * property; `server-wins` keeps the server's version; `client-wins` overwrites it with this
 * device's. Every losing version is kept in a {@link Conflict} until resolved.
 */
export type ConflictPolicy = 'merge' | 'server-wins' | 'client-wins';

/** How `resolveConflict` settles a conflict: this device's version, the server's, or the given ICS. */
export type ConflictResolution =
  | 'local'
  | 'server'
  | {
      /** Your own version (e.g. a merge the user made): a complete VCALENDAR, checked before it is queued. */
      readonly ics: string;
    };
