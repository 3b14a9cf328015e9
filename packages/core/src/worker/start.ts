import { CalsyncError } from '../api/errors.ts';
import type { WorkerSource } from './source.ts';
import type { WorkerFailure } from './watch.ts';

/**
 * Default bound on starting the Worker: loading its script and opening IndexedDB, which
 * may run a migration on a large replica — so generous; a broken script is reported by
 * its `error` event long before.
 */
export const DEFAULT_WORKER_START_TIMEOUT_MS = 15_000;

/** What {@link startWorker} races. */
export interface WorkerStart {
  /** Sends `init` to the Worker; resolves once its engine is open. */
  readonly init: () => Promise<void>;
  /** Any cheap call: its answer proves that the script runs (to tell a slow init from a dead script). */
  readonly ping: () => Promise<unknown>;
  /** The Worker's first `error`/`messageerror` (worker-watch.ts). */
  readonly failed: Promise<WorkerFailure>;
  /** Milliseconds, or `Infinity` for no bound. */
  readonly timeoutMs: number;
  readonly source: WorkerSource;
}

/**
 * Validates `workerStartTimeoutMs`: a positive number of milliseconds, `Infinity` to wait
 * forever. Throws `invalid-input` otherwise (`setTimeout` would turn 0, NaN and Infinity
 * alike into "at once").
 */
export function workerStartTimeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_WORKER_START_TIMEOUT_MS;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new CalsyncError('invalid-input', '`workerStartTimeoutMs` must be a positive number of milliseconds.');
  }
  return value;
}

/**
 * Resolves once the Worker's engine is open, or rejects with a CalsyncError as soon as
 * one of these happens: the Worker fires `error` (its script or an import failed to
 * load, or it threw) or `messageerror`, or `timeoutMs` passes. Failures of the Worker
 * get code `worker` and a message saying what failed and how to fix it; an error that
 * `init` itself rejects with (`invalid-input`, `quota`, …) is passed on as it is.
 * Cleaning up (terminating the Worker) is the caller's job.
 */
export async function startWorker(start: WorkerStart): Promise<void> {
  const { source, timeoutMs } = start;
  let scriptRuns = false;
  start.ping().then(
    () => {
      scriptRuns = true;
    },
    () => {
      // Only the fact that it answered matters; a failing answer is an answer too.
      scriptRuns = true;
    },
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    if (timeoutMs === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(() => reject(timeoutError(source, timeoutMs, scriptRuns)), timeoutMs);
  });
  const failed = start.failed.then((failure): never => {
    throw new CalsyncError(
      'worker',
      `The calsync worker failed to load from ${source.label}: ${failure.detail}. ${source.fix}`,
    );
  });
  const initialised = start.init().catch((error: unknown): never => {
    if (error instanceof CalsyncError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new CalsyncError('internal', `The calsync worker failed to start: ${reason}`, { cause: error });
  });
  try {
    await Promise.race([initialised, failed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function timeoutError(source: WorkerSource, timeoutMs: number, scriptRuns: boolean): CalsyncError {
  const message = scriptRuns
    ? `The calsync worker loaded from ${source.label} but did not open its database within ${timeoutMs} ms ` +
      '(IndexedDB was slow, or a migration of a large replica took longer). If it only needs more time, raise ' +
      '`workerStartTimeoutMs`.'
    : `The calsync worker from ${source.label} did not answer within ${timeoutMs} ms: the script is still loading, ` +
      `or what it runs is not calsync's worker. ${source.fix} If it only needs more time, raise \`workerStartTimeoutMs\`.`;
  // Retryable: a slow device or network may make it next time; a 404 fires `error` instead.
  return new CalsyncError('worker', message, { retryable: true });
}
