import type { ReplicaStore } from '../store/port.ts';

/** `EditDeps.uidInUse` for tests without an engine: a scan of the calendar's stored rows. */
export function uidInUseOf(store: ReplicaStore): (calendarId: string, uid: string) => Promise<boolean> {
  return async (calendarId, uid) => (await store.objectsOfCalendar(calendarId)).some((row) => row.uid === uid);
}
