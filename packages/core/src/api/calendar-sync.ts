import type { Account, AccountInput, Calendar } from './accounts.ts';
import type { Conflict, ConflictResolution, PendingChange } from './conflicts.ts';
import type { CalendarEvent, EditOptions, EventInput, EventOccurrence, EventPatch, EventQuery } from './events.ts';
import type { EventsListener, SearchOptions, StatusListener } from './live.ts';
import type { SyncEvent, SyncOptions, SyncReport, SyncStatus } from './sync.ts';

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
  /** Occurrences overlapping [start, end), recurrences expanded, sorted by start (then title, then event id: a stable order). */
  listEvents(query: EventQuery): Promise<EventOccurrence[]>;
  /**
   * A live `listEvents`: calls `listener` at once with the window's occurrences, then again
   * whenever they change — after pulls, local edits, replays, conflict resolutions and
   * changes made in another tab — and never when they did not. Resolves to an unsubscribe
   * function once the first call was made. A change wakes only the watchers whose window
   * and calendars it touches; a hidden tab may deliver several changes as one.
   */
  watchEvents(query: EventQuery, listener: EventsListener): Promise<() => void>;
  /**
   * Events matching `text` (every word, as a prefix; case and diacritics ignored) in title,
   * location, description, attendees' names and categories, best first, from the local
   * replica (works offline). A series appears once, as its first occurrence in the window
   * (without a window: its next occurrence from now, or its last one if it ended).
   */
  searchEvents(text: string, options?: SearchOptions): Promise<EventOccurrence[]>;
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
  /** Calls `listener` at once with the {@link SyncStatus}, then on every change of it (no polling). Resolves to an unsubscribe function. */
  watchStatus(listener: StatusListener): Promise<() => void>;
  /** Registers a listener; resolves to an unsubscribe function. */
  subscribe(listener: (event: SyncEvent) => void): Promise<() => void>;
  /** Stops timers, closes the database (and the Worker). Further calls reject with `closed`. */
  close(): Promise<void>;
}
