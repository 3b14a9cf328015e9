import type { EventOccurrence } from '../api/types.ts';
import type { ObjectKey } from '../query/calendar-index.ts';
import type { EventQueryCache } from '../query/event-query.ts';
import type { ReplicaStore } from '../store/port.ts';
import { SearchIndex } from './search-index.ts';

/** Results of one `searchEvents` call by default, and at most. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000;

/** Beyond this many changed objects a calendar is indexed again on its next search instead of patched. */
const MAX_PATCH = 500;

/** A search as the engine runs it: calendars resolved, window in epoch ms. */
export interface SearchRequest {
  readonly text: string;
  readonly calendarIds: readonly string[];
  readonly limit: number;
  readonly start?: number;
  readonly end?: number;
}

/**
 * `searchEvents` over the replica: one {@link SearchIndex}, a calendar added to it from
 * the stored rows the first time a search needs it (rebuilding is fast: see the bench;
 * nothing is persisted), then kept current by the change feed — patched for the objects a
 * pull, an edit or another tab changed, dropped (rebuilt on the next search) when a whole
 * calendar changed. Hits are mapped to occurrences by the query index.
 */
export class EventSearch {
  readonly #index = new SearchIndex();
  readonly #store: ReplicaStore;
  readonly #query: EventQueryCache;
  readonly #now: () => number;
  /** Per calendar ever searched: the tail of its steps (build, patches, drops), run in order. */
  readonly #chains = new Map<string, Promise<void>>();

  constructor(store: ReplicaStore, query: EventQueryCache, now: () => number) {
    this.#store = store;
    this.#query = query;
    this.#now = now;
  }

  async search(request: SearchRequest): Promise<EventOccurrence[]> {
    if (request.text.trim() === '') return [];
    await Promise.all(request.calendarIds.map((id) => this.#ensure(id)));
    const calendars = new Set(request.calendarIds);
    // The best `limit` first; the whole ranking only if some of them show no occurrence
    // (none in the window) and more are needed.
    let hits = this.#index.search(request.text, calendars, request.limit);
    let complete = hits.length < request.limit;
    const window = {
      ...(request.start === undefined ? {} : { start: request.start }),
      ...(request.end === undefined ? {} : { end: request.end }),
    };
    const now = this.#now();
    const results: EventOccurrence[] = [];
    // In rank order, in slices (a series needs its occurrence expanded): stop at the limit.
    for (let i = 0; results.length < request.limit; i += request.limit) {
      if (i >= hits.length) {
        if (complete) break;
        hits = this.#index.search(request.text, calendars);
        complete = true;
        if (i >= hits.length) break;
      }
      const slice = hits.slice(i, i + request.limit);
      const byCalendar = new Map<string, number[]>();
      slice.forEach((hit, k) => {
        const list = byCalendar.get(hit.calendarId) ?? [];
        list.push(k);
        byCalendar.set(hit.calendarId, list);
      });
      const found: Array<EventOccurrence | undefined> = new Array(slice.length).fill(undefined);
      for (const [calendarId, ks] of byCalendar) {
        const hrefs = ks.map((k) => slice[k]?.href as string);
        const occurrences = await this.#query.representatives(calendarId, hrefs, window, now);
        ks.forEach((k, j) => {
          found[k] = occurrences[j];
        });
      }
      for (const occurrence of found) {
        if (occurrence && results.length < request.limit) results.push(occurrence);
      }
    }
    return results;
  }

  /** The replica changed (see ChangeFeed): patch what is indexed, forget what cannot be patched. */
  changed(calendarIds: readonly string[], keys?: readonly ObjectKey[]): void {
    const ids = calendarIds.length === 0 ? [...this.#chains.keys()] : calendarIds;
    for (const calendarId of ids) {
      // Calendars never searched are not indexed: nothing to keep current.
      if (!this.#chains.has(calendarId)) continue;
      const hrefs =
        calendarIds.length === 0 ? undefined : keys?.filter((k) => k.calendarId === calendarId).map((k) => k.href);
      if (hrefs === undefined || hrefs.length > MAX_PATCH) {
        void this.#enqueue(calendarId, () => this.#index.dropCalendar(calendarId));
        continue;
      }
      void this.#enqueue(calendarId, async () => {
        if (!this.#index.hasCalendar(calendarId)) return;
        // Read when the patch runs: what is stored then is what the index must hold.
        const rows = await Promise.all(hrefs.map((href) => this.#store.getObject(calendarId, href)));
        this.#index.patch(calendarId, hrefs, rows);
      });
    }
  }

  /**
   * Runs `step` after every earlier step of the calendar (builds and patches apply in the
   * order the changes happened). A failed step drops the calendar: it is rebuilt next time.
   */
  #enqueue(calendarId: string, step: () => void | Promise<void>): Promise<void> {
    const previous = this.#chains.get(calendarId) ?? Promise.resolve();
    const next = previous.then(step).catch(() => this.#index.dropCalendar(calendarId));
    this.#chains.set(calendarId, next);
    return next;
  }

  /** Indexes the calendar if it is not (a change during the build may drop it again: retried). */
  async #ensure(calendarId: string): Promise<void> {
    for (let attempt = 0; attempt < 3 && !this.#index.hasCalendar(calendarId); attempt++) {
      await this.#enqueue(calendarId, async () => {
        if (!this.#index.hasCalendar(calendarId)) {
          this.#index.setCalendar(calendarId, await this.#store.objectsOfCalendar(calendarId));
        }
      });
    }
  }
}
