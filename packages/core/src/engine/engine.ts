import { CalsyncError } from '../api/errors.ts';
import { toAccount, toCalendar } from '../api/mappers.ts';
import type {
  Account,
  AccountInput,
  Calendar,
  CalendarEvent,
  CalendarSync,
  CalendarSyncOptions,
  Conflict,
  ConflictResolution,
  EditOptions,
  EventInput,
  EventOccurrence,
  EventPatch,
  EventQuery,
  EventsListener,
  OccurrenceChange,
  PendingChange,
  SearchOptions,
  StatusListener,
  SyncEvent,
  SyncOptions,
  SyncReport,
  SyncStatus,
} from '../api/types.ts';
import { validateOrigins, validateServerUrl } from '../api/validate.ts';
import type { PackedWatch } from '../live/open-watch.ts';
import { watchSyncStatus } from '../live/status-watch.ts';
import type { PackedDelta } from '../live/window-delta.ts';
import { newId } from '../model/ids.ts';
import type { AccountRecord } from '../model/records.ts';
import { type Log, reason, safeLog } from '../platform/logger.ts';
import { browserPlatform, type Platform } from '../platform/platform.ts';
import { EventQueryCache } from '../query/event-query.ts';
import type { PackedOccurrences } from '../query/packed.ts';
import type { ReplicaStore } from '../store/port.ts';
import { CalsyncStore } from '../store/store.ts';
import { holdsEvents } from '../sync/plan.ts';
import { calendarRecord } from '../sync/sync-account.ts';
import { Emitter } from '../util/emitter.ts';
import { ChangeFeed } from './change-feed.ts';
import { Connections } from './connections.ts';
import { EventEdits } from './event-edits.ts';
import { EventReads } from './event-reads.ts';
import { FreshListings } from './fresh-listings.ts';
import { RoundRunner } from './round-runner.ts';
import { SyncScheduler } from './scheduler.ts';

/**
 * The calsync engine, running in whatever thread created it (the Worker entry wraps this
 * same class): the public methods over the store, the round runner, the scheduler and the
 * change feed. Everything it takes from the runtime comes through its {@link Platform}.
 */
export class CalendarSyncEngine implements CalendarSync {
  readonly #store: ReplicaStore;
  readonly #platform: Platform;
  readonly #log: Log;
  readonly #events = new Emitter<SyncEvent>();
  readonly #query: EventQueryCache;
  readonly #feed: ChangeFeed;
  readonly #reads: EventReads;
  readonly #net: Connections;
  readonly #fresh: FreshListings;
  readonly #runner: RoundRunner;
  readonly #scheduler: SyncScheduler;
  readonly #edits: EventEdits;
  #closed = false;
  #pendingCount = 0;

