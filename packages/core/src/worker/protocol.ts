import type {
  CalendarSync,
  CalendarSyncOptions,
  CalsyncLogger,
  EventQuery,
  OccurrenceChange,
  StatusListener,
  SyncEvent,
  SyncStatus,
} from '../api/types.ts';
import type { PackedDelta } from '../live/window-delta.ts';
import type { PackedOccurrences } from '../query/packed.ts';

/** Options that can cross into the Worker (functions and IDBFactory cannot) and matter there. */
export type WorkerInitOptions = Omit<
  CalendarSyncOptions,
  'fetch' | 'indexedDB' | 'worker' | 'workerUrl' | 'workerStartTimeoutMs' | 'logger'
>;

/** What the Worker exposes through Comlink. */
export interface WorkerApi extends Omit<CalendarSync, 'subscribe' | 'watchEvents' | 'watchStatus'> {
  /** `logger` arrives as a Comlink proxy of the page's logger (calls are asynchronous). */
  init(options: WorkerInitOptions, logger?: CalsyncLogger): Promise<void>;
  subscribe(listener: (event: SyncEvent) => void): Promise<() => void>;
  /**
   * `watchEvents` in compact form: answers the first result packed whole (listener calls
   * travel through another port and may overtake or trail the answer) and an id for
   * {@link unwatch}; later results reach `listener` as deltas of the one before
   * (live/window-delta.ts). The page rebuilds them, keeping unchanged occurrences' identity.
   */
  watchEventsPacked(
    query: EventQuery,
    listener: (delta: PackedDelta, change: OccurrenceChange) => void,
  ): Promise<{ id: number; packed: PackedOccurrences; change: OccurrenceChange }>;
  /** `watchStatus`: answers the current status (the first call) and an id for {@link unwatch}. */
  watchStatus(listener: StatusListener): Promise<{ id: number; status: SyncStatus }>;
  /** Closes a watcher opened by {@link watchEventsPacked} or {@link watchStatus}. */
  unwatch(id: number): void;
  /** `listEvents` in compact form (query/packed.ts); the page unpacks it. */
  listEventsPacked(query: EventQuery): Promise<PackedOccurrences>;
  /** True when this code runs in a WorkerGlobalScope (lets tests prove where the engine runs). */
  isWorker(): boolean;
}
