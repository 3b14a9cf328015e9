/**
 * Reduces the repetitions to figures (median, min, max per size and metric) and pooled
 * `listEvents` percentiles. The Markdown report and the JSON record's `summary` both come
 * from here.
 */
import type { BrowserFirstSyncTiming } from './calsync-browser.ts';
import type { LimitSample } from './limit.ts';
import type { PullTiming } from './live.ts';
import type { LiveResult, QueryRep, RepResult } from './results.ts';
import { type Figure, figure, type Percentiles, percentiles } from './stats.ts';

/** Metric names, as they appear in the JSON `summary`. */
export const METRICS = [
  'limit.node.calendarQueryMs',
  'limit.node.calendarQueryAllMs',
  'limit.node.syncCollectionMs',
  'limit.node.firstMs',
  'limit.node.noChangeMs',
  'limit.node.incrementalMs',
  'limit.node.calendarListMs',
  'limit.chromium.calendarQueryMs',
  'limit.chromium.calendarQueryAllMs',
  'limit.chromium.syncCollectionMs',
  'limit.chromium.firstMs',
  'limit.chromium.noChangeMs',
  'limit.chromium.incrementalMs',
  'limit.chromium.calendarListMs',
  'limit.fullResponseMb',
  'peer.initialMs',
  'peer.initialRequests',
  'peer.noChangeMs',
  'peer.noChangeRequests',
  'peer.incrementalMs',
  'peer.incrementalRequests',
  'node.firstMs',
  'node.firstRequests',
  'node.stored',
  'node.noChangeMs',
  'node.noChangeRequests',
  'node.incrementalMs',
  'node.incrementalRequests',
  'node.peakHeapGrowthMb',
  'node.peakRssMb',
  'node.outboxReplayMs',
  'node.outboxEditMsPerEdit',
  'node.outboxPushed',
  'node.outboxRequests',
  'chromium.firstMs',
  'chromium.firstRequests',
  'chromium.stored',
  'chromium.noChangeMs',
  'chromium.noChangeRequests',
  'chromium.incrementalMs',
  'chromium.incrementalRequests',
  'chromium.outboxReplayMs',
  'chromium.outboxEditMsPerEdit',
  'chromium.outboxPushed',
  'chromium.outboxRequests',
  'bare.putMs',
  'bare.puts',
  'bare.chromium.putMs',
  'bare.chromium.puts',
  'chromium.coldStartMs',
  'chromium.coldStartFloorMs',
] as const;
export type Metric = (typeof METRICS)[number];

/** One size's figures; a metric is absent when it was not measured at that size. */
export type SizeSummary = Partial<Record<Metric, Figure>>;

/** Pooled `listEvents` latencies of one runtime (all repetitions together). */
export interface QuerySummary {
  readonly size: number;
  readonly month: Percentiles & { readonly medianOccurrences: number };
  readonly week: Percentiles & { readonly medianOccurrences: number };
}

/** The live-query phase reduced to its figures. */
export interface LiveSummary {
  readonly size: number;
  /** Edit → watcher in the same page; `update` is the `updateEvent` call itself (the baseline). */
  readonly edit: {
    readonly watcher: Percentiles;
    readonly update: Percentiles;
    readonly missed: number;
    readonly windowOccurrences: number;
    /** The warm-up edits before the timed ones (edit → watcher), if the run made any. */
    readonly cold: Percentiles | undefined;
  };
  /** Edit in tab A → tab B's watcher; `update` is A's `updateEvent` call. */
  readonly tab: {
    readonly arrival: Percentiles;
    readonly update: Percentiles;
    readonly missed: number;
    readonly windowOccurrences: number;
    readonly visibility: string;
  };
  /** Timed pulls without / with watchers; `ratio` is the median of the per-pair with ÷ without. */
  readonly pull: {
    readonly watchers: number;
    readonly pairs: number;
    readonly without: Figure;
    readonly with: Figure;
    readonly ratio: Figure;
    /** Listener calls over all watchers, summed over the "with" pulls. */
    readonly calls: number;
    readonly callsPerPull: Figure;
    readonly wokenPerPull: Figure;
    readonly expected: number;
    readonly missed: number;
    /** `sync()` called → last listener call, over the "with" pulls that woke a watcher. */
    readonly settled: Figure;
  };
  readonly search:
    | (Percentiles & { readonly available: true; readonly firstMs: number; readonly medianResults: number })
    | { readonly available: false; readonly reason: string };
}

