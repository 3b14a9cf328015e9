import type {
  Account,
  AccountInput,
  Calendar,
  CalendarEvent,
  CalendarSync,
  CalendarSyncOptions,
  Conflict,
  EditOptions,
  EventInput,
  EventOccurrence,
  EventPatch,
  EventQuery,
  PendingChange,
  SyncErrorInfo,
  SyncEvent,
  SyncReport,
  SyncStatus,
} from '../api/types.ts';
import { syncAccountRound } from './account-round.ts';
import { Connections, type TransportAccount } from './connections.ts';
import { SyncScheduler } from './scheduler.ts';
import {
  toAccount,
  toCalendar,
  toCalendarEvent,
  toConflict,
  toPendingChange,
  validateOrigins,
  validateServerUrl,
} from '../api/mappers.ts';
import { CalsyncError } from '../api/errors.ts';
import { createLocal, deleteLocal, type EditResult, resolveLocal, updateLocal } from '../outbox/local-edits.ts';
import { EventQueryCache, type ObjectKey } from '../query/event-query.ts';
import type { PackedOccurrences } from '../query/packed.ts';
import type { AccountRecord, ObjectRecord } from '../store/schema.ts';
import { CalsyncStore } from '../store/store.ts';
import { holdsEvents } from '../sync/plan.ts';
import { calendarRecord } from '../sync/sync-account.ts';
import type { CalDavHttpTransport } from '../transport/caldav-transport.ts';
import type { RemoteCalendar } from '../transport/types.ts';
import { toEpochMs } from '../util/dates.ts';
import { Emitter } from '../util/emitter.ts';
import { newId, parseEventId } from '../model/ids.ts';
import { TabChannel } from '../platform/tab-channel.ts';

/**
 * How long the calendar list fetched by `addAccount` stands in for the first round's own
 * PROPFIND (with auto-sync, that round starts right away): one request less, and on
 * servers that compute sync-tokens by walking each collection, a large part of the first
 * sync's server time.
 */
const FRESH_LISTING_MS = 60_000;

/**
 * The calsync engine, running in whatever thread created it (the Worker entry wraps
 * this same class). Owns the store, the transports and the scheduler.
 */
export class CalendarSyncEngine implements CalendarSync {
  readonly #options: CalendarSyncOptions;
  readonly #store: CalsyncStore;
  /** Calendar lists fetched by `addAccount`, for the first round to reuse (see FRESH_LISTING_MS). */
  readonly #freshListings = new Map<string, { calendars: readonly RemoteCalendar[]; at: number }>();
  /**
   * Ids of the stored calendars, for queries: an IndexedDB read per `listEvents` usually
   * takes 0.5 ms but now and then 10–20 ms (the p95 of a month query). Dropped whenever
   * calendars may have changed: account added or removed, any sync round, any change.
   */
  #calendarIds: Promise<string[]> | undefined;
  readonly #events = new Emitter<SyncEvent>();
  readonly #query: EventQueryCache;
  readonly #net: Connections;
  readonly #tabs: TabChannel;
  readonly #scheduler: SyncScheduler;
  #syncing: Promise<SyncReport> | undefined;
  #lastSyncAt: number | undefined;
  #lastError: SyncErrorInfo | undefined;
  #closed = false;
  #pendingCount = 0;

