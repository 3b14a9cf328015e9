import type { CalendarSync, SyncStatus } from '@calsync/core';
import { useMemo, useSyncExternalStore } from 'react';
import { createWatchStore, type WatchStore } from './watch-store.ts';

const IDLE_STORE: WatchStore<SyncStatus | undefined> = { subscribe: () => () => {}, getSnapshot: () => undefined };

/**
 * The `SyncStatus` of a CalendarSync, live (online, syncing, pending edits, last
 * error): the component re-renders whenever it changes. Built on `CalendarSync.watchStatus`.
 *
 * `undefined` while `calendarSync` is `undefined` or before the first status arrived; it
 * also stays `undefined` when watching fails (e.g. the CalendarSync was closed).
 *
 * @example
 * ```ts
 * const status = useSyncStatus(calendars);
 * const line = status === undefined ? '…' : `${status.pendingCount} unsynced`;
 * ```
 */
export function useSyncStatus(calendarSync: CalendarSync | undefined): SyncStatus | undefined {
  const store = useMemo(() => (calendarSync === undefined ? IDLE_STORE : statusStore(calendarSync)), [calendarSync]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

function statusStore(calendarSync: CalendarSync): WatchStore<SyncStatus | undefined> {
  return createWatchStore<SyncStatus | undefined>(
    undefined,
    (deliver) => calendarSync.watchStatus(deliver),
    () => undefined,
  );
}
