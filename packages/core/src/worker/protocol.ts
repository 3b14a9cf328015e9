import type { CalendarSync, CalendarSyncOptions, CalsyncLogger, EventQuery, SyncEvent } from '../api/types.ts';
import type { PackedOccurrences } from '../query/packed.ts';

/** Options that can cross into the Worker (functions and IDBFactory cannot) and matter there. */
export type WorkerInitOptions = Omit<
  CalendarSyncOptions,
  'fetch' | 'indexedDB' | 'worker' | 'workerUrl' | 'workerStartTimeoutMs' | 'logger'
>;

/** What the Worker exposes through Comlink. */
export interface WorkerApi extends Omit<CalendarSync, 'subscribe'> {
  /** `logger` arrives as a Comlink proxy of the page's logger (calls are asynchronous). */
  init(options: WorkerInitOptions, logger?: CalsyncLogger): Promise<void>;
  subscribe(listener: (event: SyncEvent) => void): Promise<() => void>;
  /** `listEvents` in compact form (query/packed.ts); the page unpacks it. */
  listEventsPacked(query: EventQuery): Promise<PackedOccurrences>;
  /** True when this code runs in a WorkerGlobalScope (lets tests prove where the engine runs). */
  isWorker(): boolean;
}
