import type { CalsyncError } from '../api/errors.ts';
import type { AccountSyncReport, SyncErrorInfo, SyncReport } from '../api/types.ts';
import type { AccountRecord } from '../model/records.ts';
import type { Clock } from '../platform/clock.ts';
import type { RoundLock } from '../platform/lock.ts';
import type { Log } from '../platform/logger.ts';
import { type RoundDeps, syncAccountRound } from './account-round.ts';

/** A full round pushes then pulls; a push round only replays the outbox. */
export type RoundMode = 'full' | 'push';

/** What the round runner needs from the engine. */
export interface RunnerDeps {
  readonly clock: Clock;
  readonly lock: RoundLock;
  /** Name of the lock: one sync leader per database across tabs. */
  readonly lockName: string;
  readonly log: Log;
  readonly round: RoundDeps;
  /** The accounts a round covers: one (it must exist) or all. */
  readonly accounts: (onlyAccountId: string | undefined) => Promise<AccountRecord[]>;
  /** Requests sent so far by this engine (for the report). */
  readonly requests: () => number;
  /** Announces that a round started (`true`) or ended (`false`). */
  readonly syncing: (syncing: boolean) => void;
  /** Pauses background work that would sit between the round's steps. */
  readonly hold: () => void;
  readonly release: () => void;
  /** After every round (whatever its outcome): e.g. a follow-up when connectivity came back. */
  readonly after: () => void;
}

/**
 * Runs sync rounds one at a time per engine, each under the database's round lock (one at
 * a time across tabs), and keeps what the status reports about them.
 */
export class RoundRunner {
  readonly #deps: RunnerDeps;
  #current: Promise<SyncReport> | undefined;
  #lastSyncAt: number | undefined;
  #lastError: SyncErrorInfo | undefined;

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
  }

  /** A round is queued or running. */
  get busy(): boolean {
    return this.#current !== undefined;
  }

  get lastSyncAt(): number | undefined {
    return this.#lastSyncAt;
  }

  get lastError(): SyncErrorInfo | undefined {
    return this.#lastError;
  }

  /**
   * Queues one round after the current one. `force` also replays entries waiting for
   * their backoff and paused accounts. Rejects (with the first account's error) when no
   * account could be synced — one account or several, the same rule; when at least one
   * synced, resolves with the report, where failed accounts carry `ok: false` and `error`.
   */
  run(onlyAccountId: string | undefined, mode: RoundMode, force: boolean): Promise<SyncReport> {
    const previous = this.#current;
    const promise = (async () => {
      if (previous) await previous.then(noop, noop);
      return this.#deps.lock.run(this.#deps.lockName, () => this.#round(onlyAccountId, mode, force));
    })();
    this.#current = promise;
    const settled = () => {
      if (this.#current === promise) this.#current = undefined;
      this.#deps.after();
    };
    promise.then(settled, settled);
    return promise;
  }

  /** Resolves once no round is queued or running (never rejects). */
  async idle(): Promise<void> {
    while (this.#current) await this.#current.then(noop, noop);
  }

  async #round(onlyAccountId: string | undefined, mode: RoundMode, force: boolean): Promise<SyncReport> {
    const { clock, log } = this.#deps;
    const started = clock.now();
    const requestsBefore = this.#deps.requests();
    const accounts = await this.#deps.accounts(onlyAccountId);
    this.#deps.syncing(true);
    const reports: AccountSyncReport[] = [];
    let failure: CalsyncError | undefined;
    this.#deps.hold();
    try {
      for (const account of accounts) {
        const { report, error } = await syncAccountRound(this.#deps.round, account, mode, force);
        reports.push(report);
        if (error) {
          failure ??= error;
          this.#lastError = { code: error.code, message: error.message };
          log.error(`Sync of account ${account.id} failed: ${error.message}`, { code: error.code });
        }
      }
    } finally {
      this.#deps.release();
    }
    if (failure === undefined && reports.every((r) => r.ok)) {
      this.#lastSyncAt = clock.now();
      this.#lastError = undefined;
    }
    this.#deps.syncing(false);
    // Nothing synced (one account or all of several failed): there is no partial success to report.
    if (failure && reports.every((r) => !r.ok)) throw failure;
    return { accounts: reports, requests: this.#deps.requests() - requestsBefore, durationMs: clock.now() - started };
  }
}

function noop(): void {}
