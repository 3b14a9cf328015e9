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
} from './api-types.ts';
import { toConflict, toPendingChange } from './engine-mappers.ts';
import { CalsyncError, toCalsyncError } from './errors.ts';
import { createLocal, deleteLocal, type EditResult, resolveLocal, updateLocal } from './outbox/local-edits.ts';
import { pushAccount } from './outbox/push.ts';
import { EventQueryCache } from './query/event-query.ts';
import type { AccountRecord, CalendarRecord } from './store/schema.ts';
import { CalsyncStore } from './store/store.ts';
import { holdsEvents } from './sync/plan.ts';
import { calendarRecord, pullAccount } from './sync/sync-account.ts';
import { CalDavHttpTransport } from './transport/caldav-transport.ts';
import { DavHttp } from './transport/dav-http.ts';
import { toEpochMs, toIso } from './util/dates.ts';
import { Emitter } from './util/emitter.ts';
import { eventIdOf, newId, parseEventId } from './util/ids.ts';
import { TabChannel } from './util/tab-channel.ts';

const DEFAULT_INTERVAL_MS = 5 * 60_000;
const RECONCILE_AFTER_MS = 24 * 60 * 60_000;
const PUSH_DEBOUNCE_MS = 500;

/**
 * The calsync engine, running in whatever thread created it (the Worker entry wraps
 * this same class). Owns the store, the transports and the auto-sync timers.
 */
export class CalendarSyncEngine implements CalendarSync {
  readonly #options: CalendarSyncOptions;
  readonly #store: CalsyncStore;
  readonly #events = new Emitter<SyncEvent>();
  readonly #query: EventQueryCache;
  readonly #fetch: typeof fetch;
  readonly #tabs: TabChannel;
  #syncing: Promise<SyncReport> | undefined;
  #online = true;
  #lastSyncAt: number | undefined;
  #lastError: SyncErrorInfo | undefined;
  #closed = false;
  #resyncWanted = false;
  #pendingCount = 0;
  #pushTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #onOnline = () => void this.#autoSync();

