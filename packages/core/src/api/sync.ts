import type { Conflict } from './conflicts.ts';
import type { ErrorCode } from './errors.ts';

/**
 * Something a server answered that calsync ignored or could not use (delivered as a
 * `warning` event and to the logger). Nothing stored was lost because of it.
 * - `href-outside`: an href on another origin or outside its collection — never stored, never requested
 * - `href-duplicate`: one answer named a resource twice — the last entry was used
 * - `href-unrequested`: a multiget answer named a resource not asked for — ignored
 * - `object-unavailable`: listed, but its data was missing, empty or refused — the stored
 *   version is kept and it is asked for again on the next sync
 * - `object-unreadable`: its data could not be parsed even when fetched alone — stored
 *   flagged `invalid` (the rest of the calendar synced)
 */
export interface SyncWarning {
  /** What was ignored (see the list above). */
  readonly code: 'href-outside' | 'href-duplicate' | 'href-unrequested' | 'object-unavailable' | 'object-unreadable';
  /** Human-readable description, for logs. */
  readonly message: string;
  /** The resource the warning is about. */
  readonly href: string;
  /** The collection whose answer it was. */
  readonly collectionUrl: string;
}

/** An error as reported in events, status and accounts: code and user-safe message. */
export interface SyncErrorInfo {
  /** What failed, as in `CalsyncError.code`. */
  readonly code: ErrorCode;
  /** Human-readable description; never contains credentials. */
  readonly message: string;
}

/** Options of `sync()`. */
export interface SyncOptions {
  /** Only this account (default: every account). */
  accountId?: string;
}

/** How a calendar was pulled; see {@link CalendarSyncReport.mode}. */
export type PullMode = 'skip' | 'incremental' | 'full-query' | 'full-sync-collection' | 'etag-listing';

/** What a sync did to one calendar. */
export interface CalendarSyncReport {
  /** The calendar. */
  readonly calendarId: string;
  /**
   * How the calendar was pulled: `skip` nothing changed (same ctag or token), `incremental`
   * by sync-collection from the stored token, `full-query` the first download of a replica
   * holding nothing from the server, empty or only this device's own creates (one
   * calendar-query REPORT with every object's data), `full-sync-collection` a
   * download or reconciliation by sync-collection, `etag-listing` the fallback for servers
   * without sync-collection.
   */
  readonly mode: PullMode;
  /** Objects stored because they are new or changed on the server. */
  readonly changed: number;
  /** Objects removed from the replica because the server no longer has them. */
  readonly deleted: number;
  /** Objects stored raw because they could not be parsed (`CalendarEvent.invalid`). */
  readonly invalid: number;
}

/** What a sync did for one account. */
export interface AccountSyncReport {
  /** The account. */
  readonly accountId: string;
  /** Whether its sync succeeded. */
  readonly ok: boolean;
  /** Why it failed, when `ok` is false. */
  readonly error?: SyncErrorInfo;
  /** The calendars pulled; empty when `ok` is false. */
  readonly calendars: readonly CalendarSyncReport[];
  /** Calendars new on the server, added locally. */
  readonly calendarsAdded: number;
  /** Calendars gone from the server: removed locally, or kept as `deletedOnServer`. */
  readonly calendarsRemoved: number;
  /** Local edits the server accepted in this sync. */
  readonly pushed: number;
  /** Conflicts recorded in this sync. */
  readonly conflicts: number;
}

/**
 * What `sync()` did. `sync()` resolves with a report when at least one account synced —
 * accounts that failed carry `ok: false` and `error` — and rejects with the first
 * account's `CalsyncError` when none did (offline, every server down, the one account
 * asked for failed). One account or several: the same rule.
 */
export interface SyncReport {
  /** One entry per account synced. */
  readonly accounts: readonly AccountSyncReport[];
  /** HTTP requests that reached a server during this sync. */
  readonly requests: number;
  /** How long the sync took, in milliseconds. */
  readonly durationMs: number;
}

/** Current state of the engine. */
export interface SyncStatus {
  /** Judged by the last request's outcome (navigator.onLine is not trusted). */
  readonly online: boolean;
  /** A sync is running or queued. */
  readonly syncing: boolean;
  /** When a sync last succeeded for every account it covered (ISO 8601 UTC); absent before the first since this instance started. */
  readonly lastSyncAt?: string;
  /** The last sync failure; cleared when a sync succeeds for every account it covers. */
  readonly lastError?: SyncErrorInfo;
  /** Unsynced local edits (outbox entries, quarantined and paused ones included). */
  readonly pendingCount: number;
}

/** Events delivered to `subscribe` listeners. */
export type SyncEvent =
  | {
      /** The replica changed (also when another tab synced or edited): query again. */
      readonly type: 'changed';
      /** The account whose data changed. */
      readonly accountId: string;
      /** The calendars that changed; empty when any of the account's may have (e.g. the account was removed). */
      readonly calendarIds: readonly string[];
    }
  | {
      /** A step of a sync. */
      readonly type: 'progress';
      /** The account being synced. */
      readonly accountId: string;
      /** The calendar being pulled; absent for `pushing`, `calendars` and `done`. */
      readonly calendarId?: string;
      /**
       * `pushing` local edits, listing the `calendars`, then per calendar `listing`,
       * `fetching` and `storing` objects; `done` when the account is synced.
       */
      readonly phase: 'pushing' | 'calendars' | 'listing' | 'fetching' | 'storing' | 'done';
      /** Items of this phase done so far (edits pushed, objects fetched or stored); `0` when not counted. */
      readonly done: number;
      /** Items in this phase; `0` when not counted. */
      readonly total: number;
    }
  | {
      /** A sync of an account failed. */
      readonly type: 'error';
      /** The account concerned, when there is one. */
      readonly accountId?: string;
      /** What failed. */
      readonly error: SyncErrorInfo;
    }
  | {
      /** A server answer calsync ignored or could not use. */
      readonly type: 'warning';
      /** The account concerned; absent while `addAccount` discovers a new one. */
      readonly accountId?: string;
      /** What was ignored. */
      readonly warning: SyncWarning;
    }
  | {
      /** A conflict was recorded. */
      readonly type: 'conflict';
      /** The conflict, as listed by `listConflicts`. */
      readonly conflict: Conflict;
    }
  | {
      /** The number of unsynced edits may have changed (after every edit and push). */
      readonly type: 'pending';
      /** Unsynced local edits now, as in `SyncStatus.pendingCount`. */
      readonly pendingCount: number;
    }
  | {
      /** The status changed: sent when a sync starts and when it ends. */
      readonly type: 'status';
      /** The new status. */
      readonly status: SyncStatus;
    };
