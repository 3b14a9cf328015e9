import type { OccurrenceChange } from '../api/live.ts';
import type { EventOccurrence } from '../api/types.ts';
import { eventIdOf } from '../model/ids.ts';
import type { Log } from '../platform/logger.ts';
import { reason } from '../platform/logger.ts';
import type { ObjectKey } from '../query/calendar-index.ts';
import type { Span } from '../query/event-query.ts';
import { diffOccurrences, EMPTY_RESULT, isEmptyChange, type WindowResult } from './occurrence-diff.ts';
import { compareOccurrences, patchWindow } from './window-patch.ts';

/** A watched window: half-open [start, end) in epoch ms, over some calendars (all when absent). */
export interface LiveWindow {
  readonly calendarIds: readonly string[] | undefined;
  readonly start: number;
  readonly end: number;
}

/** Gets a watcher's new result; `first` marks the call a watch starts with. */
export type Deliver = (result: WindowResult, change: OccurrenceChange, first: boolean) => void;

/** Where live queries read from (the engine's query cache and calendar list). */
export interface LiveSource {
  /** The window's occurrences, sorted as `listEvents` sorts them. */
  list(calendarIds: readonly string[], start: number, end: number): Promise<EventOccurrence[]>;
  /** Ids of every stored calendar. */
  calendarIds(): Promise<string[]>;
  /** Per href, the time range its current stored object spans (undefined: gone or not shown). */
  spans(calendarId: string, hrefs: readonly string[]): Promise<ReadonlyArray<Span | undefined>>;
  /** The occurrences in [start, end) of just these objects, sorted as `list` sorts them. */
  occurrencesOf(calendarId: string, hrefs: readonly string[], start: number, end: number): Promise<EventOccurrence[]>;
}

/** Up to this many changed objects, a woken watcher patches its result instead of querying its window again. */
const MAX_PATCHED_OBJECTS = 64;

interface Watcher {
  readonly window: LiveWindow;
  readonly calendars: ReadonlySet<string> | undefined;
  readonly deliver: Deliver;
  result: WindowResult;
  /** Event ids in `result`: an object that was shown touches the window even if it moved away. */
  eventIds: Set<string>;
  /** What changed since the last run: 'all' (re-query), or these objects (check them first). */
  pending: 'all' | ObjectKey[] | undefined;
  running: boolean;
  closed: boolean;
}

/**
 * The open `watchEvents` windows. A change to the replica reaches only the watchers it can
 * concern: those over the changed calendars and — when the changed objects are known —
 * whose window one of them was shown in before or spans now (a series counts from its
 * first start to its last end, so every window it expands into is woken). A woken watcher
 * patches its result with the changed objects' occurrences (a few objects; else it queries
 * its window again, from the in-memory index) and calls its listener only when the result
 * differs. Changes arriving while it runs are gathered into one more run.
 */
export class LiveQueries {
  readonly #source: LiveSource;
  readonly #log: Log;
  readonly #watchers = new Set<Watcher>();

  constructor(source: LiveSource, log: Log) {
    this.#source = source;
    this.#log = log;
  }

  /** Number of open watchers (for tests and diagnostics). */
  get size(): number {
    return this.#watchers.size;
  }

