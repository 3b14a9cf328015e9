import type { ErrorCode } from './errors.ts';

/** Options of {@link createCalendarSync}. */
export interface CalendarSyncOptions {
  /** IndexedDB database name; default `'calsync'`. One engine (and sync leader) per name. */
  dbName?: string;
  /**
   * Run the engine in a dedicated module Worker (default where `Worker` exists).
   * `false` runs it in this thread — required in Node and when passing `fetch` or `indexedDB`,
   * which cannot cross into a Worker. A function creates the Worker itself, for bundlers
   * that need their own syntax: `() => new Worker(url, { type: 'module' })` running
   * `@calsync/core/worker` (not together with `workerUrl`).
   */
  worker?: boolean | (() => Worker);
  /**
   * How long the Worker may take to load and open its database before `createCalendarSync()`
   * rejects with `worker`; default 15000 ms, `Infinity` waits forever. A script that fails
   * to load rejects at once. Worker engines only.
   */
  workerStartTimeoutMs?: number;
  /** IndexedDB implementation, e.g. fake-indexeddb in Node. In-thread engines only. */
  indexedDB?: IDBFactory;
  /** Every HTTP request goes through it (tests, offline simulation). In-thread engines only. */
  fetch?: typeof fetch;
  /** CORS proxy base (apps/proxy); requests to CalDAV servers are routed through it. */
  proxyUrl?: string;
  /** How local/remote conflicts are settled when pushing edits. Default `'merge'`. */
  conflictPolicy?: ConflictPolicy;
  /** Periodic sync and sync on reconnect; default on (every 5 minutes). */
  autoSync?:
    | false
    | {
        /** Milliseconds between periodic syncs; default 300000 (5 minutes). */
        intervalMs?: number;
      };
  /** URL of the worker script, when your bundler does not handle `new URL('./entry.ts', import.meta.url)` (Vite and webpack 5 do). */
  workerUrl?: string | URL;
  /**
   * Where the engine reports what it ignored or could not do (server answers it refused,
   * sync failures). Silent by default. Never given passwords or Authorization headers.
   * Works with the Worker too (calls arrive asynchronously).
   */
  logger?: CalsyncLogger;
}

/** A logger for {@link CalendarSyncOptions.logger}; each method is optional. */
export interface CalsyncLogger {
  /** Verbose diagnostics (not called by the engine at present). */
  debug?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
  /** A server answer calsync ignored (as each `warning` event); `details` holds `code`, `href`, `collectionUrl`. */
  warn?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
  /** A failed sync of an account; `details` holds the error `code`. */
  error?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
}

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

/** Input of `createEvent`. Times are ISO 8601 strings or Dates. */
export interface EventInput {
  /** Title (SUMMARY). */
  summary: string;
  /**
   * A Date or an ISO string with `Z`/offset is an instant; an ISO string without offset is
   * wall time in `timezone` (required then); all-day events take `YYYY-MM-DD`.
   */
  start: string | Date;
  /** Exclusive end, in the same forms as `start`; must be after it. */
  end: string | Date;
  /** An all-day event (`YYYY-MM-DD` dates, `timezone` ignored); default `false`. */
  allDay?: boolean;
  /** IANA zone (e.g. `Europe/Berlin`) the times are written in, with a VTIMEZONE; without it, UTC. */
  timezone?: string;
  /** Location text (LOCATION). */
  location?: string;
  /** Description text (DESCRIPTION). */
  description?: string;
  /** RFC 5545 recurrence rule, e.g. `FREQ=WEEKLY;BYDAY=MO` (an `RRULE:` prefix is allowed). */
  rrule?: string;
  /** UID to write; default a random UUID. One the calendar already has rejects with `invalid-input`. */
  uid?: string;
}

/** Changes of `updateEvent`; absent fields stay as they are, `null` removes an optional text. */
export interface EventPatch {
  /** New title. */
  summary?: string;
  /** New start, in the forms of `EventInput.start`; absent keeps the start instant. */
  start?: string | Date;
  /** New exclusive end; absent keeps the event's length. */
  end?: string | Date;
  /** Switches between all-day and timed (without a new end: one day / one hour long). */
  allDay?: boolean;
  /** New IANA zone the times are written in; `null` writes them in UTC; absent keeps the zone. */
  timezone?: string | null;
  /** New location; `null` removes it. */
  location?: string | null;
  /** New description; `null` removes it. */
  description?: string | null;
  /** New RRULE text, or `null` to make the event single. Only with scope `'all'` (or `'future'`). */
  rrule?: string | null;
}

