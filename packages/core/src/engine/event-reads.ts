import { CalsyncError } from '../api/errors.ts';
import type { EventOccurrence, EventQuery, EventsListener, OccurrenceChange, SearchOptions } from '../api/types.ts';
import { LiveQueries } from '../live/live-queries.ts';
import { ALWAYS_SHOWN, openPackedWatch, openWatch, type PackedWatch } from '../live/open-watch.ts';
import type { PackedDelta } from '../live/window-delta.ts';
import type { Log } from '../platform/logger.ts';
import type { Visibility } from '../platform/visibility.ts';
import type { ObjectKey } from '../query/calendar-index.ts';
import type { EventQueryCache } from '../query/event-query.ts';
import type { PackedOccurrences } from '../query/packed.ts';
import { EventSearch } from '../search/event-search.ts';
import { searchRequest } from '../search/search-request.ts';
import type { ReplicaStore } from '../store/port.ts';
import { toEpochMs } from '../util/dates.ts';

/** What {@link EventReads} needs from the engine. */
export interface EventReadsDeps {
  readonly store: ReplicaStore;
  readonly query: EventQueryCache;
  readonly now: () => number;
  readonly log: Log;
  /** The calendars of the replica (cached by the change feed). */
  readonly calendarIds: () => Promise<string[]>;
  readonly visibility: Visibility | undefined;
  readonly onListenerError: (error: unknown) => void;
  /** Throws `closed` once the engine is closed. */
  readonly assertOpen: () => void;
}

/**
 * The engine's read side over the in-memory query index: window queries (plain and packed
 * for the Worker), live window watchers and the search index, which both follow the change
 * feed through {@link touched}.
 */
export class EventReads {
  readonly #deps: EventReadsDeps;
  readonly #live: LiveQueries;
  readonly #search: EventSearch;

  constructor(deps: EventReadsDeps) {
    this.#deps = deps;
    this.#search = new EventSearch(deps.store, deps.query, deps.now);
    this.#live = new LiveQueries(
      {
        list: (ids, start, end) => deps.query.list(ids, start, end),
        calendarIds: () => deps.calendarIds(),
        spans: (calendarId, hrefs) => deps.query.spans(calendarId, hrefs),
        occurrencesOf: (calendarId, hrefs, start, end) => deps.query.occurrencesOf(calendarId, hrefs, start, end),
      },
      deps.log,
    );
  }

  /** Objects changed (undefined keys: anything in those calendars): search and watchers follow. */
  touched(calendarIds: readonly string[], keys?: readonly ObjectKey[]): void {
    this.#search.changed(calendarIds, keys);
    this.#live.touched(calendarIds, keys);
  }

  async list(query: EventQuery): Promise<EventOccurrence[]> {
    const { ids, start, end } = await this.#window(query);
    return this.#deps.query.list(ids, start, end);
  }

  async listPacked(query: EventQuery): Promise<PackedOccurrences> {
    const { ids, start, end } = await this.#window(query);
    return this.#deps.query.listPacked(ids, start, end);
  }

  async watch(query: EventQuery, listener: EventsListener): Promise<() => void> {
    const visibility = this.#deps.visibility ?? ALWAYS_SHOWN;
    return openWatch(this.#live, await this.#liveWindow(query), listener, visibility, this.#deps.onListenerError);
  }

  async watchPacked(
    query: EventQuery,
    listener: (delta: PackedDelta, change: OccurrenceChange) => void,
  ): Promise<PackedWatch> {
    return openPackedWatch(this.#live, await this.#liveWindow(query), listener, this.#deps.onListenerError);
  }

  async search(text: string, options: SearchOptions): Promise<EventOccurrence[]> {
    this.#deps.assertOpen();
    return this.#search.search(searchRequest(text, options, await this.#deps.calendarIds()));
  }

  closeAll(): void {
    this.#live.closeAll();
  }

  async #liveWindow(query: EventQuery) {
    const { start, end } = await this.#window(query);
    return { calendarIds: query.calendarIds ? [...query.calendarIds] : undefined, start, end };
  }

  async #window(query: EventQuery): Promise<{ ids: string[]; start: number; end: number }> {
    this.#deps.assertOpen();
    const start = toEpochMs(query.start, 'start');
    const end = toEpochMs(query.end, 'end');
    if (end <= start) throw new CalsyncError('invalid-input', 'The window end must be after its start.');
    const all = await this.#deps.calendarIds();
    const wanted = query.calendarIds ? new Set(query.calendarIds) : undefined;
    return { ids: all.filter((id) => !wanted || wanted.has(id)), start, end };
  }
}
