import type { Clock, TimerHandle } from '../platform/clock.ts';
import type { CalendarIndex, Entry } from './calendar-index.ts';

/** Series starting or ending this close to a query are warmed up after it. */
export const WARM_MS = 366 * 86_400_000;
/** Longest uninterrupted slice of warm-up work, so queries are never held up long. */
export const WARM_SLICE_MS = 2;
/**
 * Warm-up runs only after this long without a query: a burst of queries (a view scrolling,
 * a benchmark) is answered without warm-up slices between them, which were the main source
 * of slow outliers (month queries on 20,000 events through the Worker, back to back:
 * p50 10 → 6 ms, p95 18 → 12 ms together with 2 ms slices instead of 4).
 */
export const WARM_QUIET_MS = 50;

/** Series of one calendar still to expand around a region, in slices. */
interface WarmTask {
  readonly index: CalendarIndex;
  readonly todo: readonly Entry[];
  next: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Expands the series around a query in small slices between queries, once per region, so
 * that moving to the next or previous month does not pay for series first seen there.
 * Each calendar has at most one pending warm-up (the latest region asked for); they run one
 * after the other, never while held (a sync round is running) and only after a quiet spell.
 * Time comes from the injected clock.
 */
export class WarmUp {
  readonly #clock: Clock;
  #timer: TimerHandle | undefined;
  #queue: WarmTask[] = [];
  #holds = 0;
  #lastQueryAt = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A query is being answered now (warm-up keeps out of its way for a while). */
  noteQuery(): void {
    this.#lastQueryAt = this.#clock.now();
  }

  /** Series of `index` near [start, end) get expanded soon, unless that region is done. */
  around(index: CalendarIndex, start: number, end: number): void {
    if (index.warmed && start >= index.warmed.from && end <= index.warmed.to) return;
    index.warmed = { from: start - WARM_MS / 2, to: end + WARM_MS / 2 };
    const todo = index.series.filter((e) => e.rangeEnd > start - WARM_MS && e.rangeStart < end + WARM_MS);
    const queue = this.#queue.filter((task) => task.index !== index);
    if (todo.length > 0) queue.push({ index, todo, next: 0, start, end });
    this.#queue = queue;
    if (this.#timer === undefined && queue.length > 0) this.#schedule(0);
  }

  /** Tasks waiting (for tests). */
  get queued(): number {
    return this.#queue.length;
  }

  /** Pauses warm-up until the matching {@link release}. */
  hold(): void {
    this.#holds++;
  }

  release(): void {
    this.#holds = Math.max(0, this.#holds - 1);
    if (this.#holds === 0 && this.#timer === undefined && this.#queue.length > 0) this.#schedule(0);
  }

  /** Drops every task and timer (the engine is closing). */
  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
  }

  #schedule(ms: number): void {
    this.#timer = this.#clock.setTimeout(this.#slice, ms);
  }

  readonly #slice = (): void => {
    this.#timer = undefined;
    if (this.#holds > 0) return;
    const clock = this.#clock;
    const quietFor = clock.now() - this.#lastQueryAt;
    if (quietFor < WARM_QUIET_MS) {
      this.#schedule(WARM_QUIET_MS - quietFor);
      return;
    }
    const deadline = clock.now() + WARM_SLICE_MS;
    while (this.#queue.length > 0 && clock.now() < deadline) {
      const task = this.#queue[0] as WarmTask;
      while (task.next < task.todo.length && clock.now() < deadline) {
        task.todo[task.next++]?.occurrences?.warm(task.start, task.end);
      }
      if (task.next >= task.todo.length) this.#queue.shift();
    }
    if (this.#queue.length > 0) this.#schedule(0);
  };
}