  private constructor(options: CalendarSyncOptions, store: ReplicaStore, platform: Platform) {
    const dbName = options.dbName ?? 'calsync';
    const now = () => platform.clock.now();
    this.#store = store;
    this.#platform = platform;
    this.#log = safeLog(options.logger);
    this.#events.onListenerError = (error) => this.#log.debug('An event listener threw', { reason: reason(error) });
    this.#query = new EventQueryCache(store, platform.clock);
    this.#reads = new EventReads({
      store,
      query: this.#query,
      now,
      log: this.#log,
      calendarIds: () => this.#feed.calendarIds(),
      visibility: platform.visibility,
      onListenerError: (error) => this.#events.onListenerError?.(error),
      assertOpen: () => this.#assertOpen(),
    });
    this.#feed = new ChangeFeed({
      touched: (calendarIds, keys) => this.#reads.touched(calendarIds, keys),
      query: this.#query,
      events: this.#events,
      tabs: platform.tabs,
      dbName,
      listCalendarIds: async () => (await store.listCalendars()).map((c) => c.id),
    });
    this.#net = new Connections({
      fetch: (options.fetch ?? globalThis.fetch).bind(globalThis),
      proxyUrl: options.proxyUrl,
      emit: (event) => this.#events.emit(event),
      log: this.#log,
      onlineChanged: () => this.#events.emit({ type: 'status', status: this.#status(this.#runner.busy) }),
    });
    this.#fresh = new FreshListings(now);
    this.#runner = new RoundRunner({
      clock: platform.clock,
      lock: platform.lock,
      lockName: `calsync-sync:${dbName}`,
      log: this.#log,
      accounts: async (onlyAccountId) =>
        onlyAccountId ? [await this.#account(onlyAccountId)] : await this.#store.listAccounts(),
      requests: () => this.#net.requests,
      syncing: (syncing) => this.#events.emit({ type: 'status', status: this.#status(syncing) }),
      // Background expansion of series waits while syncing: its slices would sit between
      // every IndexedDB and network step of the round.
      hold: () => this.#query.hold(),
      release: () => {
        this.#query.release();
        this.#feed.forgetCalendars();
      },
      after: () => {
        // Connectivity came back during the round: replay what waited, now.
        if (this.#net.resyncWanted) {
          this.#net.resyncWanted = false;
          this.#scheduler.full();
        }
      },
      round: {
        store,
        policy: options.conflictPolicy ?? 'merge',
        now,
        log: this.#log,
        transport: (account, password) => this.#net.transport(account, password),
        report: (accountId, issue) => this.#net.report(accountId, issue),
        emit: (event) => this.#events.emit(event),
        changed: (accountId, calendarIds, keys, contents) => this.#feed.changed(accountId, calendarIds, keys, contents),
        takeFreshListing: (accountId) => this.#fresh.take(accountId),
        afterPush: async () => {
          await this.#emitPending();
          await this.#scheduler.scheduleRetry();
        },
      },
    });
    this.#scheduler = new SyncScheduler({
      autoSync: options.autoSync,
      clock: platform.clock,
      online: platform.online,
      log: this.#log,
      full: () => this.#auto('full'),
      push: () => this.#auto('push'),
      nextRetryAt: async () => {
        const due = (await this.#store.outbox.list())
          .filter((e) => e.state === 'pending' && e.nextAttemptAt !== undefined)
          .map((e) => e.nextAttemptAt as number);
        return due.length ? Math.min(...due) : undefined;
      },
    });
    this.#edits = new EventEdits({
      store,
      now,
      feed: this.#feed,
      emitPending: () => this.#emitPending(),
      pushSoon: () => this.#scheduler.pushSoon(),
      uidInUse: (calendarId, uid) => this.#query.hasUid(calendarId, uid),
    });
  }

  /** Opens the database and starts auto-sync (unless disabled). */
  static async open(
    options: CalendarSyncOptions = {},
    platform: Platform = browserPlatform(),
  ): Promise<CalendarSyncEngine> {
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
    const engine = new CalendarSyncEngine(options, store, platform);
    engine.#scheduler.start();
    return engine;
  }

  async addAccount(input: AccountInput): Promise<Account> {
    this.#assertOpen();
    const serverUrl = validateServerUrl(input.serverUrl);
    if (!input.username) throw new CalsyncError('invalid-input', 'A username is required.');
    const allowOrigins = validateOrigins(input.allowOrigins);
    const transport = this.#net.transport({ serverUrl, username: input.username, allowOrigins }, input.password);
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
      createdAt: this.#platform.clock.now(),
      ...(allowOrigins.length > 0 ? { allowOrigins } : {}),
    };
    const calendars = remoteCalendars.filter(holdsEvents).map((c) => calendarRecord(newId(), id, c));
    await this.#store.addAccount(account, input.password, calendars);
    this.#feed.forgetCalendars();
    this.#fresh.keep(id, remoteCalendars);
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
    this.#feed.changed(accountId, []);
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

  async sync(options: SyncOptions = {}): Promise<SyncReport> {
    this.#assertOpen();
    return this.#runner.run(options.accountId, 'full', true);
  }

  async listEvents(query: EventQuery): Promise<EventOccurrence[]> {
    return this.#reads.list(query);
  }

  /** `listEvents` in the compact form the Worker sends to the page (query/packed.ts). */
  async listEventsPacked(query: EventQuery): Promise<PackedOccurrences> {
    return this.#reads.listPacked(query);
  }

  async watchEvents(query: EventQuery, listener: EventsListener): Promise<() => void> {
    return this.#reads.watch(query, listener);
  }

  /** `watchEvents` for the Worker (see live/open-watch.ts). */
  async watchEventsPacked(
    query: EventQuery,
    listener: (delta: PackedDelta, change: OccurrenceChange) => void,
  ): Promise<PackedWatch> {
    return this.#reads.watchPacked(query, listener);
  }

  async searchEvents(text: string, options: SearchOptions = {}): Promise<EventOccurrence[]> {
    return this.#reads.search(text, options);
  }

  async getEvent(eventId: string): Promise<CalendarEvent | undefined> {
    this.#assertOpen();
    return this.#edits.getEvent(eventId);
  }

  async createEvent(calendarId: string, input: EventInput): Promise<CalendarEvent> {
    this.#assertOpen();
    return this.#edits.create(calendarId, input);
  }

  async updateEvent(eventId: string, patch: EventPatch, options?: EditOptions): Promise<CalendarEvent> {
    this.#assertOpen();
    return this.#edits.update(eventId, patch, options);
  }

  async deleteEvent(eventId: string, options?: EditOptions): Promise<void> {
    this.#assertOpen();
    return this.#edits.delete(eventId, options);
  }

  async listPending(): Promise<PendingChange[]> {
    this.#assertOpen();
    return this.#edits.listPending();
  }

  async listConflicts(): Promise<Conflict[]> {
    this.#assertOpen();
    return this.#edits.listConflicts();
  }

  async resolveConflict(conflictId: string, resolution: ConflictResolution): Promise<void> {
    this.#assertOpen();
    return this.#edits.resolveConflict(conflictId, resolution);
  }

  async status(): Promise<SyncStatus> {
    this.#assertOpen();
    this.#pendingCount = await this.#store.outbox.count();
    return this.#status(this.#runner.busy);
  }

  async watchStatus(listener: StatusListener): Promise<() => void> {
    this.#assertOpen();
    const first = await this.status();
    return watchSyncStatus(
      {
        events: this.#events,
        current: () => this.#status(this.#runner.busy),
        recount: async () => {
          this.#pendingCount = await this.#store.outbox.count();
        },
        closed: () => this.#closed,
        onListenerError: (error) => this.#events.onListenerError?.(error),
      },
      first,
      listener,
    );
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
    this.#reads.closeAll();
    await this.#runner.idle();
    this.#events.clear();
    this.#feed.close();
    this.#store.close();
  }

  /** Automatic rounds skip paused accounts and backed-off entries, and never overlap. */
  async #auto(mode: 'full' | 'push'): Promise<void> {
    if (this.#closed || (mode === 'full' && this.#runner.busy)) return;
    if ((await this.#store.listAccounts()).length === 0) return;
    await this.#runner.run(undefined, mode, false);
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
      ...(this.#runner.lastSyncAt === undefined ? {} : { lastSyncAt: new Date(this.#runner.lastSyncAt).toISOString() }),
      ...(this.#runner.lastError === undefined ? {} : { lastError: this.#runner.lastError }),
    };
  }

  async #account(accountId: string): Promise<AccountRecord> {
    const account = await this.#store.getAccount(accountId);
    if (!account) throw new CalsyncError('not-found', `No account ${accountId}.`, { retryable: false });
    return account;
  }

  #assertOpen(): void {
    if (this.#closed) throw new CalsyncError('closed', 'This CalendarSync was closed.', { retryable: false });
  }
}
