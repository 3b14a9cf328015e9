import { toCalsyncError } from './errors.ts';
import type { CalendarSync } from './types.ts';

/** The methods of {@link CalendarSync}, each guarded by {@link guardCalendarSync}. */
const METHODS = [
  'addAccount',
  'updateCredentials',
  'removeAccount',
  'listAccounts',
  'listCalendars',
  'sync',
  'listEvents',
  'watchEvents',
  'searchEvents',
  'getEvent',
  'createEvent',
  'updateEvent',
  'deleteEvent',
  'listPending',
  'listConflicts',
  'resolveConflict',
  'status',
  'watchStatus',
  'subscribe',
  'close',
] as const satisfies ReadonlyArray<keyof CalendarSync>;

/**
 * The public face of an in-thread engine: every method returns a promise (nothing throws
 * synchronously) that rejects only with a `CalsyncError` — anything else that escapes
 * (a `RangeError` from a library, a `TypeError` from a bug) becomes code `internal`,
 * as it does across the Worker boundary.
 */
export function guardCalendarSync(engine: CalendarSync): CalendarSync {
  const guarded: Partial<Record<(typeof METHODS)[number], unknown>> = {};
  for (const name of METHODS) {
    const method = engine[name] as (...args: unknown[]) => Promise<unknown>;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(engine, args);
      } catch (error) {
        throw toCalsyncError(error);
      }
    };
  }
  return guarded as CalendarSync;
}
