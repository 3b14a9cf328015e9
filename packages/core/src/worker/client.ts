import { proxy, type Remote, releaseProxy, wrap } from 'comlink';
import { CalsyncError, toCalsyncError } from '../api/errors.ts';
import type {
  CalendarSync,
  CalendarSyncOptions,
  EventQuery,
  EventsListener,
  OccurrenceChange,
  StatusListener,
  SyncEvent,
  SyncStatus,
} from '../api/types.ts';
import { applyChange, EMPTY_RESULT } from '../live/occurrence-diff.ts';
import { VisibleDelivery } from '../live/visible-delivery.ts';
import { applyDelta, type PackedDelta } from '../live/window-delta.ts';
import { browserVisibility } from '../platform/visibility.ts';
import { unpackOccurrences } from '../query/packed.ts';
import { registerErrorTransfer } from './error-transfer.ts';
import type { WorkerApi, WorkerInitOptions } from './protocol.ts';
import { spawnWorker } from './source.ts';
import { startWorker, workerStartTimeout } from './start.ts';
import { watchWorker } from './watch.ts';

/** The page-side handle of an engine running in a Worker. */
export interface WorkerCalendarSync extends CalendarSync {
  /** Whether the engine really runs in a WorkerGlobalScope (for diagnostics and tests). */
  runsInWorker(): Promise<boolean>;
}

/**
 * Starts the engine in a dedicated module Worker and returns a CalendarSync that forwards
 * to it. Never hangs on a broken Worker: a script that fails to load, a `messageerror` or
 * a start slower than `workerStartTimeoutMs` rejects with a CalsyncError `worker` (the
 * Worker is terminated); a Worker that fails later rejects every pending and later call.
 */
export async function createWorkerCalendarSync(options: CalendarSyncOptions): Promise<WorkerCalendarSync> {
  registerErrorTransfer();
  const timeoutMs = workerStartTimeout(options.workerStartTimeoutMs);
  const { worker, source } = spawnWorker(options);
  // Before the first message: the Worker's `error` event may already be queued.
  const watch = watchWorker(worker);
  const remote: Remote<WorkerApi> = wrap<WorkerApi>(worker);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    watch.stop();
    remote[releaseProxy]();
    worker.terminate();
  };
  const init: WorkerInitOptions = {
    ...(options.dbName === undefined ? {} : { dbName: options.dbName }),
    ...(options.proxyUrl === undefined ? {} : { proxyUrl: options.proxyUrl }),
    ...(options.conflictPolicy === undefined ? {} : { conflictPolicy: options.conflictPolicy }),
    ...(options.autoSync === undefined ? {} : { autoSync: options.autoSync }),
  };
  try {
    await startWorker({
      init: () => remote.init(init, options.logger ? proxy(options.logger) : undefined),
      ping: () => remote.isWorker(),
      failed: watch.failed,
      timeoutMs,
      source,
    });
  } catch (error) {
    stop();
    throw error;
  }

  // Once running, every call races against `ended`: it rejects when the Worker fails
  // (`worker`) or when close() has released the proxy (`closed`), whose answers to the
  // calls still under way would otherwise never arrive.
  let endedWith: CalsyncError | undefined;
  let end: (error: CalsyncError) => void = () => undefined;
  const ended = new Promise<never>((_, reject) => {
    end = (error) => {
      endedWith ??= error;
      reject(endedWith);
    };
  });
  // Every call observes `ended` through Promise.race; this handler only keeps an end
  // while no call is pending from being reported as an unhandled rejection.
  ended.catch(() => undefined);
  void watch.failed.then((failure) => {
    end(
      new CalsyncError(
        'worker',
        `The calsync worker stopped: ${failure.detail}. This CalendarSync cannot be used any more; create a new one.`,
        { retryable: false },
      ),
    );
    stop();
  });

  let closed = false;
  const closedError = () => new CalsyncError('closed', 'This CalendarSync was closed.', { retryable: false });
  const ensureOpen = () => {
    if (closed) throw closedError();
    if (endedWith) throw endedWith;
  };
  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    ensureOpen();
    try {
      return await Promise.race([call(), ended]);
    } catch (error) {
      // Comlink's own failures (e.g. a DataCloneError) are not CalsyncErrors yet.
      throw toCalsyncError(error);
    }
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
    async watchEvents(query: EventQuery, listener: EventsListener) {
      // Unpacked here; occurrences the change does not name stay the objects the listener saw.
      const delivery = new VisibleDelivery(listener, browserVisibility(), (error) =>
        options.logger?.debug?.('A watchEvents listener threw', { reason: String(error) }),
      );
      let previous = EMPTY_RESULT;
      // Later results may arrive before the answer with the first one: they wait for it.
      let early: Array<[PackedDelta, OccurrenceChange]> | undefined = [];
      const apply = (delta: PackedDelta, change: OccurrenceChange) => {
        previous = applyDelta(previous, unpackOccurrences(delta.fresh), delta.at, change);
        delivery.push(previous, change, false);
      };
      const onResult = (delta: PackedDelta, change: OccurrenceChange) => {
        if (early) early.push([delta, change]);
        else apply(delta, change);
      };
      const first = await guarded(() => remote.watchEventsPacked(query, proxy(onResult)));
      previous = applyChange(previous, unpackOccurrences(first.packed), first.change);
      delivery.push(previous, first.change, true);
      for (const [delta, change] of early) apply(delta, change);
      early = undefined;
      return () => {
        delivery.stop();
        if (!stopped) void Promise.resolve(remote.unwatch(first.id)).catch(() => undefined);
      };
    },
    async watchStatus(listener: StatusListener) {
      let early: SyncStatus[] | undefined = [];
      const onStatus = (status: SyncStatus) => {
        if (early) early.push(status);
        else listener(status);
      };
      const first = await guarded(() => remote.watchStatus(proxy(onStatus)));
      for (const status of [first.status, ...early]) listener(status);
      early = undefined;
      return () => {
        if (!stopped) void Promise.resolve(remote.unwatch(first.id)).catch(() => undefined);
      };
    },
    searchEvents: (text, o) => guarded(() => remote.searchEvents(text, o)),
    getEvent: (id) => guarded(() => remote.getEvent(id)),
    createEvent: (calendarId, input) => guarded(() => remote.createEvent(calendarId, input)),
    updateEvent: (eventId, patch, options) => guarded(() => remote.updateEvent(eventId, patch, options)),
    deleteEvent: (eventId, options) => guarded(() => remote.deleteEvent(eventId, options)),
    listPending: () => guarded(() => remote.listPending()),
    listConflicts: () => guarded(() => remote.listConflicts()),
    resolveConflict: (conflictId, resolution) => guarded(() => remote.resolveConflict(conflictId, resolution)),
    status: () => guarded(() => remote.status()),
    async subscribe(listener: (event: SyncEvent) => void) {
      const unsubscribe = await guarded(() => remote.subscribe(proxy(listener)));
      return () => {
        // A stopped Worker would never answer; an unsubscribe has nothing to report.
        if (!stopped) void Promise.resolve(unsubscribe()).catch(() => undefined);
      };
    },
    runsInWorker: () => guarded(() => remote.isWorker()),
    async close() {
      if (closed) return;
      closed = true;
      if (stopped) return; // the Worker failed and was terminated: nothing left to close
      try {
        await Promise.race([remote.close(), ended]);
      } catch (error) {
        // A Worker that fails while closing is closed too (terminating it releases its database).
        if (!endedWith) throw toCalsyncError(error);
      } finally {
        end(closedError());
        stop();
      }
    },
  };
}