  /** Opens a watcher: its current result is delivered before this resolves. Resolves to its close. */
  async open(window: LiveWindow, deliver: Deliver): Promise<() => void> {
    const watcher: Watcher = {
      window,
      calendars: window.calendarIds ? new Set(window.calendarIds) : undefined,
      deliver,
      result: EMPTY_RESULT,
      eventIds: new Set(),
      pending: undefined,
      running: true,
      closed: false,
    };
    // Registered before the first query, so that a change during it is not missed.
    this.#watchers.add(watcher);
    try {
      const { result, change } = diffOccurrences(EMPTY_RESULT, await this.#query(watcher));
      this.#keep(watcher, result);
      deliver(result, change, true);
    } catch (error) {
      this.#watchers.delete(watcher);
      throw error;
    } finally {
      watcher.running = false;
    }
    if (watcher.pending) this.#run(watcher);
    return () => {
      watcher.closed = true;
      this.#watchers.delete(watcher);
    };
  }

  /**
   * The replica changed: in `calendarIds` (empty: possibly everywhere), exactly the objects
   * `keys` when given (else anything in those calendars).
   */
  touched(calendarIds: readonly string[], keys?: readonly ObjectKey[]): void {
    for (const watcher of this.#watchers) {
      const calendars = watcher.calendars;
      if (
        calendarIds.length === 0 ||
        (keys === undefined && (!calendars || calendarIds.some((id) => calendars.has(id))))
      ) {
        this.#mark(watcher, 'all');
        continue;
      }
      const mine = calendars ? (keys ?? []).filter((k) => calendars.has(k.calendarId)) : [...(keys ?? [])];
      if (mine.length > 0) this.#mark(watcher, mine);
    }
  }

  /** Closes every watcher (the engine is closing). */
  closeAll(): void {
    for (const watcher of this.#watchers) watcher.closed = true;
    this.#watchers.clear();
  }

  #mark(watcher: Watcher, work: 'all' | ObjectKey[]): void {
    const before = watcher.pending;
    watcher.pending = before === 'all' || work === 'all' ? 'all' : [...(before ?? []), ...work];
    if (!watcher.running) this.#run(watcher);
  }

  #run(watcher: Watcher): void {
    watcher.running = true;
    void this.#refresh(watcher).finally(() => {
      watcher.running = false;
      if (watcher.pending && !watcher.closed) this.#run(watcher);
    });
  }

  async #refresh(watcher: Watcher): Promise<void> {
    // Changes made in the same task (an edit's several objects, a pull's batches) are one run.
    await Promise.resolve();
    const work = watcher.pending;
    watcher.pending = undefined;
    if (!work || watcher.closed) return;
    try {
      if (work !== 'all' && !(await this.#concerns(watcher, work))) return;
      const { result, change } =
        work !== 'all' && work.length <= MAX_PATCHED_OBJECTS
          ? await this.#patch(watcher, work)
          : diffOccurrences(watcher.result, await this.#query(watcher));
      if (watcher.closed) return;
      if (isEmptyChange(change)) return;
      this.#keep(watcher, result);
      watcher.deliver(result, change, false);
    } catch (error) {
      // The next change runs it again; a listener's own error is the delivery's to handle.
      this.#log.debug('A live query could not be refreshed', { reason: reason(error) });
    }
  }

  /** Whether one of the changed objects was shown in the window or spans it now. */
  async #concerns(watcher: Watcher, keys: readonly ObjectKey[]): Promise<boolean> {
    const byCalendar = new Map<string, string[]>();
    for (const key of keys) {
      if (watcher.eventIds.has(eventIdOf(key.calendarId, key.href))) return true;
      const hrefs = byCalendar.get(key.calendarId) ?? [];
      hrefs.push(key.href);
      byCalendar.set(key.calendarId, hrefs);
    }
    const { start, end } = watcher.window;
    for (const [calendarId, hrefs] of byCalendar) {
      const spans = await this.#source.spans(calendarId, hrefs);
      if (spans.some((span) => span !== undefined && span.rangeStart < end && span.rangeEnd > start)) return true;
    }
    return false;
  }

  /** The watcher's result with just the changed objects looked up again (see window-patch.ts). */
  async #patch(watcher: Watcher, keys: readonly ObjectKey[]) {
    const stored = new Set(await this.#source.calendarIds());
    const changed = new Set<string>();
    const byCalendar = new Map<string, Set<string>>();
    for (const { calendarId, href } of keys) {
      changed.add(eventIdOf(calendarId, href));
      // An object of a calendar that is gone has no occurrences any more.
      if (!stored.has(calendarId)) continue;
      const hrefs = byCalendar.get(calendarId) ?? new Set();
      hrefs.add(href);
      byCalendar.set(calendarId, hrefs);
    }
    const { start, end } = watcher.window;
    const fresh: EventOccurrence[] = [];
    for (const [calendarId, hrefs] of byCalendar) {
      fresh.push(...(await this.#source.occurrencesOf(calendarId, [...hrefs], start, end)));
    }
    if (byCalendar.size > 1) fresh.sort(compareOccurrences);
    return patchWindow(watcher.result, changed, fresh);
  }

  async #query(watcher: Watcher): Promise<EventOccurrence[]> {
    const all = await this.#source.calendarIds();
    const ids = watcher.calendars ? all.filter((id) => watcher.calendars?.has(id)) : all;
    return this.#source.list(ids, watcher.window.start, watcher.window.end);
  }

  #keep(watcher: Watcher, result: WindowResult): void {
    watcher.result = result;
    watcher.eventIds = new Set(result.occurrences.map((o) => o.eventId));
  }
}
