import { CalsyncError, toCalsyncError } from './errors.ts';
import type { CalendarSync, CalendarSyncOptions } from './types.ts';

/**
 * Opens (or creates) the local replica and starts the sync engine.
 *
 * Runs in a dedicated module Worker where `Worker` exists, unless `worker: false`; with
 * `fetch` or `indexedDB` given (they cannot cross into a Worker) it runs in this thread.
 * `worker` may be a function creating the Worker (then no global `Worker` is needed).
 * Rejects with `CalsyncError` `invalid-input` for contradictory options, and with `worker`
 * when the Worker fails to load or start within `workerStartTimeoutMs` (never hangs).
 */
export async function createCalendarSync(options: CalendarSyncOptions = {}): Promise<CalendarSync> {
  const canUseWorker = typeof Worker !== 'undefined';
  const needsThisThread = options.fetch !== undefined || options.indexedDB !== undefined;
  const factory = typeof options.worker === 'function';
  if ((options.worker === true || factory) && needsThisThread) {
    throw new CalsyncError(
      'invalid-input',
      '`fetch` and `indexedDB` cannot be passed to a Worker engine; use worker: false.',
    );
  }
  if (options.worker === true && !canUseWorker) {
    throw new CalsyncError('invalid-input', 'Workers are not available here; use worker: false.');
  }
  const useWorker = options.worker === undefined ? canUseWorker && !needsThisThread : options.worker !== false;
  // Load only the side that runs here: a Worker app's main bundle stays free of the engine.
  if (useWorker) {
    const { createWorkerCalendarSync } = await import('../worker/client.ts');
    return createWorkerCalendarSync(options);
  }
  const [{ CalendarSyncEngine }, { guardCalendarSync }] = await Promise.all([
    import('../engine/engine.ts'),
    import('./guard.ts'),
  ]);
  try {
    return guardCalendarSync(await CalendarSyncEngine.open(options));
  } catch (error) {
    throw toCalsyncError(error);
  }
}
