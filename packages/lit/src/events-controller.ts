import {
  type CalendarSync,
  CalsyncError,
  type EventOccurrence,
  type EventQuery,
  isCalsyncError,
  type OccurrenceChange,
} from '@calsync/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { queryKey } from './query-key.ts';
import { WatchSlot } from './watch-slot.ts';

/**
 * A live `listEvents` for a Lit element: keeps {@link occurrences} equal to the window's
 * current result through `watchEvents`, and asks the host to render whenever it changes
 * (after syncs, edits here or in another tab). Watches while the host is connected.
 *
 * ```ts
 * class WeekView extends LitElement {
 *   #events = new EventsController(this);
 *   render() {
 *     this.#events.watch(this.calendarSync, { start: this.weekStart, end: this.weekEnd });
 *     return html`${this.#events.occurrences.map((o) => html`<p>${o.summary}</p>`)}`;
 *   }
 * }
 * ```
 */
export class EventsController implements ReactiveController {
  /** The window's occurrences, sorted by start; unchanged ones keep their identity across updates. */
  occurrences: readonly EventOccurrence[] = [];
  /** What the last update changed (`undefined` before the first result). */
  change: OccurrenceChange | undefined;
  /** No result yet for the current window (or nothing to watch yet). */
  loading = true;
  /** Why the window could not be watched (e.g. `invalid-input` for an end before the start). */
  error: CalsyncError | undefined;

  readonly #host: ReactiveControllerHost;
  #sdk: CalendarSync | undefined;
  #query: EventQuery | undefined;
  #key: string | undefined;
  #connected = false;
  readonly #slot = new WatchSlot();

  constructor(host: ReactiveControllerHost, calendarSync?: CalendarSync, query?: EventQuery) {
    this.#host = host;
    this.#sdk = calendarSync;
    this.#query = query;
    this.#key = query ? queryKey(query) : undefined;
    host.addController(this);
  }

  /**
   * Sets what to watch. Safe to call on every render: a new watcher opens only when the
   * SDK instance or the window (compared by value) changed. `undefined` stops watching.
   */
  watch(calendarSync: CalendarSync | undefined, query: EventQuery | undefined): void {
    const key = query ? queryKey(query) : undefined;
    if (calendarSync === this.#sdk && key === this.#key) return;
    this.#sdk = calendarSync;
    this.#query = query;
    this.#key = key;
    if (this.#connected) this.#restart();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#restart();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#slot.close();
  }

  #restart(): void {
    const sdk = this.#sdk;
    const query = this.#query;
    this.loading = true;
    this.error = undefined;
    if (!sdk || !query) {
      this.#slot.close();
      this.occurrences = [];
      this.change = undefined;
      this.#host.requestUpdate();
      return;
    }
    this.#slot.open(
      (current) =>
        sdk.watchEvents(query, (occurrences, change) => {
          if (!current()) return;
          this.occurrences = occurrences;
          this.change = change;
          this.loading = false;
          this.#host.requestUpdate();
        }),
      (error) => {
        this.error = isCalsyncError(error)
          ? error
          : new CalsyncError('internal', error instanceof Error ? error.message : String(error));
        this.loading = false;
        this.#host.requestUpdate();
      },
    );
  }
}
