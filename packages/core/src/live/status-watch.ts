import type { StatusListener } from '../api/live.ts';
import type { SyncEvent, SyncStatus } from '../api/sync.ts';
import type { Emitter } from '../util/emitter.ts';

/** What {@link watchSyncStatus} reads from the engine. */
export interface StatusSource {
  readonly events: Emitter<SyncEvent>;
  /** The status as the engine knows it now (synchronous). */
  current(): SyncStatus;
  /** Counts the shared outbox again (another tab may have added to it). */
  recount(): Promise<void>;
  readonly closed: () => boolean;
  readonly onListenerError: (error: unknown) => void;
}

/**
 * Calls `listener` with `first`, then whenever the status differs from the last one it
 * was given: on `status` events (a round started or ended, connectivity flipped),
 * `pending` and `error` events, and after any change (an edit in another tab changes
 * the pending count: the outbox is counted again). Returns the unsubscribe.
 */
export function watchSyncStatus(source: StatusSource, first: SyncStatus, listener: StatusListener): () => void {
  let last = '';
  let latest = 0;
  const deliver = (status: SyncStatus) => {
    const key = JSON.stringify(status);
    if (key === last) return;
    last = key;
    try {
      listener(status);
    } catch (error) {
      source.onListenerError(error);
    }
  };
  deliver(first);
  // Listening starts in the task that delivered `first`: nothing falls between.
  return source.events.on((event) => {
    if (event.type === 'status') deliver(event.status);
    else if (event.type === 'pending' || event.type === 'error') deliver(source.current());
    else if (event.type === 'changed') {
      const mine = ++latest;
      void source.recount().then(
        () => {
          if (mine === latest && !source.closed()) deliver(source.current());
        },
        () => undefined,
      );
    }
  });
}
