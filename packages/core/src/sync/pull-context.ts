import type { ObjectRecord } from '../model/records.ts';
import type { ReplicaStore } from '../store/port.ts';
import type { IssueSink } from '../transport/members.ts';
import type { CalDavTransport } from '../transport/port.ts';
import type { PullMode } from './plan.ts';

/** Progress of a pull, reported as it goes. */
export interface PullProgress {
  readonly calendarId: string;
  readonly phase: 'listing' | 'fetching' | 'storing';
  readonly done: number;
  readonly total: number;
}

/** Ports and settings the pull loop needs. */
export interface PullContext {
  readonly transport: CalDavTransport;
  readonly store: ReplicaStore;
  readonly now: () => number;
  readonly reconcileAfterMs: number;
  readonly multigetBatch: number;
  readonly storeBatch: number;
  readonly onProgress: (progress: PullProgress) => void;
  /** Where objects the pull could not use are reported. */
  readonly report: IssueSink;
}

/** What pulling one calendar did. */
export interface CalendarPullResult {
  readonly calendarId: string;
  readonly mode: PullMode;
  readonly changed: number;
  readonly deleted: number;
  readonly invalid: number;
  /** Hrefs stored or deleted, so caches can be patched instead of rebuilt. */
  readonly touched: readonly string[];
  /**
   * Set when the replica was empty and these records are now the calendar's whole stored
   * content (`full-query`), so caches can be built from them without reading them back.
   */
  readonly contents?: readonly ObjectRecord[];
  /** Hrefs listed but not readable in this pull: kept as stored, asked for again next time. */
  readonly unavailable?: readonly string[];
}
