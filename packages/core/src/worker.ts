/**
 * Worker entry of @calsync/core: runs the engine inside a dedicated module Worker and
 * exposes it with Comlink. The page side is `createCalendarSync()` (index.ts); apps do
 * not import this file directly unless their bundler needs an explicit worker URL.
 */
import { expose, proxy, transfer } from 'comlink';
import type { CalsyncLogger, SyncEvent } from './api-types.ts';
import { CalendarSyncEngine } from './engine.ts';
import { CalsyncError } from './errors.ts';
import { registerErrorTransfer } from './worker/error-transfer.ts';
import type { WorkerApi, WorkerInitOptions } from './worker/protocol.ts';

registerErrorTransfer();

let engine: CalendarSyncEngine | undefined;

function current(): CalendarSyncEngine {
  if (!engine) throw new CalsyncError('closed', 'The calsync worker is not initialised.');
  return engine;
}

const api: WorkerApi = {
  async init(options: WorkerInitOptions, logger?: CalsyncLogger) {
    engine = await CalendarSyncEngine.open({ ...options, worker: false, ...(logger ? { logger: quiet(logger) } : {}) });
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
    return transfer(packed, [packed.refs.buffer]);
  },
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
    await engine?.close();
    engine = undefined;
  },
  isWorker: () => typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined',
};

/** The page's logger behind Comlink returns promises: a page that went away must not break a sync. */
function quiet(logger: CalsyncLogger): CalsyncLogger {
  const call =
    (level: keyof CalsyncLogger) =>
    (message: string, details?: Readonly<Record<string, string | number | boolean>>) => {
      Promise.resolve(logger[level]?.(message, details)).catch(() => undefined);
    };
  return { debug: call('debug'), warn: call('warn'), error: call('error') };
}

expose(api);