  private constructor(options: CalendarSyncOptions, store: CalsyncStore) {
    this.#options = options;
    this.#store = store;
    this.#query = new EventQueryCache(store);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.#fetch = fetchImpl.bind(globalThis);
    this.#tabs = new TabChannel(options.dbName ?? 'calsync', (message) => {
      for (const calendarId of message.calendarIds) this.#query.invalidate(calendarId);
      if (message.calendarIds.length === 0) this.#query.clear();
      this.#events.emit({ type: 'changed', accountId: message.accountId, calendarIds: message.calendarIds });
    });
  }

  #changed(accountId: string, calendarIds: readonly string[]): void {
    this.#events.emit({ type: 'changed', accountId, calendarIds });
    this.#tabs.post({ type: 'changed', accountId, calendarIds });
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
    engine.#startAutoSync();
    return engine;
  }

  async addAccount(input: AccountInput): Promise<Account> {
    this.#assertOpen();
    const serverUrl = validateServerUrl(input.serverUrl);
    if (!input.username) throw new CalsyncError('invalid-input', 'A username is required.');
    const transport = this.#transport(input.username, input.password);
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
    };
    const calendars = remoteCalendars.filter(holdsEvents).map((c) => calendarRecord(newId(), id, c));
    await this.#store.addAccount(account, input.password, calendars);
    void this.#autoSync();
    return toAccount(account);
  }

  async updateCredentials(accountId: string, password: string): Promise<void> {
    this.#assertOpen();
    const account = await this.#account(accountId);
    await this.#store.setPassword(account.id, password);
    const { paused: _resumed, ...resumed } = account;
    await this.#store.updateAccount(resumed);
    void this.#autoSync();
  }

  async removeAccount(accountId: string): Promise<void> {
    this.#assertOpen();
    await this.#account(accountId);
    await this.#store.removeAccount(accountId);
    this.#query.clear();
    this.#changed(accountId, []);
  }

  async listAccounts(): Promise<Account[]> {
    this.#assertOpen();
    return (await this.#store.listAccounts()).map(toAccount);
  }

  async listCalendars(accountId?: string): Promise<Calendar[]> {
    this.#assertOpen();
    const records = await this.#store.listCalendars(accountId);
    return Promise.all(records.map(async (c) => toCalendar(c, await this.#store.countObjects(c.id))));
  }

  sync(options: { accountId?: string } = {}): Promise<SyncReport> {
    this.#assertOpen();
    return this.#run(options.accountId, 'full', true);
  }

  /** Runs one sync round after the current one (push only, or push + pull). */
  #run(accountId: string | undefined, mode: 'full' | 'push', force: boolean): Promise<SyncReport> {
    const options = { accountId };
    // One sync at a time per engine; a caller arriving mid-sync waits for the next round
    // so that it sees changes made before its call.
    const run = async (): Promise<SyncReport> => {
      const previous = this.#syncing;
      if (previous) await previous.catch(() => undefined);
      return this.#withSyncLock(() => this.#syncNow(options.accountId, mode, force));
    };
    const promise = run();
    this.#syncing = promise;
    void promise
      .finally(() => {
        if (this.#syncing === promise) this.#syncing = undefined;
        if (this.#resyncWanted && !this.#closed) {
          this.#resyncWanted = false;
          void this.#autoSync();
        }
      })
      .catch(() => undefined);
    return promise;
  }

  async listEvents(query: EventQuery): Promise<EventOccurrence[]> {
    this.#assertOpen();
    const start = toEpochMs(query.start, 'start');
    const end = toEpochMs(query.end, 'end');
    if (end <= start) throw new CalsyncError('invalid-input', 'The window end must be after its start.');
    const calendars = await this.#store.listCalendars();
    const wanted = query.calendarIds ? new Set(query.calendarIds) : undefined;
    const ids = calendars.map((c) => c.id).filter((id) => !wanted || wanted.has(id));
    return this.#query.list(ids, start, end);
  }

  async getEvent(eventId: string): Promise<CalendarEvent | undefined> {
    this.#assertOpen();
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const record = await this.#store.getObject(parsed.calendarId, parsed.href);
    if (!record) return undefined;
    const allDay = record.allDay ?? false;
    return {
      eventId: eventIdOf(record.calendarId, record.href),
      calendarId: record.calendarId,
      href: record.href,
      ics: record.ics,
      invalid: record.state === 'bad',
      pending: record.pending ?? false,
      conflict: record.conflict ?? false,
      ...definedOnly({
        etag: record.etag,
        uid: record.uid,
        summary: record.summary,
        start: record.start === undefined ? undefined : toIso(record.start, allDay),
        end: record.end === undefined ? undefined : toIso(record.end, allDay),
        allDay: record.state === 'ok' ? allDay : undefined,
        timezone: record.timezone,
        location: record.location,
        description: record.description,
        recurring: record.recurring,
        invalidReason: record.badReason,
      }),
    };
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

  #editDeps() {
    return { store: this.#store, now: Date.now, newId };
  }

  /** After a local edit: views refresh, other tabs hear of it, a push follows shortly. */
  async #afterEdit(result: EditResult): Promise<CalendarEvent> {
    this.#query.invalidate(result.calendarId);
    this.#changed(result.accountId, [result.calendarId]);
    await this.#emitPending();
    this.#pushSoon();
    const event = result.eventId === undefined ? undefined : await this.getEvent(result.eventId);
    return event as CalendarEvent;
  }

  /** Debounced: a burst of edits goes out in one push. No timer while auto-sync is off. */
  #pushSoon(): void {
    if (this.#options.autoSync === false || this.#closed) return;
    if (this.#pushTimer !== undefined) clearTimeout(this.#pushTimer);
    this.#pushTimer = setTimeout(() => {
      this.#pushTimer = undefined;
      if (!this.#closed) void this.#run(undefined, 'push', false).catch(() => undefined);
    }, PUSH_DEBOUNCE_MS);
  }

  async #emitPending(): Promise<void> {
    const pendingCount = await this.#store.outbox.count();
    this.#pendingCount = pendingCount;
    this.#events.emit({ type: 'pending', pendingCount });
  }

  async status(): Promise<SyncStatus> {
    this.#assertOpen();
    return this.#status(this.#syncing !== undefined, await this.#store.outbox.count());
  }

  async subscribe(listener: (event: SyncEvent) => void): Promise<() => void> {
    this.#assertOpen();
    return this.#events.on(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#pushTimer !== undefined) clearTimeout(this.#pushTimer);
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    globalThis.removeEventListener?.('online', this.#onOnline);
    await this.#syncing?.catch(() => undefined);
    this.#events.clear();
    this.#tabs.close();
    this.#store.close();
  }

  async #syncNow(onlyAccountId: string | undefined, mode: 'full' | 'push', force: boolean): Promise<SyncReport> {
    const started = Date.now();
    let requests = 0;
    const accounts = onlyAccountId ? [await this.#account(onlyAccountId)] : await this.#store.listAccounts();
    this.#emitStatus(true);
    const report: SyncReport['accounts'] = [];
    for (const account of accounts) {
      try {
        const password = await this.#store.getPassword(account.id);
        if (password === undefined) throw new CalsyncError('auth', 'No password is stored for this account.');
        const transport = this.#transport(account.username, password, () => {
          requests++;
        });
        if (account.paused && !force) continue;
        const pushed = await this.#push(account, transport, force);
        if (account.paused) {
          const { paused: _resumed, ...resumed } = account;
          await this.#store.updateAccount(resumed);
        }
        if (mode === 'push') {
          report.push({
            ...emptyAccountReport(account.id),
            ok: true,
            pushed: pushed.sent,
            conflicts: pushed.conflicts,
          });
          continue;
        }
        const result = await pullAccount({
          accountId: account.id,
          homeUrl: account.homeUrl,
          transport,
          store: this.#store,
          now: Date.now,
          reconcileAfterMs: RECONCILE_AFTER_MS,
          onProgress: (p) =>
            this.#events.emit({
              type: 'progress',
              accountId: account.id,
              ...('calendarId' in p
                ? { calendarId: p.calendarId, phase: p.phase, done: p.done, total: p.total }
                : { phase: p.phase, done: 0, total: 0 }),
            }),
          onCalendarStored: (calendarId) => {
            this.#query.invalidate(calendarId);
            this.#changed(account.id, [calendarId]);
          },
        });
        const { lastError: _cleared, ...rest } = account;
        await this.#store.updateAccount({ ...rest, lastSyncAt: Date.now() });
        report.push({
          accountId: account.id,
          ok: true,
          calendars: result.calendars.map((c) => ({
            calendarId: c.calendarId,
            mode: c.mode,
            changed: c.changed,
            deleted: c.deleted,
            invalid: c.bad,
          })),
          calendarsAdded: result.calendarsAdded,
          calendarsRemoved: result.calendarsRemoved,
          pushed: pushed.sent,
          conflicts: pushed.conflicts,
        });
        if (result.calendarsRemoved > 0) {
          this.#query.clear();
          this.#changed(account.id, []);
        }
        this.#events.emit({ type: 'progress', accountId: account.id, phase: 'done', done: 1, total: 1 });
      } catch (thrown) {
        const error = toCalsyncError(thrown);
        const info: SyncErrorInfo = { code: error.code, message: error.message };
        this.#lastError = info;
        // 401/403 pause the account's pushes (the queue stays) until updateCredentials.
        const paused = error.code === 'auth' ? { paused: true } : {};
        await this.#store.updateAccount({ ...account, ...paused, lastError: info }).catch(() => undefined);
        report.push({ ...emptyAccountReport(account.id), ok: false, error: info });
        await this.#emitPending();
        this.#events.emit({ type: 'error', accountId: account.id, error: info });
        if (accounts.length === 1) {
          this.#emitStatus(false);
          throw error;
        }
      }
    }
    if (report.every((a) => a.ok)) {
      this.#lastSyncAt = Date.now();
      this.#lastError = undefined;
    }
    this.#emitStatus(false);
    return { accounts: report, requests, durationMs: Date.now() - started };
  }

  async #push(account: AccountRecord, transport: CalDavHttpTransport, force: boolean) {
    try {
      const result = await pushAccount(
        {
          writer: transport,
          store: this.#store,
          now: Date.now,
          policy: this.#options.conflictPolicy ?? 'merge',
          concurrency: 4,
          force,
          newId,
          onConflict: (conflict) => this.#events.emit({ type: 'conflict', conflict: toConflict(conflict) }),
          onProgress: (done, total) =>
            this.#events.emit({ type: 'progress', accountId: account.id, phase: 'pushing', done, total }),
        },
        account.id,
      );
      if (result.sent > 0 || result.conflicts > 0) {
        this.#query.clear();
        this.#changed(account.id, []);
      }
      return result;
    } finally {
      await this.#emitPending();
      // Entries that failed (network, 5xx) come back when their backoff is due.
      await this.#scheduleRetry();
    }
  }

  /** Wakes up when the earliest backed-off entry is due (no polling in between). */
  async #scheduleRetry(): Promise<void> {
    if (this.#options.autoSync === false || this.#closed) return;
    const due = (await this.#store.outbox.list())
      .filter((e) => e.state === 'pending' && e.nextAttemptAt !== undefined)
      .map((e) => e.nextAttemptAt as number);
    if (due.length === 0) return;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = undefined;
        if (!this.#closed) void this.#run(undefined, 'push', false).catch(() => undefined);
      },
      Math.max(0, Math.min(...due) - Date.now()),
    );
  }

  #transport(username: string, password: string, onRequest?: () => void): CalDavHttpTransport {
    const http = new DavHttp({
      fetch: async (input, init) => {
        try {
          const response = await this.#fetch(input, init);
          // Connectivity is back: replay what waited, once the current round is over.
          if (!this.#online) this.#resyncWanted = true;
          this.#online = true;
          return response;
        } catch (error) {
          this.#online = false;
          throw error;
        }
      },
      username,
      password,
      proxyUrl: this.#options.proxyUrl,
      onResponse: () => onRequest?.(),
    });
    return new CalDavHttpTransport(http);
  }

  async #withSyncLock<T>(work: () => Promise<T>): Promise<T> {
    // Web Locks: one sync leader per database across tabs, held per cycle only (a frozen
    // tab must not keep it forever).
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    if (!locks) return work();
    return locks.request(`calsync-sync:${this.#options.dbName ?? 'calsync'}`, work) as Promise<T>;
  }

  #startAutoSync(): void {
    if (this.#options.autoSync === false) return;
    const interval = this.#options.autoSync?.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#timer = setInterval(() => void this.#autoSync(), interval);
    globalThis.addEventListener?.('online', this.#onOnline);
    void this.#autoSync();
  }

  async #autoSync(): Promise<void> {
    if (this.#closed || this.#options.autoSync === false || this.#syncing) return;
    if ((await this.#store.listAccounts()).length === 0) return;
    // Errors are reported through `error` events and status; nothing to throw to here.
    await this.#run(undefined, 'full', false).catch(() => undefined);
  }

  #status(syncing = this.#syncing !== undefined, pendingCount = this.#pendingCount): SyncStatus {
    this.#pendingCount = pendingCount;
    return {
      online: this.#online,
      syncing,
      pendingCount,
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

  #assertOpen(): void {
    if (this.#closed) throw new CalsyncError('closed', 'This CalendarSync was closed.', { retryable: false });
  }
}

function validateServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CalsyncError('invalid-input', `Not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CalsyncError('invalid-input', 'The server URL must start with https:// or http://');
  }
  if (url.username || url.password) {
    throw new CalsyncError('invalid-input', 'Put the username and password in their own fields, not in the URL.');
  }
  return url.toString();
}

function toAccount(record: AccountRecord): Account {
  return {
    id: record.id,
    name: record.name,
    serverUrl: record.serverUrl,
    username: record.username,
    homeUrl: record.homeUrl,
    ...(record.lastSyncAt === undefined ? {} : { lastSyncAt: new Date(record.lastSyncAt).toISOString() }),
    ...(record.lastError === undefined ? {} : { lastError: record.lastError as SyncErrorInfo }),
  };
}

function toCalendar(record: CalendarRecord, objectCount: number): Calendar {
  return {
    id: record.id,
    accountId: record.accountId,
    url: record.url,
    name: record.displayName,
    readOnly: record.readOnly,
    objectCount,
    ...(record.color === undefined ? {} : { color: record.color }),
  };
}

function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function emptyAccountReport(accountId: string) {
  return { accountId, calendars: [], calendarsAdded: 0, calendarsRemoved: 0, pushed: 0, conflicts: 0 };
}
