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
  #interval: ReturnType<typeof setInterval> | undefined;
  #pushTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #onOnline = () => this.full();

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
    this.#interval = setInterval(() => this.full(), interval);
    globalThis.addEventListener?.('online', this.#onOnline);
    this.full();
  }

  /** A full round soon (errors surface as events, not here). */
  full(): void {
    if (this.enabled) void this.#options.full().catch(() => undefined);
  }

  /** A push after a burst of edits has settled. */
  pushSoon(): void {
    if (!this.enabled) return;
    if (this.#pushTimer !== undefined) clearTimeout(this.#pushTimer);
    this.#pushTimer = setTimeout(() => {
      this.#pushTimer = undefined;
      if (this.enabled) void this.#options.push().catch(() => undefined);
    }, PUSH_DEBOUNCE_MS);
  }

  /** Re-arms the retry timer for the earliest backed-off entry. */
  async scheduleRetry(): Promise<void> {
    if (!this.enabled) return;
    const due = await this.#options.nextRetryAt();
    if (due === undefined || !this.enabled) return;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = undefined;
        if (this.enabled) void this.#options.push().catch(() => undefined);
      },
      Math.max(0, due - Date.now()),
    );
  }

  stop(): void {
    this.#stopped = true;
    if (this.#interval !== undefined) clearInterval(this.#interval);
    if (this.#pushTimer !== undefined) clearTimeout(this.#pushTimer);
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    globalThis.removeEventListener?.('online', this.#onOnline);
  }
}
