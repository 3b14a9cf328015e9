/** The shape of the bench's JSON record: every raw figure, plus where and with what it ran. */
import type { BenchOptions } from './args.ts';
import type { ChunkSize } from './bundle-size.ts';
import type { BrowserFirstSyncTiming } from './calsync-browser.ts';
import type { LimitSample } from './limit.ts';
import type { LiveEditSample, LiveEditTimings, PullTiming, SearchTimings } from './live.ts';
import type { MachineInfo, VersionInfo } from './machine.ts';
import type { MemoryPeak } from './memory.ts';
import type { PeerTiming } from './peer.ts';
import type { ReportTiming } from './report-request.ts';
import type { ColdStartTiming, FirstSyncTiming, OutboxTiming, QueryTimings, SyncTiming } from './session.ts';

/** The timed steps of calsync in one runtime, one repetition. */
export interface CalsyncRep<First extends FirstSyncTiming> {
  readonly first: First;
  readonly noChange: SyncTiming;
  /** After the other client's 10 changes. */
  readonly incremental: SyncTiming;
  readonly outbox?: OutboxTiming;
}

/** `listEvents` latencies over the month and week windows. */
export interface QueryRep {
  readonly month: QueryTimings;
  readonly week: QueryTimings;
}

/** Everything measured for one calendar size in one repetition. */
export interface RepResult {
  readonly size: number;
  readonly rep: number;
  readonly limit: {
    readonly node: LimitSample;
    readonly chromium: LimitSample;
    /** sync-collection with data from the token before the 10 changes. */
    readonly incrementalNode: ReportTiming;
    readonly incrementalChromium: ReportTiming;
  };
  readonly peer: { readonly initial: PeerTiming; readonly noChange: PeerTiming; readonly incremental: PeerTiming };
  /** Absent for sizes above `nodeMaxSize`. */
  readonly calsyncNode?: CalsyncRep<FirstSyncTiming & { readonly memory: MemoryPeak }>;
  readonly calsyncChromium: CalsyncRep<FirstSyncTiming>;
  /** The bare serial PUT loop in Node, which calsync in Node is compared with (sizes up to `outboxMaxSize`). */
  readonly barePut?: { readonly puts: number; readonly ms: number };
  /** The same loop from the bench page (cross-origin, preflights included), for calsync in Chromium. */
  readonly barePutChromium?: { readonly puts: number; readonly ms: number };
  /** Chromium, a new tab on the stored replica (absent in records from before issue 13). */
  readonly coldStart?: ColdStartTiming;
  /** On the largest size of each runtime only. */
  readonly listEvents?: { readonly node?: QueryRep; readonly chromium?: QueryRep };
}

/** One edit in tab A seen by tab B's watcher. */
export interface TabEditSample {
  /** A's `updateEvent` until its promise resolved. */
  readonly updateMs: number;
  /** B's listener called with the new summary, minus A's `updateEvent` call (one clock); undefined: missed. */
  readonly arrivalMs: number | undefined;
}

/** The live-query phase (live-run.ts): once per run, largest size, Chromium, its own session. */
export interface LiveResult {
  readonly size: number;
  /** Watchers open during the "with watchers" pulls. */
  readonly watchers: number;
  /** Edit → month watcher in the same page. */
  readonly edit: LiveEditTimings & {
    /** The session's first edits, made before the timed ones (cold code paths; reported apart). */
    readonly warmup?: readonly LiveEditSample[];
  };
  /** Edit in tab A → tab B's month watcher (same profile, same database, own Workers). */
  readonly tab: {
    readonly samples: readonly TabEditSample[];
    readonly windowOccurrences: number;
    /** `document.visibilityState` of each tab while measured. */
    readonly visibility: { readonly a: string; readonly b: string };
  };
  /** Timed pulls of the other client's changes, alternating without and with watchers. */
  readonly pulls: readonly PullTiming[];
  readonly search: SearchTimings;
}

/** The whole record written to test/bench/results/. */
export interface BenchResults {
  readonly date: string;
  /** Day the seeded data is centred on. */
  readonly anchor: string;
  readonly options: BenchOptions;
  readonly machine: MachineInfo;
  readonly versions: VersionInfo;
  readonly seed: {
    readonly writeMs: number;
    /** First calendar-query + sync-collection per size (builds Radicale's caches on a cold seed). */
    readonly warmMs: Readonly<Record<number, number>>;
    readonly fromCache: Readonly<Record<number, boolean>>;
  };
  readonly bundles: readonly ChunkSize[];
  readonly reps: readonly RepResult[];
  /** Per size: one extra Chromium first sync with memory sampling (its time is not a figure). */
  readonly chromiumMemory: Readonly<Record<number, BrowserFirstSyncTiming>>;
  /** The live-query phase (absent in records from before it existed). */
  readonly live?: LiveResult;
  /** Parts that were bounded or skipped, and checks that failed, in words. */
  readonly notes: readonly string[];
  readonly durationMs: number;
  /** 1-minute load average when the bench ended (compare with `machine.loadAverage`). */
  readonly loadAverageAtEnd: number;
}
