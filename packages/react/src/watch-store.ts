import { CalsyncError, isCalsyncError } from '@calsync/core';

/**
 * A store for React's `useSyncExternalStore` over one calsync watch (`watchEvents`,
 * `watchStatus`), whose subscription is asynchronous.
 *
 * Invariants: the watch runs while at least one React listener is subscribed and stops
 * when the last one leaves; `getSnapshot` returns the same object until a delivery or a
 * failure replaces it (React re-renders in a loop otherwise); a watch that was stopped
 * delivers nothing more, and when its subscribe promise settles only afterwards (unmount
 * or a new query before the engine answered), it is unsubscribed at once.
 */
export interface WatchStore<S> {
  subscribe(onStoreChange: () => void): () => void;
  getSnapshot(): S;
}

/**
 * Starts a watch: calls `deliver` with each new snapshot, resolves to the watch's
 * unsubscribe function (as `watchEvents`/`watchStatus` do).
 */
export type StartWatch<S> = (deliver: (snapshot: S) => void) => Promise<() => void>;

/** A {@link WatchStore} showing `initial` until `start`'s first delivery, `failed(error)` if `start` rejects. */
export function createWatchStore<S>(
  initial: S,
  start: StartWatch<S>,
  failed: (error: CalsyncError) => S,
): WatchStore<S> {
  let snapshot = initial;
  const listeners = new Set<() => void>();
  let stop: (() => void) | undefined;

  const run = (): (() => void) => {
    let active = true;
    let unsubscribe: (() => void) | undefined;
    const deliver = (next: S) => {
      if (!active) return;
      snapshot = next;
      for (const listener of [...listeners]) listener();
    };
    // `new Promise` so that a `start` throwing synchronously fails like one that rejects.
    new Promise<() => void>((resolve) => resolve(start(deliver))).then(
      (stopWatch) => {
        if (active) unsubscribe = stopWatch;
        else stopWatch();
      },
      // A failure of a stopped watch concerns a window nobody shows any more: dropped like its results.
      (error: unknown) => deliver(failed(asCalsyncError(error))),
    );
    return () => {
      active = false;
      unsubscribe?.();
    };
  };

  return {
    subscribe(onStoreChange) {
      listeners.add(onStoreChange);
      if (listeners.size === 1) stop = run();
      return () => {
        if (!listeners.delete(onStoreChange) || listeners.size > 0) return;
        stop?.();
        stop = undefined;
      };
    },
    getSnapshot: () => snapshot,
  };
}

/** The SDK rejects with CalsyncErrors; anything else (a bug, a foreign CalendarSync) becomes `internal`. */
function asCalsyncError(error: unknown): CalsyncError {
  if (isCalsyncError(error)) return error;
  return new CalsyncError('internal', error instanceof Error ? error.message : String(error), { cause: error });
}