/** Everything the report shows, computed once. */
export interface Summary {
  readonly sizes: Readonly<Record<number, SizeSummary>>;
  /** Peak memory of page + Worker during a Chromium first sync, MB, by size (undefined: not measurable). */
  readonly chromiumPeakMemoryMb: Readonly<Record<number, number | undefined>>;
  readonly listEvents: { readonly node?: QuerySummary; readonly chromium?: QuerySummary };
  readonly live?: LiveSummary;
}

/** Reads one metric from one repetition; undefined when not measured there. */
function read(rep: RepResult, metric: Metric): number | undefined {
  const { limit, peer, calsyncNode: node, calsyncChromium: chromium } = rep;
  // The limit of a first sync: the fastest request that hands over every object.
  const first = (sample: LimitSample) =>
    Math.min(sample.calendarQuery.ms, sample.calendarQueryAll.ms, sample.syncCollection.ms);
  const values: Record<Metric, number | undefined> = {
    'limit.node.calendarQueryMs': limit.node.calendarQuery.ms,
    'limit.node.calendarQueryAllMs': limit.node.calendarQueryAll.ms,
    'limit.node.syncCollectionMs': limit.node.syncCollection.ms,
    'limit.node.firstMs': first(limit.node),
    'limit.node.noChangeMs': limit.node.noChange.ms,
    'limit.node.incrementalMs': limit.incrementalNode.ms,
    'limit.node.calendarListMs': limit.node.calendarList.ms,
    'limit.chromium.calendarQueryMs': limit.chromium.calendarQuery.ms,
    'limit.chromium.calendarQueryAllMs': limit.chromium.calendarQueryAll.ms,
    'limit.chromium.syncCollectionMs': limit.chromium.syncCollection.ms,
    'limit.chromium.firstMs': first(limit.chromium),
    'limit.chromium.noChangeMs': limit.chromium.noChange.ms,
    'limit.chromium.incrementalMs': limit.incrementalChromium.ms,
    'limit.chromium.calendarListMs': limit.chromium.calendarList.ms,
    'limit.fullResponseMb': limit.node.syncCollection.chars / 1_048_576,
    'peer.initialMs': peer.initial.ms,
    'peer.initialRequests': peer.initial.requests,
    'peer.noChangeMs': peer.noChange.ms,
    'peer.noChangeRequests': peer.noChange.requests,
    'peer.incrementalMs': peer.incremental.ms,
    'peer.incrementalRequests': peer.incremental.requests,
    'node.firstMs': node?.first.ms,
    'node.firstRequests': node?.first.requests,
    'node.stored': node?.first.stored,
    'node.noChangeMs': node?.noChange.ms,
    'node.noChangeRequests': node?.noChange.requests,
    'node.incrementalMs': node?.incremental.ms,
    'node.incrementalRequests': node?.incremental.requests,
    'node.peakHeapGrowthMb': node ? node.first.memory.peakHeapMb - node.first.memory.baselineHeapMb : undefined,
    'node.peakRssMb': node?.first.memory.peakRssMb,
    'node.outboxReplayMs': node?.outbox?.replayMs,
    'node.outboxEditMsPerEdit': node?.outbox ? node.outbox.editMs / Math.max(1, node.outbox.edits) : undefined,
    'node.outboxPushed': node?.outbox?.pushed,
    'node.outboxRequests': node?.outbox?.requests,
    'chromium.firstMs': chromium.first.ms,
    'chromium.firstRequests': chromium.first.requests,
    'chromium.stored': chromium.first.stored,
    'chromium.noChangeMs': chromium.noChange.ms,
    'chromium.noChangeRequests': chromium.noChange.requests,
    'chromium.incrementalMs': chromium.incremental.ms,
    'chromium.incrementalRequests': chromium.incremental.requests,
    'chromium.outboxReplayMs': chromium.outbox?.replayMs,
    'chromium.outboxEditMsPerEdit': chromium.outbox
      ? chromium.outbox.editMs / Math.max(1, chromium.outbox.edits)
      : undefined,
    'chromium.outboxPushed': chromium.outbox?.pushed,
    'chromium.outboxRequests': chromium.outbox?.requests,
    'bare.putMs': rep.barePut?.ms,
    'bare.puts': rep.barePut?.puts,
    'bare.chromium.putMs': rep.barePutChromium?.ms,
    'bare.chromium.puts': rep.barePutChromium?.puts,
    'chromium.coldStartMs': rep.coldStart?.ms,
    'chromium.coldStartFloorMs': rep.coldStart?.floorMs,
  };
  return values[metric];
}

