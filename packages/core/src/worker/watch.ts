/** What a Worker reported when it became unusable. */
export interface WorkerFailure {
  /** The event the Worker object fired. */
  readonly type: 'error' | 'messageerror';
  /** What went wrong, in words, for error messages (no URLs with credentials: events carry none). */
  readonly detail: string;
}

/** The failure signals of one Worker; see {@link watchWorker}. */
export interface WorkerWatch {
  /** Resolves with the first failure (never rejects, so it needs no handler while unused). */
  readonly failed: Promise<WorkerFailure>;
  /** Removes the listeners (after `close()`, or once the Worker is terminated). */
  stop(): void;
}

/** The part of a Worker that {@link watchWorker} needs (a fake EventTarget in tests). */
export type WatchedWorker = Pick<Worker, 'addEventListener' | 'removeEventListener'>;

/**
 * Listens for the events after which a Worker will not answer (some) calls:
 *
 * - `error`: the script or one of its imports failed to load (a 404, a wrong MIME type,
 *   e.g. an SPA fallback serving index.html), threw while it was evaluated, or — once
 *   running — threw an exception nothing caught;
 * - `messageerror`: a message could not be deserialised, so whichever call it answered
 *   will never settle, and we cannot tell which one it was.
 *
 * Attach it right after `new Worker(...)`, before the first message: the events are
 * dispatched as tasks, so listeners added in the same task see them.
 */
export function watchWorker(worker: WatchedWorker): WorkerWatch {
  let report: (failure: WorkerFailure) => void = () => undefined;
  const failed = new Promise<WorkerFailure>((resolve) => {
    report = resolve;
  });
  const onError = (event: Event) => report({ type: 'error', detail: describeError(event) });
  const onMessageError = () =>
    report({ type: 'messageerror', detail: 'a message from the worker could not be deserialised (messageerror)' });
  worker.addEventListener('error', onError);
  worker.addEventListener('messageerror', onMessageError);
  return {
    failed,
    stop() {
      worker.removeEventListener('error', onError);
      worker.removeEventListener('messageerror', onMessageError);
    },
  };
}

/**
 * Chromium fires a bare `Event` (no message) when the script or an import cannot be
 * fetched, and an `ErrorEvent` with the exception's message when evaluation throws.
 * Duck-typed: Node (the unit tests) has no `ErrorEvent`.
 */
function describeError(event: Event): string {
  const message = (event as { message?: unknown }).message;
  return typeof message === 'string' && message !== ''
    ? `it threw: ${message}`
    : 'the script or one of its imports could not be loaded (a 404, a network error or a non-JavaScript MIME type)';
}
