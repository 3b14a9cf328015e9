import { proxy, type Remote, releaseProxy, wrap } from 'comlink';
import type { CalendarSync, CalendarSyncOptions, SyncEvent } from '../api-types.ts';
import { CalsyncError } from '../errors.ts';
import { unpackOccurrences } from '../query/packed.ts';
import { registerErrorTransfer } from './error-transfer.ts';
import type { WorkerApi, WorkerInitOptions } from './protocol.ts';

/** The page-side handle of an engine running in a Worker. */
export interface WorkerCalendarSync extends CalendarSync {
  /** Whether the engine really runs in a WorkerGlobalScope (for diagnostics and tests). */
  runsInWorker(): Promise<boolean>;
}

/** Starts the engine in a dedicated module Worker and returns a CalendarSync that forwards to it. */
export async function createWorkerCalendarSync(options: CalendarSyncOptions): Promise<WorkerCalendarSync> {
  registerErrorTransfer();
  const worker = options.workerUrl
    ? new Worker(options.workerUrl, { type: 'module', name: 'calsync' })
    : new Worker(new URL('../worker.ts', import.meta.url), { type: 'module', name: 'calsync' });
  const remote: Remote<WorkerApi> = wrap<WorkerApi>(worker);
  const init: WorkerInitOptions = {
    ...(options.dbName === undefined ? {} : { dbName: options.dbName }),
    ...(options.proxyUrl === undefined ? {} : { proxyUrl: options.proxyUrl }),
    ...(options.conflictPolicy === undefined ? {} : { conflictPolicy: options.conflictPolicy }),
    ...(options.autoSync === undefined ? {} : { autoSync: options.autoSync }),
  };
  try {
    await remote.init(init, options.logger ? proxy(options.logger) : undefined);
  } catch (error) {
    worker.terminate();
    throw error instanceof CalsyncError ? error : new CalsyncError('internal', 'The calsync worker failed to start.');
  }
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new CalsyncError('closed', 'This CalendarSync was closed.', { retryable: false });
  };
  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    ensureOpen();
    return call();
  };
  return {
    addAccount: (input) => guarded(() => remote.addAccount(input)),
    updateCredentials: (id, password) => guarded(() => remote.updateCredentials(id, password)),
    removeAccount: (id) => guarded(() => remote.removeAccount(id)),
    listAccounts: () => guarded(() => remote.listAccounts()),
    listCalendars: (accountId) => guarded(() => remote.listCalendars(accountId)),
    sync: (o) => guarded(() => remote.sync(o)),
    // Occurrences cross the boundary packed (shared fields once per event): see query/packed.ts.
    listEvents: (query) => guarded(async () => unpackOccurrences(await remote.listEventsPacked(query))),
    getEvent: (id) => guarded(() => remote.getEvent(id)),
    createEvent: (calendarId, input) => guarded(() => remote.createEvent(calendarId, input)),
    updateEvent: (eventId, patch, options) => guarded(() => remote.updateEvent(eventId, patch, options)),
    deleteEvent: (eventId, options) => guarded(() => remote.deleteEvent(eventId, options)),
    listPending: () => guarded(() => remote.listPending()),
    listConflicts: () => guarded(() => remote.listConflicts()),
    resolveConflict: (conflictId, resolution) => guarded(() => remote.resolveConflict(conflictId, resolution)),
    status: () => guarded(() => remote.status()),
    async subscribe(listener: (event: SyncEvent) => void) {
      ensureOpen();
      const unsubscribe = await remote.subscribe(proxy(listener));
      return () => {
        void Promise.resolve(unsubscribe()).catch(() => undefined);
      };
    },
    runsInWorker: () => guarded(() => remote.isWorker()),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await remote.close();
      } finally {
        remote[releaseProxy]();
        worker.terminate();
      }
    },
  };
}