function pooled(reps: readonly QueryRep[], kind: 'month' | 'week') {
  const ms = reps.flatMap((r) => r[kind].ms);
  const occurrences = reps.flatMap((r) => r[kind].occurrences);
  return { ...percentiles(ms), medianOccurrences: figure(occurrences).median };
}

function querySummary(reps: readonly RepResult[], runtime: 'node' | 'chromium'): QuerySummary | undefined {
  const withQueries = reps.filter((r) => r.listEvents?.[runtime]);
  const first = withQueries[0];
  if (!first) return undefined;
  const runs = withQueries.map((r) => r.listEvents?.[runtime]).filter((q): q is QueryRep => q !== undefined);
  return { size: first.size, month: pooled(runs, 'month'), week: pooled(runs, 'week') };
}

const defined = (values: ReadonlyArray<number | undefined>) => values.filter((v): v is number => v !== undefined);

/** Reduces the live phase; pulls come in pairs (one without, one with watchers, either order). */
export function summarizeLive(live: LiveResult): LiveSummary {
  const watched = live.pulls.filter((p) => p.watchers > 0);
  const ratios: number[] = [];
  for (let i = 0; i + 1 < live.pulls.length; i += 2) {
    const pair = [live.pulls[i], live.pulls[i + 1]] as PullTiming[];
    const withW = pair.find((p) => p.watchers > 0);
    const without = pair.find((p) => p.watchers === 0);
    if (withW && without && without.ms > 0) ratios.push(withW.ms / without.ms);
  }
  const watcher = defined(live.edit.samples.map((s) => s.watcherMs));
  const arrival = defined(live.tab.samples.map((s) => s.arrivalMs));
  const { search } = live;
  return {
    size: live.size,
    edit: {
      watcher: percentiles(watcher),
      update: percentiles(live.edit.samples.map((s) => s.updateMs)),
      missed: live.edit.samples.length - watcher.length,
      windowOccurrences: live.edit.windowOccurrences,
      cold: live.edit.warmup?.length ? percentiles(defined(live.edit.warmup.map((s) => s.watcherMs))) : undefined,
    },
    tab: {
      arrival: percentiles(arrival),
      update: percentiles(live.tab.samples.map((s) => s.updateMs)),
      missed: live.tab.samples.length - arrival.length,
      windowOccurrences: live.tab.windowOccurrences,
      visibility: live.tab.visibility.b,
    },
    pull: {
      watchers: live.watchers,
      pairs: ratios.length,
      without: figure(live.pulls.filter((p) => p.watchers === 0).map((p) => p.ms)),
      with: figure(watched.map((p) => p.ms)),
      ratio: figure(ratios),
      calls: watched.reduce((sum, p) => sum + p.calls, 0),
      callsPerPull: figure(watched.map((p) => p.calls)),
      wokenPerPull: figure(watched.map((p) => p.woken)),
      expected: watched.reduce((sum, p) => sum + p.expected, 0),
      missed: watched.reduce((sum, p) => sum + p.missed, 0),
      settled: figure(defined(watched.map((p) => p.settledMs))),
    },
    search: search.available
      ? {
          available: true,
          ...percentiles(search.ms),
          firstMs: search.ms[0] ?? Number.NaN,
          medianResults: figure(search.results).median,
        }
      : { available: false, reason: search.reason },
  };
}

/** Figures per size, pooled query latencies, the Chromium memory runs and the live phase. */
export function summarize(
  reps: readonly RepResult[],
  chromiumMemory: Readonly<Record<number, BrowserFirstSyncTiming>>,
  live?: LiveResult,
): Summary {
  const sizes: Record<number, SizeSummary> = {};
  for (const size of [...new Set(reps.map((r) => r.size))]) {
    const ofSize = reps.filter((r) => r.size === size);
    const summary: SizeSummary = {};
    for (const metric of METRICS) {
      const values = ofSize.map((r) => read(r, metric)).filter((v): v is number => v !== undefined);
      if (values.length > 0) summary[metric] = figure(values);
    }
    sizes[size] = summary;
  }
  const node = querySummary(reps, 'node');
  const chromium = querySummary(reps, 'chromium');
  return {
    sizes,
    chromiumPeakMemoryMb: Object.fromEntries(Object.entries(chromiumMemory).map(([size, m]) => [size, m.peakMemoryMb])),
    listEvents: { ...(node ? { node } : {}), ...(chromium ? { chromium } : {}) },
    ...(live ? { live: summarizeLive(live) } : {}),
  };
}
