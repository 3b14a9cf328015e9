import type { EventsListener, OccurrenceChange } from '../api/live.ts';
import type { Visibility } from '../platform/visibility.ts';
import { EMPTY_RESULT, netChange, type WindowResult } from './occurrence-diff.ts';

/**
 * Hands a watcher's results to the app's listener, except while the page is hidden: then
 * only the latest result is kept, and delivered once (with the net change since the last
 * delivery) when the page is shown again. A background tab does no rendering work for
 * results nobody sees; the listener still sees every net change.
 */
export class VisibleDelivery {
  readonly #listener: EventsListener;
  readonly #visibility: Visibility;
  readonly #onError: (error: unknown) => void;
  #delivered: WindowResult = EMPTY_RESULT;
  #waiting: { latest: WindowResult; touched: Set<string> } | undefined;
  #stopVisible: (() => void) | undefined;
  #stopped = false;

  constructor(listener: EventsListener, visibility: Visibility, onError: (error: unknown) => void) {
    this.#listener = listener;
    this.#visibility = visibility;
    this.#onError = onError;
  }

  /** A new result; the first one is always delivered at once (the current result a watch starts with). */
  push(result: WindowResult, change: OccurrenceChange, first = false): void {
    if (this.#stopped) return;
    if (!first && this.#visibility.hidden()) {
      this.#waiting ??= { latest: result, touched: new Set() };
      const waiting = this.#waiting;
      waiting.latest = result;
      for (const ids of [change.added, change.removed, change.updated]) for (const id of ids) waiting.touched.add(id);
      this.#stopVisible ??= this.#visibility.onVisible(() => this.#flush());
      return;
    }
    this.#waiting = undefined;
    this.#deliver(result, change);
  }

  stop(): void {
    this.#stopped = true;
    this.#waiting = undefined;
    this.#stopVisible?.();
    this.#stopVisible = undefined;
  }

  #flush(): void {
    this.#stopVisible?.();
    this.#stopVisible = undefined;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!waiting || this.#stopped) return;
    const change = netChange(this.#delivered, waiting.latest, waiting.touched);
    if (change.added.length + change.removed.length + change.updated.length > 0) this.#deliver(waiting.latest, change);
  }

  #deliver(result: WindowResult, change: OccurrenceChange): void {
    this.#delivered = result;
    try {
      this.#listener(result.occurrences, change);
    } catch (error) {
      this.#onError(error);
    }
  }
}
