import {
  type CalendarSync,
  CalsyncError,
  type EventOccurrence,
  type EventQuery,
  type EventsListener,
  type OccurrenceChange,
  type StatusListener,
  type SyncStatus,
} from '@calsync/core';

/**
 * One call of a watch method on {@link FakeCalendarSync}. Behaves like the engine's: the
 * listener gets the first result, then the promise resolves to the unsubscribe function;
 * nothing is delivered after unsubscribing.
 */
export class ScriptedWatch<L extends (...args: never[]) => void> {
  /** The unsubscribe function was called. */
  unsubscribed = false;
  /** The subscribe promise rejected. */
  rejected = false;
  readonly #first: () => Parameters<L>;
  #settle: { resolve: (stop: () => void) => void; reject: (error: unknown) => void } | undefined;
  readonly promise: Promise<() => void>;

  constructor(
    readonly listener: L,
    first: () => Parameters<L>,
  ) {
    this.#first = first;
    this.promise = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
  }

  /** Not unsubscribed and not failed: the engine would still wake this listener. */
  get live(): boolean {
    return !this.unsubscribed && !this.rejected;
  }

  /** Makes the first call and resolves the subscribe promise (what a held watch waits for). */
  resolve(): void {
    const settle = this.#take();
    this.listener(...this.#first());
    settle.resolve(() => {
      this.unsubscribed = true;
    });
  }

  /** Rejects the subscribe promise. */
  reject(error: unknown): void {
    const settle = this.#take();
    this.rejected = true;
    settle.reject(error);
  }

  /** Delivers an update, as the engine does after a change. */
  push(...args: Parameters<L>): void {
    if (!this.live) throw new Error('push to a watch that was stopped');
    this.listener(...args);
  }

  #take() {
    const settle = this.#settle;
    if (settle === undefined) throw new Error('this watch was already settled');
    this.#settle = undefined;
    return settle;
  }
}

/** A `watchEvents` call. */
export class EventWatch extends ScriptedWatch<EventsListener> {
  constructor(
    readonly query: EventQuery,
    listener: EventsListener,
    first: () => Parameters<EventsListener>,
  ) {
    super(listener, first);
  }
}

/** A `watchStatus` call. */
export type StatusWatch = ScriptedWatch<StatusListener>;

/** The status a new {@link FakeCalendarSync} reports. */
export const IDLE_STATUS: SyncStatus = { online: true, syncing: false, pendingCount: 0 };

/**
 * A scripted CalendarSync for the hooks' tests: it records every `watchEvents` and
 * `watchStatus` call, answers with {@link occurrences} (those overlapping the window) and
 * {@link currentStatus}, and lets the test push updates, hold the answer or fail.
 */
export class FakeCalendarSync implements CalendarSync {
  /** What a new event watch gets first (filtered to its window). */
  occurrences: EventOccurrence[] = [];
  /** What a new status watch (and `status()`) gets. */
  currentStatus: SyncStatus = IDLE_STATUS;
  /** When true, a new watch waits for the test to call its `resolve()` or `reject()`. */
  hold = false;
  /** When set, a new watch rejects with it. */
  failWith: unknown;
  readonly eventWatches: EventWatch[] = [];
  readonly statusWatches: StatusWatch[] = [];

  /** Event watches the engine would still wake. */
  liveEventWatches(): EventWatch[] {
    return this.eventWatches.filter((w) => w.live);
  }

  /** Status watches the engine would still wake. */
  liveStatusWatches(): StatusWatch[] {
    return this.statusWatches.filter((w) => w.live);
  }

  watchEvents(query: EventQuery, listener: EventsListener): Promise<() => void> {
    const watch = new EventWatch(query, listener, () => {
      const found = this.occurrences.filter((o) => overlaps(o, query));
      return [found, { added: found.map((o) => o.occurrenceId), removed: [], updated: [] }];
    });
    this.eventWatches.push(watch);
    return this.#answer(watch);
  }

  status(): Promise<SyncStatus> {
    return Promise.resolve(this.currentStatus);
  }

  watchStatus(listener: StatusListener): Promise<() => void> {
    const watch: StatusWatch = new ScriptedWatch(listener, () => [this.currentStatus]);
    this.statusWatches.push(watch);
    return this.#answer(watch);
  }

  #answer<L extends (...args: never[]) => void>(watch: ScriptedWatch<L>): Promise<() => void> {
    if (this.failWith !== undefined) watch.reject(this.failWith);
    // The engine answers asynchronously, never within the call.
    else if (!this.hold) queueMicrotask(() => watch.resolve());
    return watch.promise;
  }

  addAccount = notScripted;
  updateCredentials = notScripted;
  removeAccount = notScripted;
  listAccounts = notScripted;
  listCalendars = notScripted;
  sync = notScripted;
  listEvents = notScripted;
  searchEvents = notScripted;
  getEvent = notScripted;
  createEvent = notScripted;
  updateEvent = notScripted;
  deleteEvent = notScripted;
  listPending = notScripted;
  listConflicts = notScripted;
  resolveConflict = notScripted;
  subscribe = notScripted;
  close = notScripted;
}

/** An occurrence for the tests: `start`/`end` ISO strings, the rest defaulted. */
export function occurrence(id: string, start: string, end: string, summary = id): EventOccurrence {
  return {
    occurrenceId: id,
    eventId: id,
    calendarId: 'cal',
    uid: id,
    summary,
    start,
    end,
    allDay: false,
    pending: false,
    conflict: false,
  };
}

/** A change record. */
export function change(added: string[] = [], removed: string[] = [], updated: string[] = []): OccurrenceChange {
  return { added, removed, updated };
}

function overlaps(o: EventOccurrence, query: EventQuery): boolean {
  return Date.parse(o.start) < new Date(query.end).getTime() && Date.parse(o.end) > new Date(query.start).getTime();
}

function notScripted(): Promise<never> {
  return Promise.reject(new CalsyncError('internal', 'not scripted in FakeCalendarSync'));
}
