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
  conflictPolicy?: 'merge' | 'server-wins' | 'client-wins';
  /** Periodic sync and sync on reconnect; default on (every 5 minutes). */
  autoSync?: false | { intervalMs?: number };
  /** URL of the worker script, when your bundler does not handle `new URL('./worker.ts', import.meta.url)`. */
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
  debug?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
  warn?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
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
  readonly code: 'href-outside' | 'href-duplicate' | 'href-unrequested' | 'object-unavailable' | 'object-unreadable';
  readonly message: string;
  /** The resource the warning is about. */
  readonly href: string;
  /** The collection whose answer it was. */
  readonly collectionUrl: string;
}

/** A CalDAV account. Holds no secret. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly serverUrl: string;
  readonly username: string;
  readonly homeUrl: string;
  readonly lastSyncAt?: string;
  readonly lastError?: SyncErrorInfo;
}

/** A calendar of an account. */
export interface Calendar {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly name: string;
  /** CSS color (`#rrggbb`), when the server has one. */
  readonly color?: string;
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
  summary: string;
  start: string | Date;
  end: string | Date;
  allDay?: boolean;
  timezone?: string;
  location?: string;
  description?: string;
  rrule?: string;
  uid?: string;
}

/** Changes of `updateEvent`; absent fields stay as they are, `null` removes an optional text. */
export interface EventPatch {
  summary?: string;
  start?: string | Date;
  end?: string | Date;
  allDay?: boolean;
  timezone?: string | null;
  location?: string | null;
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
  readonly id: string;
  readonly eventId: string;
  readonly calendarId: string;
  readonly accountId: string;
  readonly operation: 'create' | 'update' | 'delete';
  readonly summary?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly attempts: number;
  /** `pending`: will be sent; `quarantined`: the server refused it (see `lastError`), others carry on; `paused`: the account needs new credentials. */
  readonly state: 'pending' | 'quarantined' | 'paused';
  readonly nextAttemptAt?: string;
  readonly lastError?: SyncErrorInfo & { readonly status?: number; readonly serverMessage?: string };
}

/** Versions kept when local and server changes could not both win. Nothing is dropped until resolved. */
export interface Conflict {
  readonly id: string;
  readonly eventId: string;
  readonly calendarId: string;
  readonly uid?: string;
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
  /** What the replica shows now (after the conflict policy ran). */
  readonly current: 'local' | 'server' | 'merged' | 'deleted';
  /** Properties both sides changed differently (for `edit-edit`). */
  readonly properties: readonly string[];
  readonly createdAt: string;
}

/** One occurrence of an event inside a query window (recurrences expanded). */
export interface EventOccurrence {
  /** Id of the stored object (the whole series for recurring events); use with `getEvent`. */
  readonly eventId: string;
  readonly calendarId: string;
  readonly uid: string;
  /** Present for occurrences of a recurring event: the instance's original start. */
  readonly recurrenceId?: string;
  readonly summary: string;
  /** ISO 8601 UTC (`…Z`) for timed events, `YYYY-MM-DD` for all-day events. */
  readonly start: string;
  readonly end: string;
  readonly allDay: boolean;
  readonly timezone?: string;
  readonly location?: string;
  readonly description?: string;
  /** Has an unsynced local change. */
  readonly pending: boolean;
  /** Has an open conflict. */
  readonly conflict: boolean;
}

/** A stored calendar object (a single event or a whole series), with its raw ICS. */
export interface CalendarEvent {
  readonly eventId: string;
  readonly calendarId: string;
  readonly href: string;
  readonly etag?: string;
  readonly uid?: string;
  readonly summary?: string;
  readonly start?: string;
  readonly end?: string;
  readonly allDay?: boolean;
  readonly timezone?: string;
  readonly location?: string;
  readonly description?: string;
  readonly recurring?: boolean;
  /** The object as stored on the server. */
  readonly ics: string;
  /** The server's data could not be parsed; it is kept raw and not shown in `listEvents`. */
  readonly invalid: boolean;
  readonly invalidReason?: string;
  readonly pending: boolean;
  readonly conflict: boolean;
}

