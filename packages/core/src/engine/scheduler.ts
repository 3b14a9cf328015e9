import type { Clock, TimerHandle } from '../platform/clock.ts';
import type { Log } from '../platform/logger.ts';
import { reason } from '../platform/logger.ts';
import type { OnlineSignal } from '../platform/online.ts';

/** When the engine runs sync rounds on its own (DESIGN.md "When it replays"). */
export interface SchedulerOptions {
  /** Periodic full sync interval; `false` disables every automatic round. */
  readonly autoSync: false | { intervalMs?: number } | undefined;
  /** A full round (push + pull). */
  readonly full: () => Promise<unknown>;
  /** A push-only round. */
  readonly push: () => Promise<unknown>;
  /** Earliest `nextAttemptAt` of backed-off outbox entries, if any. */
  readonly nextRetryAt: () => Promise<number | undefined>;
  readonly clock: Clock;
  readonly online: OnlineSignal;
  /** Where failures of automatic rounds go (they also surface as `error` events). */
  readonly log: Log;
}

const DEFAULT_INTERVAL_MS = 5 * 60_000;
const PUSH_DEBOUNCE_MS = 500;

/**
 * Timers and wake-ups of the engine: on start, periodically, on the `online` event, after
 * connectivity comes back mid-round, shortly after local edits (debounced), and when the
 * earliest backed-off entry is due. Nothing polls while offline: retries follow the
 * outbox's capped exponential backoff.
 */
export class SyncScheduler {
  readonly #options: SchedulerOptions;
  #interval: TimerHandle | undefined;
  #pushTimer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  #stopOnline: (() => void) | undefined;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  get enabled(): boolean {
    return this.#options.autoSync !== false && !this.#stopped;
  }

  /** Starts the periodic round, listens for `online` and runs a first round now. */
  start(): void {
    if (!this.enabled) return;
    const interval = (this.#options.autoSync ? this.#options.autoSync.intervalMs : undefined) ?? DEFAULT_INTERVAL_MS;
    const tick = () => {
      this.#interval = this.#options.clock.setTimeout(tick, interval);
      this.full();
    };
    this.#interval = this.#options.clock.setTimeout(tick, interval);
    this.#stopOnline = this.#options.online.onOnline(() => this.full());
    this.full();
  }

  /** A full round soon (errors surface as events, not here). */
  full(): void {
    if (this.enabled) void this.#options.full().catch((error) => this.#failed('full', error));
  }

  /** A push after a burst of edits has settled. */
  pushSoon(): void {
    if (!this.enabled) return;
    const clock = this.#options.clock;
    if (this.#pushTimer !== undefined) clock.clearTimeout(this.#pushTimer);
    this.#pushTimer = clock.setTimeout(() => {
      this.#pushTimer = undefined;
      if (this.enabled) void this.#options.push().catch((error) => this.#failed('push', error));
    }, PUSH_DEBOUNCE_MS);
  }

  /** Re-arms the retry timer for the earliest backed-off entry. */
  async scheduleRetry(): Promise<void> {
    if (!this.enabled) return;
    const due = await this.#options.nextRetryAt();
    if (due === undefined || !this.enabled) return;
    const clock = this.#options.clock;
    if (this.#retryTimer !== undefined) clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = clock.setTimeout(
      () => {
        this.#retryTimer = undefined;
        if (this.enabled) void this.#options.push().catch((error) => this.#failed('retry', error));
      },
      Math.max(0, due - clock.now()),
    );
  }

  stop(): void {
    this.#stopped = true;
    const clock = this.#options.clock;
    for (const timer of [this.#interval, this.#pushTimer, this.#retryTimer]) {
      if (timer !== undefined) clock.clearTimeout(timer);
    }
    this.#interval = this.#pushTimer = this.#retryTimer = undefined;
    this.#stopOnline?.();
    this.#stopOnline = undefined;
  }

  /** An automatic round failed: already an `error` event and in the status; logged for diagnosis. */
  #failed(round: 'full' | 'push' | 'retry', error: unknown): void {
    this.#options.log.debug(`Automatic ${round} round failed`, { reason: reason(error) });
  }
}
