import type { SyncErrorInfo } from './sync.ts';

/** A CalDAV account. Holds no secret. */
export interface Account {
  /** Id to pass to the other methods (a random UUID). */
  readonly id: string;
  /** Display name: `AccountInput.name`, else `username @ host`. */
  readonly name: string;
  /** The DAV root URL given to `addAccount` (normalised). */
  readonly serverUrl: string;
  /** Username sent with HTTP Basic auth. */
  readonly username: string;
  /** URL of the calendar home found by discovery (calendar-home-set). */
  readonly homeUrl: string;
  /** When this account last synced successfully (ISO 8601 UTC); absent before its first sync. */
  readonly lastSyncAt?: string;
  /** Why its last sync failed; cleared by the next successful sync. */
  readonly lastError?: SyncErrorInfo;
}

/** A calendar of an account. */
export interface Calendar {
  /** Local id (a random UUID), for `createEvent` and `EventQuery.calendarIds`. */
  readonly id: string;
  /** The account it belongs to. */
  readonly accountId: string;
  /** URL of the calendar collection on the server. */
  readonly url: string;
  /** Display name (`DAV:displayname`, else the last segment of `url`). */
  readonly name: string;
  /** CSS color (`#rrggbb`), when the server has one. */
  readonly color?: string;
  /**
   * Edits are refused with `invalid-input`: the server grants no write privilege, or the
   * calendar is `deletedOnServer`.
   */
  readonly readOnly: boolean;
  /**
   * The server no longer has this calendar, but it holds local state (unsynced edits, open
   * conflicts): kept read-only until that is settled (`deleteEvent` discards an event's local
   * state, `resolveConflict(id, 'server')` drops a conflict), then removed by the next sync.
   */
  readonly deletedOnServer: boolean;
  /** Number of stored objects (events and series). */
  readonly objectCount: number;
}

/** Input of `addAccount`. */
export interface AccountInput {
  /** The DAV root URL (e.g. `https://dav.example.com/`); `.well-known` redirects are not followed by browsers. */
  serverUrl: string;
  /** Username for HTTP Basic auth; required. */
  username: string;
  /** Password; stored encrypted, never in logs, errors, events or `listAccounts()`. */
  password: string;
  /** Display name; default `username @ host`. */
  name?: string;
  /**
   * Other origins (`https://host[:port]`) this account's server may send you to and that
   * you trust with the password — e.g. iCloud's calendar home on `https://pNN-caldav.icloud.com`.
   * By default requests go only to the origin of `serverUrl`; a calendar home elsewhere
   * makes `addAccount` reject with `untrusted-origin` (ask the user, then pass it here).
   */
  allowOrigins?: readonly string[];
}
