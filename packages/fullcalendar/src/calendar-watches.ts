import type { CalendarApi } from '@fullcalendar/core';

/**
 * One fetch of a source: the `watchEvents` watcher FullCalendar's request for a range
 * opened. Fetches are numbered in the order FullCalendar asked for them.
 */
export interface Fetch {
  readonly seq: number;
  /** Closes the watcher (at once, or as soon as `watchEvents` resolved); idempotent. */
  close(): void;
}

interface CalendarState {
  /** The newest fetch that delivered to this calendar; its watcher is the calendar's only one. */
  current: Fetch | undefined;
  destroyed: boolean;
}

/**
 * Which fetch of a source is live in which FullCalendar `Calendar`. A function event
 * source is not told its calendar, nor when it is removed or the calendar destroyed: a
 * fetch learns its calendar when it first delivers (see `calsyncEventSource`), and from
 * then on this keeps exactly one watcher per calendar — the newest range's — and closes it
 * when the source leaves the calendar or the calendar is destroyed.
 */
export class CalendarWatches {
  readonly #states = new WeakMap<CalendarApi, CalendarState>();
  readonly #sourceId: string;

  constructor(sourceId: string) {
    this.#sourceId = sourceId;
  }

  /**
   * Records that `fetch` delivered to `calendar`. Closes the fetch it supersedes; returns
   * `false` (and closes `fetch`) when `fetch` is itself outdated, the source is no longer
   * in the calendar, or the calendar was destroyed.
   */
  bind(fetch: Fetch, calendar: CalendarApi): boolean {
    const state = this.#state(calendar);
    if (state.destroyed || !this.isIn(calendar) || (state.current !== undefined && state.current.seq > fetch.seq)) {
      fetch.close();
      return false;
    }
    if (state.current !== fetch) state.current?.close();
    state.current = fetch;
    return true;
  }

  /** Whether the source is (still) one of the calendar's event sources. */
  isIn(calendar: CalendarApi): boolean {
    return calendar.getEventSourceById(this.#sourceId) !== null;
  }

  /** Forgets `fetch` (it closed itself, e.g. on an error). */
  release(fetch: Fetch, calendar: CalendarApi): void {
    const state = this.#states.get(calendar);
    if (state?.current === fetch) state.current = undefined;
  }

  #state(calendar: CalendarApi): CalendarState {
    let state = this.#states.get(calendar);
    if (state === undefined) {
      const created: CalendarState = { current: undefined, destroyed: false };
      state = created;
      this.#states.set(calendar, created);
      // `_unmount` is FullCalendar's (typed, underscore-named) signal that `destroy()` took
      // the calendar down; there is no public "destroyed" event.
      calendar.on('_unmount', () => {
        created.destroyed = true;
        created.current?.close();
        created.current = undefined;
      });
      // Removing a source (`source.remove()`, `removeAllEventSources()`, new `eventSources`)
      // changes the calendar's events: check then whether this source is still there.
      calendar.on('eventsSet', () => {
        if (created.current !== undefined && !this.isIn(calendar)) {
          created.current.close();
          created.current = undefined;
        }
      });
    }
    return state;
  }
}
