import type { CalendarSync, CalsyncError, EventOccurrence, EventQuery, OccurrenceChange } from '@calsync/core';
import { useMemo, useSyncExternalStore } from 'react';
import { queryKey } from './query-key.ts';
import { createWatchStore, type WatchStore } from './watch-store.ts';

/** What {@link useEvents} returns: the watched window's occurrences and how far loading got. */
export interface EventsState {
  /**
   * The window's occurrences, sorted as `listEvents` sorts; empty while loading or after an
   * error. Unchanged occurrences are the same objects as in the previous state (compare by
   * identity, e.g. in `React.memo`).
   */
  readonly occurrences: readonly EventOccurrence[];
  /** What the last update changed (`occurrenceId`s); `undefined` while loading or after an error. */
  readonly change: OccurrenceChange | undefined;
  /**
   * No result yet: the CalendarSync or the query is still `undefined`, or the first result
   * of this window has not arrived.
   */
  readonly loading: boolean;
  /** Why the window could not be watched (`invalid-input` for an end before the start, `closed`, …). */
  readonly error: CalsyncError | undefined;
}

const LOADING: EventsState = Object.freeze({
  occurrences: Object.freeze([]),
  change: undefined,
  loading: true,
  error: undefined,
});

const IDLE_STORE: WatchStore<EventsState> = { subscribe: () => () => {}, getSnapshot: () => LOADING };

/**
 * The occurrences of a window, live: the component re-renders whenever they change (after a
 * sync, a local edit, an edit in another tab). Built on `CalendarSync.watchEvents`.
 *
 * The query is compared by value, so an object literal written inline keeps its watch; a
 * different window (or calendar list, or CalendarSync) stops the previous watch and starts
 * a new one, showing `loading` until its first result. While `calendarSync` or `query` is
 * `undefined` (e.g. `createCalendarSync()` has not resolved yet) nothing is watched and the
 * state is `loading`. A watch that fails sets `error` (a `CalsyncError`) and ends loading.
 *
 * @example
 * ```ts
 * const { occurrences, loading, error } = useEvents(calendars, { start: weekStart, end: weekEnd });
 * ```
 */
export function useEvents(calendarSync: CalendarSync | undefined, query: EventQuery | undefined): EventsState {
  const key = query === undefined ? undefined : queryKey(query);
  // `key` stands for `query` in the dependencies: an equal query made anew keeps the store (and its watch).
  const store = useMemo(
    () => (calendarSync === undefined || query === undefined ? IDLE_STORE : eventsStore(calendarSync, query)),
    [calendarSync, key],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

function eventsStore(calendarSync: CalendarSync, query: EventQuery): WatchStore<EventsState> {
  const watched = copyQuery(query);
  return createWatchStore<EventsState>(
    LOADING,
    (deliver) =>
      calendarSync.watchEvents(watched, (occurrences, change) =>
        deliver({ occurrences, change, loading: false, error: undefined }),
      ),
    (error) => ({ occurrences: LOADING.occurrences, change: undefined, loading: false, error }),
  );
}

/** The query as it was when its window was chosen: the caller may mutate its objects later. */
function copyQuery(query: EventQuery): EventQuery {
  const copy: EventQuery = { start: copyInstant(query.start), end: copyInstant(query.end) };
  if (query.calendarIds !== undefined) copy.calendarIds = [...query.calendarIds];
  return copy;
}

function copyInstant(value: string | Date): string | Date {
  return value instanceof Date ? new Date(value.getTime()) : value;
}