/** Which occurrences of a recurring event an edit applies to. */
export type EditScope = 'this' | 'future' | 'all';

/** Options of `updateEvent` / `deleteEvent` for recurring events. */
export interface EditOptions {
  /** The occurrence's original start (its `recurrenceId` from `listEvents`). Required for `'this'`/`'future'`. */
  occurrence?: string | Date;
  /** Default: `'this'` when an occurrence is given, else `'all'`. */
  scope?: EditScope;
}

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
   * `create-create`: both sides created the same object differently.
   */
  readonly kind: 'edit-edit' | 'local-delete' | 'remote-delete' | 'create-create';
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

/** The fields a person compares in one version of an event (see {@link Conflict}); each absent when unset. */
export interface EventDetails {
  /** Title. */
  readonly summary?: string;
  /** Start (of a series: its first occurrence), formatted as `EventOccurrence.start`. */
  readonly start?: string;
  /** Exclusive end, same format. */
  readonly end?: string;
  /** An all-day event. */
  readonly allDay?: boolean;
  /** IANA zone the event is written in; absent for UTC, floating and all-day times. */
  readonly timezone?: string;
  /** Location text. */
  readonly location?: string;
  /** Description text. */
  readonly description?: string;
  /** Recurrence rule as written, for a series. */
  readonly rrule?: string;
}

/** One occurrence of an event inside a query window (recurrences expanded). */
export interface EventOccurrence {
  /** Id of the stored object (the whole series for recurring events); use with `getEvent`. */
  readonly eventId: string;
  /** The event's calendar. */
  readonly calendarId: string;
  /** The event's UID. */
  readonly uid: string;
  /** Present for occurrences of a recurring event: the instance's original start. */
  readonly recurrenceId?: string;
  /** Title; `''` when the event has none. */
  readonly summary: string;
  /** ISO 8601 UTC (`…Z`) for timed events, `YYYY-MM-DD` for all-day events. */
  readonly start: string;
  /** Exclusive end, in the format of `start` (all-day: the day after the last day). */
  readonly end: string;
  /** An all-day occurrence: `start` and `end` are `YYYY-MM-DD` dates. */
  readonly allDay: boolean;
  /** IANA zone the event is written in; absent for UTC, floating and all-day times. */
  readonly timezone?: string;
  /** Location text, when set. */
  readonly location?: string;
  /** Description text, when set. */
  readonly description?: string;
  /** Has an unsynced local change. */
  readonly pending: boolean;
  /** Has an open conflict. */
  readonly conflict: boolean;
}

/** A stored calendar object (a single event or a whole series), with its raw ICS. */
export interface CalendarEvent {
  /** Stable id of the object, for `getEvent`, `updateEvent` and `deleteEvent`. */
  readonly eventId: string;
  /** Its calendar. */
  readonly calendarId: string;
  /** Absolute URL of the object resource on the server (for a local create: where it will be written). */
  readonly href: string;
  /** ETag of the last server version stored; absent for a local create not yet pushed. */
  readonly etag?: string;
  /** UID of the object; absent when `invalid`. */
  readonly uid?: string;
  /** Title; absent when the event has none or is `invalid`. */
  readonly summary?: string;
  /** Start of the event (of a series: its first occurrence), formatted as `EventOccurrence.start`; absent when `invalid`. */
  readonly start?: string;
  /** Exclusive end of that (first) occurrence, same format; absent when `invalid`. */
  readonly end?: string;
  /** An all-day event (`start`/`end` are dates); absent when `invalid`. */
  readonly allDay?: boolean;
  /** IANA zone the event is written in; absent for UTC, floating and all-day times. */
  readonly timezone?: string;
  /** Location text, when set. */
  readonly location?: string;
  /** Description text, when set. */
  readonly description?: string;
  /** A series (has RRULE or RDATE); absent when `invalid`. */
  readonly recurring?: boolean;
  /** The series' recurrence rule as written (`FREQ=WEEKLY;BYDAY=MO,WE`); absent when it has none. */
  readonly rrule?: string;
  /** The object's ICS as the replica holds it: the server's version, or this device's unsynced edit (`pending`). */
  readonly ics: string;
  /** The server's data could not be parsed; it is kept raw and not shown in `listEvents`. */
  readonly invalid: boolean;
  /** Why the data could not be parsed; only when `invalid`. */
  readonly invalidReason?: string;
  /** Has an unsynced local change (see `listPending`). */
  readonly pending: boolean;
  /** Has an open conflict (see `listConflicts`). */
  readonly conflict: boolean;
}

