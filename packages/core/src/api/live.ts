import type { EventOccurrence } from './events.ts';
import type { SyncStatus } from './sync.ts';

/**
 * What changed in a watched window since the listener was last called, as
 * {@link EventOccurrence.occurrenceId}s. On the first call every occurrence is `added`.
 */
export interface OccurrenceChange {
  /** Occurrences now in the window that were not before (moved in, created, synced in). */
  readonly added: readonly string[];
  /** Occurrences no longer in the window (moved out, deleted, calendar removed). */
  readonly removed: readonly string[];
  /** Occurrences still in the window whose fields changed (new objects; all others keep their identity). */
  readonly updated: readonly string[];
}

/**
 * Listener of `watchEvents`: the window's whole current result (sorted as `listEvents`
 * sorts) and what changed. Unchanged occurrences are the same objects as in the previous
 * call, so a UI can skip them by identity.
 */
export type EventsListener = (occurrences: readonly EventOccurrence[], change: OccurrenceChange) => void;

/** Listener of `watchStatus`: called with the current status, then whenever it changes. */
export type StatusListener = (status: SyncStatus) => void;

/** Options of `searchEvents`. */
export interface SearchOptions {
  /** Only these calendars; default all. */
  calendarIds?: string[];
  /** At most this many results (default 50, at most 1,000). */
  limit?: number;
  /** Only events with an occurrence at or after this instant (ISO string or Date). */
  start?: string | Date;
  /** Only events with an occurrence before this instant. */
  end?: string | Date;
}
