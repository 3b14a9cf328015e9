import { proxy, transfer } from 'comlink';
import { CalsyncError } from '../api/errors.ts';
import type { CalendarSyncOptions, CalsyncLogger, SyncEvent, SyncStatus } from '../api/types.ts';
import { CalendarSyncEngine } from '../engine/engine.ts';
import { transferablesOf } from '../query/packed.ts';
import type { WorkerApi, WorkerInitOptions } from './protocol.ts';

/** How the Worker opens its engine; tests count or stub the calls. */
export type OpenEngine = (options: CalendarSyncOptions) => Promise<CalendarSyncEngine>;

/**
 * The object the Worker exposes through Comlink (entry.ts): one engine per Worker.
 *
 * `init` is idempotent: a second call with the same options resolves once the first
 * engine is open and starts no second one — also when both calls arrive before the
 * database is open, because the pending start (not just its result) is kept. A second
 * call with different options rejects with `invalid-input` rather than being ignored:
 * resolving it would let the caller believe it had opened, say, another `dbName`.
 * The first call's logger stays (a logger proxy cannot be compared).
 */
export function createWorkerApi(open: OpenEngine = (options) => CalendarSyncEngine.open(options)): WorkerApi {
  let starting: { readonly key: string; readonly engine: Promise<CalendarSyncEngine> } | undefined;
  let engine: CalendarSyncEngine | undefined;
  const watches = new Map<number, () => void>();
  let lastWatchId = 0;

  const current = (): CalendarSyncEngine => {
    if (!engine) throw new CalsyncError('closed', 'The calsync worker is not initialised.');
    return engine;
  };

  return {
    async init(options: WorkerInitOptions, logger?: CalsyncLogger) {
      const key = optionsKey(options);
      if (starting && starting.key !== key) {
        throw new CalsyncError(
          'invalid-input',
          'The calsync worker is already initialised with other options; create another Worker for them.',
        );
      }
      if (!starting) {
        const opening = open({ ...options, worker: false, ...(logger ? { logger: quiet(logger) } : {}) });
        const attempt = { key, engine: opening };
        starting = attempt;
        opening.then(
          (opened) => {
            if (starting === attempt) engine = opened;
          },
          () => {
            // The caller of init gets this error; forgetting the attempt lets a later init retry.
            if (starting === attempt) starting = undefined;
          },
        );
      }
      await starting.engine;
    },
    addAccount: (input) => current().addAccount(input),
    updateCredentials: (accountId, password) => current().updateCredentials(accountId, password),
    removeAccount: (accountId) => current().removeAccount(accountId),
    listAccounts: () => current().listAccounts(),
    listCalendars: (accountId) => current().listCalendars(accountId),
    sync: (options) => current().sync(options),
    listEvents: (query) => current().listEvents(query),
    async listEventsPacked(query) {
      const packed = await current().listEventsPacked(query);
      return transfer(packed, transferablesOf(packed));
    },
    async watchEventsPacked(query, listener) {
      const { first, close } = await current().watchEventsPacked(query, (delta, change) => {
        // A page that went away leaves a dead proxy: drop its errors.
        const sent = transfer(delta, [...transferablesOf(delta.fresh), delta.at.buffer]);
        Promise.resolve(listener(sent, change)).catch(() => undefined);
      });
      const id = ++lastWatchId;
      watches.set(id, close);
      return transfer({ id, ...first }, transferablesOf(first.packed));
    },
    async watchStatus(listener) {
      let first: SyncStatus | undefined;
      const close = await current().watchStatus((status) => {
        if (first === undefined) first = status;
        else Promise.resolve(listener(status)).catch(() => undefined);
      });
      const id = ++lastWatchId;
      watches.set(id, close);
      return { id, status: first as SyncStatus };
    },
    unwatch(id) {
      watches.get(id)?.();
      watches.delete(id);
    },
    searchEvents: (text, options) => current().searchEvents(text, options),
    getEvent: (eventId) => current().getEvent(eventId),
    createEvent: (calendarId, input) => current().createEvent(calendarId, input),
    updateEvent: (eventId, patch, options) => current().updateEvent(eventId, patch, options),
    deleteEvent: (eventId, options) => current().deleteEvent(eventId, options),
    listPending: () => current().listPending(),
    listConflicts: () => current().listConflicts(),
    resolveConflict: (conflictId, resolution) => current().resolveConflict(conflictId, resolution),
    status: () => current().status(),
    async subscribe(listener: (event: SyncEvent) => void) {
      const unsubscribe = await current().subscribe((event) => {
        // A page that went away leaves a dead proxy: drop its errors.
        Promise.resolve(listener(event)).catch(() => undefined);
      });
      return proxy(unsubscribe);
    },
    async close() {
      const pending = starting;
      starting = undefined;
      engine = undefined;
      // A close during init closes the engine that init is opening; a failed open has
      // nothing to close (its error went to the caller of init).
      const opened = await pending?.engine.catch(() => undefined);
      await opened?.close();
    },
    isWorker: () => typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined',
  };
}

/** The options as a canonical string (sorted keys), to tell a repeated init from a different one. */
function optionsKey(options: WorkerInitOptions): string {
  return JSON.stringify(options, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** The page's logger behind Comlink returns promises: a page that went away must not break a sync. */
function quiet(logger: CalsyncLogger): CalsyncLogger {
  const call =
    (level: keyof CalsyncLogger) =>
    (message: string, details?: Readonly<Record<string, string | number | boolean>>) => {
      Promise.resolve(logger[level]?.(message, details)).catch(() => undefined);
    };
  return { debug: call('debug'), warn: call('warn'), error: call('error') };
}