/** Query of `listEvents`: occurrences overlapping the half-open window [start, end). */
export interface EventQuery {
  /** Window start (inclusive): ISO string or Date. */
  start: string | Date;
  /** Window end (exclusive); must be after `start`. */
  end: string | Date;
  /** Only these calendars; default all. */
  calendarIds?: string[];
}

/** An error as reported in events, status and accounts: code and user-safe message. */
export interface SyncErrorInfo {
  /** What failed, as in `CalsyncError.code`. */
  readonly code: ErrorCode;
  /** Human-readable description; never contains credentials. */
  readonly message: string;
}

/**
 * How a push settles an edit the server changed meanwhile: `merge` (default) combines both
 * sides property by property and records a conflict only where both changed the same
 * property; `server-wins` keeps the server's version; `client-wins` overwrites it with this
 * device's. Every losing version is kept in a {@link Conflict} until resolved.
 */
export type ConflictPolicy = 'merge' | 'server-wins' | 'client-wins';

/** How `resolveConflict` settles a conflict: this device's version, the server's, or the given ICS. */
export type ConflictResolution = 'local' | 'server' | { readonly ics: string };

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
   * by sync-collection from the stored token, `full-query` the first download of an empty
   * replica (one calendar-query REPORT with every object's data), `full-sync-collection` a
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

/**
 * The calsync SDK. Every method is async and rejects with a `CalsyncError` (with `code`)
 * on failure — also across the Worker boundary.
 */
export interface CalendarSync {
  /** Discovers the account's calendars (current-user-principal → calendar-home-set) and stores it. */
  addAccount(input: AccountInput): Promise<Account>;
  /** Replaces the stored password of an account (e.g. after an `auth` error). */
  updateCredentials(accountId: string, password: string): Promise<void>;
  /** Deletes the account and its local data (nothing is deleted on the server). */
  removeAccount(accountId: string): Promise<void>;
  /** All accounts, from the local store. */
  listAccounts(): Promise<Account[]>;
  /** The calendars of every account (or of one), sorted by name, from the local store. */
  listCalendars(accountId?: string): Promise<Calendar[]>;
  /**
   * Pushes pending edits, then pulls, for every account (or one). Resolves with the report
   * when at least one account synced; rejects with the first account's error when none did
   * (see {@link SyncReport}).
   */
  sync(options?: SyncOptions): Promise<SyncReport>;
  /** Occurrences overlapping [start, end), recurrences expanded, sorted by start. */
  listEvents(query: EventQuery): Promise<EventOccurrence[]>;
  /** The stored object with its raw ICS, or `undefined` for an unknown id. */
  getEvent(eventId: string): Promise<CalendarEvent | undefined>;
  /**
   * Creates an event locally (shown at once, flagged `pending`) and queues it for the server.
   * Rejects with `invalid-input` (end before start, bad RRULE, unknown time zone) or
   * `not-found` (unknown calendar) before anything is stored.
   */
  createEvent(calendarId: string, input: EventInput): Promise<CalendarEvent>;
  /** Changes an event, one occurrence (`'this'`), this and the following (`'future'`) or the whole series. */
  updateEvent(eventId: string, patch: EventPatch, options?: EditOptions): Promise<CalendarEvent>;
  /** Deletes an event, one occurrence (EXDATE), this and the following, or the whole series. */
  deleteEvent(eventId: string, options?: EditOptions): Promise<void>;
  /** Unsynced local edits, with the last error of each. */
  listPending(): Promise<PendingChange[]>;
  /** Open conflicts, with base, local and server versions. */
  listConflicts(): Promise<Conflict[]>;
  /** Settles a conflict: keep this device's version, the server's, or the given ICS (queued like an edit). */
  resolveConflict(conflictId: string, resolution: ConflictResolution): Promise<void>;
  /** The current {@link SyncStatus}. */
  status(): Promise<SyncStatus>;
  /** Registers a listener; resolves to an unsubscribe function. */
  subscribe(listener: (event: SyncEvent) => void): Promise<() => void>;
  /** Stops timers, closes the database (and the Worker). Further calls reject with `closed`. */
  close(): Promise<void>;
}