/** Query of `listEvents`: occurrences overlapping the half-open window [start, end). */
export interface EventQuery {
  start: string | Date;
  end: string | Date;
  calendarIds?: string[];
}

/** An error as reported in events, status and accounts: code and user-safe message. */
export interface SyncErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
}

/** What `sync()` did. */
export interface SyncReport {
  readonly accounts: Array<{
    readonly accountId: string;
    readonly ok: boolean;
    readonly error?: SyncErrorInfo;
    readonly calendars: Array<{
      readonly calendarId: string;
      /**
       * How the calendar was pulled: `full-query` is the first download of an empty replica
       * (one calendar-query REPORT with every object's data), `full-sync-collection` a
       * download or reconciliation by sync-collection, `etag-listing` the fallback for
       * servers without sync-collection.
       */
      readonly mode: 'skip' | 'incremental' | 'full-query' | 'full-sync-collection' | 'etag-listing';
      readonly changed: number;
      readonly deleted: number;
      /** Objects stored raw because they could not be parsed. */
      readonly invalid: number;
    }>;
    readonly calendarsAdded: number;
    readonly calendarsRemoved: number;
    /** Local edits the server accepted in this sync. */
    readonly pushed: number;
    /** Conflicts recorded in this sync. */
    readonly conflicts: number;
  }>;
  /** HTTP requests that reached a server during this sync. */
  readonly requests: number;
  readonly durationMs: number;
}

/** Current state of the engine. */
export interface SyncStatus {
  /** Judged by the last request's outcome (navigator.onLine is not trusted). */
  readonly online: boolean;
  readonly syncing: boolean;
  readonly lastSyncAt?: string;
  readonly lastError?: SyncErrorInfo;
  readonly pendingCount: number;
}

/** Events delivered to `subscribe` listeners. */
export type SyncEvent =
  | { readonly type: 'changed'; readonly accountId: string; readonly calendarIds: readonly string[] }
  | {
      readonly type: 'progress';
      readonly accountId: string;
      readonly calendarId?: string;
      readonly phase: 'pushing' | 'calendars' | 'listing' | 'fetching' | 'storing' | 'done';
      readonly done: number;
      readonly total: number;
    }
  | { readonly type: 'error'; readonly accountId?: string; readonly error: SyncErrorInfo }
  | { readonly type: 'warning'; readonly accountId?: string; readonly warning: SyncWarning }
  | { readonly type: 'conflict'; readonly conflict: Conflict }
  | { readonly type: 'pending'; readonly pendingCount: number }
  | { readonly type: 'status'; readonly status: SyncStatus };

/** Input of `addAccount`. */
export interface AccountInput {
  /** The DAV root URL (e.g. `https://dav.example.com/`); `.well-known` redirects are not followed by browsers. */
  serverUrl: string;
  username: string;
  password: string;
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
  listAccounts(): Promise<Account[]>;
  listCalendars(accountId?: string): Promise<Calendar[]>;
  /** Pushes pending edits, then pulls, for every account (or one). */
  sync(options?: { accountId?: string }): Promise<SyncReport>;
  /** Occurrences overlapping [start, end), recurrences expanded, sorted by start. */
  listEvents(query: EventQuery): Promise<EventOccurrence[]>;
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
  resolveConflict(conflictId: string, resolution: 'local' | 'server' | { ics: string }): Promise<void>;
  status(): Promise<SyncStatus>;
  /** Registers a listener; resolves to an unsubscribe function. */
  subscribe(listener: (event: SyncEvent) => void): Promise<() => void>;
  /** Stops timers, closes the database (and the Worker). Further calls reject with `closed`. */
  close(): Promise<void>;
}