  private constructor(options: CalendarSyncOptions, store: CalsyncStore) {
    this.#options = options;
    this.#store = store;
    this.#query = new EventQueryCache(store);
    this.#net = new Connections({
      fetch: (options.fetch ?? globalThis.fetch).bind(globalThis),
      proxyUrl: options.proxyUrl,
      emit: (event) => this.#events.emit(event),
      logger: options.logger,
    });
    this.#tabs = new TabChannel(options.dbName ?? 'calsync', (message) => {
      this.#calendarIds = undefined;
      this.#invalidate(message.calendarIds);
      this.#events.emit({ type: 'changed', accountId: message.accountId, calendarIds: message.calendarIds });
    });
    this.#scheduler = new SyncScheduler({
      autoSync: options.autoSync,
      full: () => this.#auto('full'),
      push: () => this.#auto('push'),
      nextRetryAt: async () => {
        const due = (await this.#store.outbox.list())
          .filter((e) => e.state === 'pending' && e.nextAttemptAt !== undefined)
          .map((e) => e.nextAttemptAt as number);
        return due.length ? Math.min(...due) : undefined;
      },
    });
  }

  /** Opens the database and starts auto-sync (unless disabled). */
  static async open(options: CalendarSyncOptions = {}): Promise<CalendarSyncEngine> {
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) {
      throw new CalsyncError(
        'invalid-input',
        'No IndexedDB here: pass `indexedDB` (e.g. from fake-indexeddb) in Node.',
      );
    }
    if (typeof (globalThis as { IDBKeyRange?: unknown }).IDBKeyRange === 'undefined') {
      // idb checks results with `instanceof IDBRequest` etc.: the classes must be global.
      throw new CalsyncError(
        'invalid-input',
        "IndexedDB classes are missing in this runtime: in Node, import 'fake-indexeddb/auto' first.",
      );
    }
    const store = await CalsyncStore.open(factory, options.dbName ?? 'calsync');
    const engine = new CalendarSyncEngine(options, store);
    engine.#scheduler.start();
    return engine;
  }

  async addAccount(input: AccountInput): Promise<Account> {
    this.#assertOpen();
    const serverUrl = validateServerUrl(input.serverUrl);
    if (!input.username) throw new CalsyncError('invalid-input', 'A username is required.');
    const allowOrigins = validateOrigins(input.allowOrigins);
    const transport = this.#transport({ serverUrl, username: input.username, allowOrigins }, input.password);
    const { principalUrl, homeUrl } = await transport.discover(serverUrl);
    const remoteCalendars = await transport.listCalendars(homeUrl);
    const id = newId();
    const account: AccountRecord = {
      id,
      name: input.name ?? `${input.username} @ ${new URL(serverUrl).host}`,
      serverUrl,
      username: input.username,
      principalUrl,
      homeUrl,
      createdAt: Date.now(),
      ...(allowOrigins.length > 0 ? { allowOrigins } : {}),
    };
    const calendars = remoteCalendars.filter(holdsEvents).map((c) => calendarRecord(newId(), id, c));
    await this.#store.addAccount(account, input.password, calendars);
    this.#calendarIds = undefined;
    this.#freshListings.set(id, { calendars: remoteCalendars, at: Date.now() });
    this.#scheduler.full();
    return toAccount(account);
  }

  async updateCredentials(accountId: string, password: string): Promise<void> {
    this.#assertOpen();
    const account = await this.#account(accountId);
    await this.#store.setPassword(account.id, password);
    const { paused: _resumed, ...resumed } = account;
    await this.#store.updateAccount(resumed);
    this.#scheduler.full();
  }

  async removeAccount(accountId: string): Promise<void> {
    this.#assertOpen();
    await this.#account(accountId);
    await this.#store.removeAccount(accountId);
    this.#calendarIds = undefined;
    this.#changed(accountId, []);
    await this.#emitPending();
  }

  async listAccounts(): Promise<Account[]> {
    this.#assertOpen();
    return (await this.#store.listAccounts()).map(toAccount);
  }

  async listCalendars(accountId?: string): Promise<Calendar[]> {
    this.#assertOpen();
    const records = await this.#store.listCalendars(accountId);
    records.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
    return Promise.all(records.map(async (c) => toCalendar(c, await this.#store.countObjects(c.id))));
  }

  async sync(options: { accountId?: string } = {}): Promise<SyncReport> {
    this.#assertOpen();
    return this.#run(options.accountId, 'full', true);
  }

  async listEvents(query: EventQuery): Promise<EventOccurrence[]> {
    const { ids, start, end } = await this.#eventQuery(query);
    return this.#query.list(ids, start, end);
  }

  /** `listEvents` in the compact form the Worker sends to the page (query/packed.ts). */
  async listEventsPacked(query: EventQuery): Promise<PackedOccurrences> {
    const { ids, start, end } = await this.#eventQuery(query);
    return this.#query.listPacked(ids, start, end);
  }

  async #eventQuery(query: EventQuery): Promise<{ ids: string[]; start: number; end: number }> {
    this.#assertOpen();
    const start = toEpochMs(query.start, 'start');
    const end = toEpochMs(query.end, 'end');
    if (end <= start) throw new CalsyncError('invalid-input', 'The window end must be after its start.');
    this.#calendarIds ??= this.#store.listCalendars().then((calendars) => calendars.map((c) => c.id));
    const known = this.#calendarIds;
    let all: string[];
    try {
      all = await known;
    } catch (error) {
      if (this.#calendarIds === known) this.#calendarIds = undefined;
      throw error;
    }
    const wanted = query.calendarIds ? new Set(query.calendarIds) : undefined;
    return { ids: all.filter((id) => !wanted || wanted.has(id)), start, end };
  }

  async getEvent(eventId: string): Promise<CalendarEvent | undefined> {
    this.#assertOpen();
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const record = await this.#store.getObject(parsed.calendarId, parsed.href);
    return record ? toCalendarEvent(record) : undefined;
  }

  async createEvent(calendarId: string, input: EventInput): Promise<CalendarEvent> {
    this.#assertOpen();
    return this.#afterEdit(await createLocal(this.#editDeps(), calendarId, input));
  }

  async updateEvent(eventId: string, patch: EventPatch, options?: EditOptions): Promise<CalendarEvent> {
    this.#assertOpen();
    return this.#afterEdit(await updateLocal(this.#editDeps(), eventId, patch, options));
  }

  async deleteEvent(eventId: string, options?: EditOptions): Promise<void> {
    this.#assertOpen();
    await this.#afterEdit(await deleteLocal(this.#editDeps(), eventId, options));
  }

  async listPending(): Promise<PendingChange[]> {
    this.#assertOpen();
    const paused = new Set((await this.#store.listAccounts()).filter((a) => a.paused).map((a) => a.id));
    return (await this.#store.outbox.list()).map((entry) => toPendingChange(entry, paused.has(entry.accountId)));
  }

  async listConflicts(): Promise<Conflict[]> {
    this.#assertOpen();
    return (await this.#store.outbox.listConflicts()).map(toConflict);
  }

  async resolveConflict(conflictId: string, resolution: 'local' | 'server' | { ics: string }): Promise<void> {
    this.#assertOpen();
    const conflict = await this.#store.outbox.getConflict(conflictId);
    if (!conflict) throw new CalsyncError('not-found', `No conflict ${conflictId}.`, { retryable: false });
    await this.#afterEdit(await resolveLocal(this.#editDeps(), conflict, resolution));
  }

  async status(): Promise<SyncStatus> {
    this.#assertOpen();
    this.#pendingCount = await this.#store.outbox.count();
    return this.#status(this.#syncing !== undefined);
  }

  async subscribe(listener: (event: SyncEvent) => void): Promise<() => void> {
    this.#assertOpen();
    return this.#events.on(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#scheduler.stop();
    this.#query.stop();
    await this.#syncing?.catch(() => undefined);
    this.#events.clear();
    this.#tabs.close();
    this.#store.close();
  }

  /** Queues one round after the current one: one round at a time per engine. */
  #run(accountId: string | undefined, mode: 'full' | 'push', force: boolean): Promise<SyncReport> {
    const previous = this.#syncing;
    const promise = (async () => {
      if (previous) await previous.catch(() => undefined);
      return this.#withSyncLock(() => this.#round(accountId, mode, force));
    })();
    this.#syncing = promise;
    void promise
      .finally(() => {
        if (this.#syncing === promise) this.#syncing = undefined;
        if (this.#net.resyncWanted) {
          this.#net.resyncWanted = false;
          this.#scheduler.full();
        }
      })
      .catch(() => undefined);
    return promise;
  }

  /** Automatic rounds skip paused accounts and backed-off entries, and never overlap. */
  async #auto(mode: 'full' | 'push'): Promise<void> {
    if (this.#closed || (mode === 'full' && this.#syncing)) return;
    if ((await this.#store.listAccounts()).length === 0) return;
    await this.#run(undefined, mode, false);
  }

  async #round(onlyAccountId: string | undefined, mode: 'full' | 'push', force: boolean): Promise<SyncReport> {
    const started = Date.now();
    const requestsBefore = this.#net.requests;
    const accounts = onlyAccountId ? [await this.#account(onlyAccountId)] : await this.#store.listAccounts();
    this.#emitStatus(true);
    const reports: SyncReport['accounts'] = [];
    const deps = {
      store: this.#store,
      policy: this.#options.conflictPolicy ?? 'merge',
      transport: (account: AccountRecord, password: string) => this.#transport(account, password),
      report: this.#net.report.bind(this.#net),
      emit: (event: SyncEvent) => this.#events.emit(event),
      changed: (
        accountId: string,
        calendarIds: readonly string[],
        keys?: readonly ObjectKey[],
        contents?: readonly ObjectRecord[],
      ) => this.#changed(accountId, calendarIds, keys, contents),
      takeFreshListing: (accountId: string) => {
        const fresh = this.#freshListings.get(accountId);
        this.#freshListings.delete(accountId);
        return fresh && Date.now() - fresh.at < FRESH_LISTING_MS ? fresh.calendars : undefined;
      },
      afterPush: async () => {
        await this.#emitPending();
        await this.#scheduler.scheduleRetry();
      },
    } as const;
    let failure: CalsyncError | undefined;
    // Background expansion of series waits while syncing: its slices would sit between
    // every IndexedDB and network step of the round.
    this.#query.hold();
    try {
      for (const account of accounts) {
        const { report, error } = await syncAccountRound(deps, account, mode, force);
        reports.push(report);
        if (error) {
          failure = error;
          this.#lastError = { code: error.code, message: error.message };
          this.#log('error', `Sync of account ${account.id} failed: ${error.message}`, { code: error.code });
        }
      }
    } finally {
      this.#query.release();
      this.#calendarIds = undefined;
    }
    if (failure === undefined && reports.every((r) => r.ok)) {
      this.#lastSyncAt = Date.now();
      this.#lastError = undefined;
    }
    this.#emitStatus(false);
    // With a single account there is no partial success to report: reject.
    if (failure && accounts.length === 1) throw failure;
    return { accounts: reports, requests: this.#net.requests - requestsBefore, durationMs: Date.now() - started };
  }

  #transport(account: TransportAccount, password: string): CalDavHttpTransport {
    return this.#net.transport(account, password);
  }

  async #withSyncLock<T>(work: () => Promise<T>): Promise<T> {
    // Web Locks: one sync leader per database across tabs, held per round only (a frozen
    // tab must not keep it forever).
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    if (!locks) return work();
    return locks.request(`calsync-sync:${this.#options.dbName ?? 'calsync'}`, work) as Promise<T>;
  }

  #editDeps() {
    return { store: this.#store, now: Date.now, newId };
  }

  /** After a local edit: views refresh, other tabs hear of it, a push follows shortly. */
  async #afterEdit(result: EditResult): Promise<CalendarEvent> {
    this.#changed(
      result.accountId,
      [result.calendarId],
      result.hrefs.map((href) => ({ calendarId: result.calendarId, href })),
    );
    await this.#emitPending();
    this.#scheduler.pushSoon();
    const event = result.eventId === undefined ? undefined : await this.getEvent(result.eventId);
    return event as CalendarEvent;
  }

  /** The replica changed: patch the query index (or rebuild it), tell listeners and other tabs. */
  #changed(
    accountId: string,
    calendarIds: readonly string[],
    keys?: readonly ObjectKey[],
    contents?: readonly ObjectRecord[],
  ): void {
    this.#calendarIds = undefined;
    if (contents !== undefined && calendarIds.length === 1) this.#query.replace(calendarIds[0] as string, contents);
    else if (keys === undefined) this.#invalidate(calendarIds);
    else {
      for (const calendarId of calendarIds) {
        this.#query.update(
          calendarId,
          keys.filter((k) => k.calendarId === calendarId).map((k) => k.href),
        );
      }
    }
    this.#events.emit({ type: 'changed', accountId, calendarIds });
    this.#tabs.post({ type: 'changed', accountId, calendarIds });
  }

  #invalidate(calendarIds: readonly string[]): void {
    if (calendarIds.length === 0) this.#query.clear();
    for (const calendarId of calendarIds) this.#query.invalidate(calendarId);
  }

  async #emitPending(): Promise<void> {
    this.#pendingCount = await this.#store.outbox.count();
    this.#events.emit({ type: 'pending', pendingCount: this.#pendingCount });
  }

  #status(syncing: boolean): SyncStatus {
    return {
      online: this.#net.online,
      syncing,
      pendingCount: this.#pendingCount,
      ...(this.#lastSyncAt === undefined ? {} : { lastSyncAt: new Date(this.#lastSyncAt).toISOString() }),
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
    };
  }

  #emitStatus(syncing: boolean): void {
    this.#events.emit({ type: 'status', status: this.#status(syncing) });
  }

  async #account(accountId: string): Promise<AccountRecord> {
    const account = await this.#store.getAccount(accountId);
    if (!account) throw new CalsyncError('not-found', `No account ${accountId}.`, { retryable: false });
    return account;
  }

  #log(level: 'warn' | 'error', message: string, details: Record<string, string>): void {
    try {
      this.#options.logger?.[level]?.(message, details);
    } catch {
      // A throwing app logger must not break the engine.
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new CalsyncError('closed', 'This CalendarSync was closed.', { retryable: false });
  }
}
