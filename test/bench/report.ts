/**
 * The Markdown report: sync figures side by side (limit, tsdav, calsync in Node and in
 * Chromium, each calsync figure also as a ratio to the limit of the same runtime and to
 * tsdav), `listEvents` latencies, outbox replay, memory, bundle sizes, and the targets of
 * issue 4 with the measured value.
 */
import type { ChunkSize } from './bundle-size.ts';
import type { BenchResults } from './results.ts';
import type { Figure } from './stats.ts';
import type { Metric, SizeSummary, Summary } from './summary.ts';

const num = (x: number) =>
  Number.isNaN(x) ? 'n/a' : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');

/** `median (min–max)`, or just the value when all repetitions agree. */
function cell(f: Figure | undefined): string {
  if (!f) return '–';
  if (f.min === f.max) return num(f.median);
  return `${num(f.median)} (${num(f.min)}–${num(f.max)})`;
}

/** Like {@link cell}, for counts (requests, objects). */
function count(f: Figure | undefined): string {
  if (!f) return '–';
  const n = (x: number) => String(Math.round(x));
  return f.min === f.max ? n(f.median) : `${n(f.median)} (${n(f.min)}–${n(f.max)})`;
}

/** `a ÷ b` of medians as `1.9×`. */
function ratio(a: Figure | undefined, b: Figure | undefined): string {
  if (!a || !b || b.median === 0) return '–';
  return `${(a.median / b.median).toFixed(a.median / b.median < 10 ? 2 : 1)}×`;
}

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

/** Sync metrics that exist for both calsync runtimes. */
type SyncMetric =
  | 'firstMs'
  | 'firstRequests'
  | 'noChangeMs'
  | 'noChangeRequests'
  | 'incrementalMs'
  | 'incrementalRequests';

function syncTable(summary: Summary): string[] {
  const lines = [
    '### Sync (ms, median (min–max); ratios are calsync ÷ limit of the same runtime and calsync ÷ tsdav)',
    '',
    row([
      'size',
      'figure',
      'limit Node',
      'limit Chromium',
      'tsdav (Node)',
      'calsync Node',
      '÷ limit',
      '÷ tsdav',
      'calsync Chromium',
      '÷ limit',
      '÷ tsdav',
    ]),
    row(Array.from({ length: 11 }, () => '---')),
  ];
  const one: Figure = { median: 1, min: 1, max: 1, samples: [1] };
  for (const [size, s] of Object.entries(summary.sizes) as Array<[string, SizeSummary]>) {
    const timed = (
      label: string,
      limit: 'firstMs' | 'noChangeMs' | 'incrementalMs',
      calsync: SyncMetric,
      peer: Metric,
    ) =>
      row([
        size,
        label,
        cell(s[`limit.node.${limit}`]),
        cell(s[`limit.chromium.${limit}`]),
        cell(s[peer]),
        cell(s[`node.${calsync}`]),
        ratio(s[`node.${calsync}`], s[`limit.node.${limit}`]),
        ratio(s[`node.${calsync}`], s[peer]),
        cell(s[`chromium.${calsync}`]),
        ratio(s[`chromium.${calsync}`], s[`limit.chromium.${limit}`]),
        ratio(s[`chromium.${calsync}`], s[peer]),
      ]);
    const requests = (label: string, calsync: SyncMetric, peer: Metric) =>
      row([
        size,
        label,
        count(one),
        count(one),
        count(s[peer]),
        count(s[`node.${calsync}`]),
        '',
        ratio(s[`node.${calsync}`], s[peer]),
        count(s[`chromium.${calsync}`]),
        '',
        ratio(s[`chromium.${calsync}`], s[peer]),
      ]);
    lines.push(
      timed('first sync', 'firstMs', 'firstMs', 'peer.initialMs'),
      requests('↳ requests', 'firstRequests', 'peer.initialRequests'),
      timed('no-change sync', 'noChangeMs', 'noChangeMs', 'peer.noChangeMs'),
      requests('↳ requests', 'noChangeRequests', 'peer.noChangeRequests'),
      row([
        size,
        '↳ server time of calsync’s calendar-list PROPFIND',
        cell(s['limit.node.calendarListMs']),
        cell(s['limit.chromium.calendarListMs']),
        ...Array.from({ length: 7 }, () => ''),
      ]),
      timed('incremental (10 changes)', 'incrementalMs', 'incrementalMs', 'peer.incrementalMs'),
      requests('↳ requests', 'incrementalRequests', 'peer.incrementalRequests'),
    );
  }
  return lines;
}

function queryTable(summary: Summary): string[] {
  const lines = [
    '### listEvents (ms, pooled over all repetitions; Chromium timed in the page, Worker round trip included)',
    '',
    row(['runtime', 'size', 'window', 'p50', 'p95', 'max', 'queries', 'occurrences (median)']),
    row(Array.from({ length: 8 }, () => '---')),
  ];
  for (const runtime of ['chromium', 'node'] as const) {
    const q = summary.listEvents[runtime];
    if (!q) continue;
    for (const kind of ['month', 'week'] as const) {
      const p = q[kind];
      lines.push(
        row([
          runtime === 'node' ? 'Node' : 'Chromium',
          String(q.size),
          kind,
          num(p.p50),
          num(p.p95),
          num(p.max),
          String(p.count),
          num(p.medianOccurrences),
        ]),
      );
    }
  }
  return lines;
}

function outboxTable(summary: Summary): string[] {
  const lines = [
    '### Outbox replay (N × `updateEvent` with auto-sync off, then one timed `sync()`) vs a bare serial PUT loop in the same runtime',
    '',
    row([
      'size',
      'runtime',
      'edits pushed',
      'updateEvent ms/edit',
      'replay ms',
      'requests',
      'replay rate /s',
      'bare PUT rate /s',
      'calsync ÷ bare rate',
    ]),
    row(Array.from({ length: 9 }, () => '---')),
  ];
  for (const [size, s] of Object.entries(summary.sizes) as Array<[string, SizeSummary]>) {
    for (const runtime of ['chromium', 'node'] as const) {
      const bare = runtime === 'node' ? s['bare.putMs'] : s['bare.chromium.putMs'];
      const puts = runtime === 'node' ? s['bare.puts'] : s['bare.chromium.puts'];
      const bareRate = bare && puts ? (puts.median / bare.median) * 1000 : Number.NaN;
      const replay = s[`${runtime}.outboxReplayMs`];
      const pushed = s[`${runtime}.outboxPushed`];
      if (!replay || !pushed) continue;
      const rate = (pushed.median / replay.median) * 1000;
      lines.push(
        row([
          size,
          runtime === 'node' ? 'Node' : 'Chromium',
          count(pushed),
          cell(s[`${runtime}.outboxEditMsPerEdit`]),
          cell(replay),
          count(s[`${runtime}.outboxRequests`]),
          num(rate),
          num(bareRate),
          Number.isNaN(bareRate) ? '–' : `${Math.round((rate / bareRate) * 100)}%`,
        ]),
      );
    }
  }
  return lines;
}

function memoryTable(summary: Summary): string[] {
  const lines = [
    '### Peak memory during the first sync (MB)',
    '',
    row(['size', 'Node heap growth (fake-indexeddb data included)', 'Node process RSS', 'Chromium page + Worker JS']),
    row(['---', '---', '---', '---']),
  ];
  for (const [size, s] of Object.entries(summary.sizes) as Array<[string, SizeSummary]>) {
    lines.push(
      row([
        size,
        cell(s['node.peakHeapGrowthMb']),
        cell(s['node.peakRssMb']),
        num(summary.chromiumPeakMemoryMb[Number(size)] ?? Number.NaN),
      ]),
    );
  }
  return lines;
}

function bundleTable(bundles: readonly ChunkSize[]): string[] {
  const kb = (b: number) => (b / 1024).toFixed(1);
  return [
    '### Bundle sizes (demo production build; gzip level 9)',
    '',
    row(['file', 'role', 'minified KB', 'gzip KB']),
    row(['---', '---', '---', '---']),
    ...bundles.map((b) => row([b.file, b.role, kb(b.bytes), kb(b.gzipBytes)])),
  ];
}

/** Latency targets of the live-query issue: p95 in ms. */
export const LIVE_TARGETS = { edit: 16, tab: 50, search: 20 } as const;

function liveTable(summary: Summary): string[] {
  const live = summary.live;
  if (!live) return [];
  const mark = (p95: number, target: number) => (Number.isNaN(p95) ? 'n/a' : p95 <= target ? 'met' : '**not met**');
  const samples = (n: number, missed: number) => (missed > 0 ? `${n} (+${missed} missed)` : String(n));
  const { edit, tab, pull, search } = live;
  const callRatio = (a: number, b: number) => (b > 0 && !Number.isNaN(a) ? `${(a / b).toFixed(1)}×` : '–');
  const lines = [
    `### Live queries (Chromium, engine in its Worker, ${live.size} events; latencies in ms, timed in the page)`,
    '',
    row(['figure', 'p50', 'p95', 'max', 'samples', 'baseline in the same run', 'target', '']),
    row(Array.from({ length: 8 }, () => '---')),
    row([
      `\`updateEvent\` → month watcher called with it, same page (${edit.windowOccurrences} occurrences)`,
      num(edit.watcher.p50),
      num(edit.watcher.p95),
      num(edit.watcher.max),
      samples(edit.watcher.count, edit.missed),
      `the \`updateEvent\` call: p50 ${num(edit.update.p50)}, p95 ${num(edit.update.p95)} (watcher ÷ call at p50: ${callRatio(edit.watcher.p50, edit.update.p50)})` +
        (edit.cold
          ? `; before them, the session's first ${edit.cold.count} edits (warm-up, cold code): p50 ${num(edit.cold.p50)}, max ${num(edit.cold.max)}`
          : ''),
      `p95 ≤ ${LIVE_TARGETS.edit}`,
      mark(edit.watcher.p95, LIVE_TARGETS.edit),
    ]),
    row([
      `edit in tab A → tab B's month watcher (own Worker, same database${tab.visibility === 'visible' ? '' : `; B ${tab.visibility}`})`,
      num(tab.arrival.p50),
      num(tab.arrival.p95),
      num(tab.arrival.max),
      samples(tab.arrival.count, tab.missed),
      `A's \`updateEvent\` call: p50 ${num(tab.update.p50)}, p95 ${num(tab.update.p95)} (arrival ÷ call at p50: ${callRatio(tab.arrival.p50, tab.update.p50)})`,
      `p95 ≤ ${LIVE_TARGETS.tab}`,
      mark(tab.arrival.p95, LIVE_TARGETS.tab),
    ]),
    search.available
      ? row([
          '`searchEvents` (limit 50), 1–3 word prefixes from the calendar’s summaries and descriptions',
          num(search.p50),
          num(search.p95),
          num(search.max),
          String(search.count),
          `first query ${num(search.firstMs)}; ${num(search.medianResults)} results (median)`,
          `p95 ≤ ${LIVE_TARGETS.search}`,
          mark(search.p95, LIVE_TARGETS.search),
        ])
      : row([
          '`searchEvents` (limit 50), 1–3 word prefixes from the calendar’s summaries and descriptions',
          'n/a',
          'n/a',
          'n/a',
          '0',
          `not available: ${search.reason}`,
          `p95 ≤ ${LIVE_TARGETS.search}`,
          'n/a',
        ]),
    '',
    `Pull of the other client's 10 changes (timed \`sync()\`), without and with ${pull.watchers} month watchers spread over the calendar, alternating (${pull.pairs} pair(s)):`,
    '',
    row([
      'watchers open',
      'sync ms',
      'with ÷ without (median of pairs)',
      'watcher calls',
      'watchers woken per pull',
      'had to wake (missed)',
      'sync called → last watcher call, ms',
    ]),
    row(Array.from({ length: 7 }, () => '---')),
    row(['0', cell(pull.without), '', '', '', '', '']),
    row([
      String(pull.watchers),
      cell(pull.with),
      pull.ratio.samples.length === 0
        ? '–'
        : pull.ratio.min === pull.ratio.max
          ? `${pull.ratio.median.toFixed(2)}×`
          : `${pull.ratio.median.toFixed(2)}× (${pull.ratio.min.toFixed(2)}–${pull.ratio.max.toFixed(2)})`,
      `${pull.calls} (${count(pull.callsPerPull)} per pull)`,
      count(pull.wokenPerPull),
      `${pull.expected} (${pull.missed})`,
      cell(pull.settled),
    ]),
  ];
  return lines;
}

/** One target of issue 4: what was measured and whether it is met (`undefined`: not measured). */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** The targets of issue 4 against this run. */
export function checkTargets(summary: Summary, bundles: readonly ChunkSize[]): TargetCheck[] {
  const sizes = Object.keys(summary.sizes)
    .map(Number)
    .sort((a, b) => a - b);
  const smallest = sizes[0];
  const largest = sizes[sizes.length - 1];
  const at = (size: number | undefined) => (size === undefined ? undefined : summary.sizes[size]);
  const med = (f: Figure | undefined) => f?.median ?? Number.NaN;
  const checks: TargetCheck[] = [];
  const ref = at(5000) ? 5000 : largest;
  const s = at(ref);
  if (s) {
    const vsLimit = med(s['chromium.firstMs']) / med(s['limit.chromium.firstMs']);
    // calsync's first sync is one calendar-query (VCALENDAR filter): addAccount's listing is reused.
    const ownRequests = med(s['limit.chromium.calendarQueryAllMs']);
    checks.push({
      target: `first sync of ${ref} in Chromium ≤ 2× limit`,
      measured:
        `${vsLimit.toFixed(1)}× (${num(med(s['chromium.firstMs']))} vs ${num(med(s['limit.chromium.firstMs']))} ms; ` +
        `the server's time for calsync's own request is ${num(ownRequests)} ms)`,
      met: vsLimit <= 2,
    });
    const vsPeer = med(s['peer.initialMs']) / med(s['chromium.firstMs']);
    checks.push({
      target: `first sync of ${ref} in Chromium ≥ 3× faster than tsdav`,
      measured: `tsdav ÷ calsync = ${vsPeer.toFixed(2)} (tsdav ${num(med(s['peer.initialMs']))} ms)`,
      met: vsPeer >= 3,
    });
  }
  const small = at(smallest);
  const big = at(largest);
  if (small && big && smallest !== largest && smallest !== undefined && largest !== undefined) {
    const perObject = (x: SizeSummary, size: number) => med(x['chromium.firstMs']) / size;
    const growth = perObject(big, largest) / perObject(small, smallest);
    checks.push({
      target: `first sync grows linearly (${smallest} → ${largest}), per-object cost within 1.5×`,
      measured: `${(perObject(small, smallest) * 1000).toFixed(0)} → ${(perObject(big, largest) * 1000).toFixed(0)} µs/object (${growth.toFixed(2)}×); peak memory ${num(summary.chromiumPeakMemoryMb[smallest] ?? Number.NaN)} → ${num(summary.chromiumPeakMemoryMb[largest] ?? Number.NaN)} MB`,
      met: growth <= 1.5,
    });
    const calsyncGrowth = med(big['chromium.incrementalMs']) / med(small['chromium.incrementalMs']);
    const serverGrowth = med(big['limit.chromium.incrementalMs']) / med(small['limit.chromium.incrementalMs']);
    checks.push({
      target: `incremental sync independent of size (${smallest} → ${largest}; the server's own growth is the floor)`,
      measured: `calsync ${num(med(small['chromium.incrementalMs']))} → ${num(med(big['chromium.incrementalMs']))} ms (${calsyncGrowth.toFixed(1)}×), server ${serverGrowth.toFixed(1)}×; ${count(big['chromium.incrementalRequests'])} requests`,
      met: calsyncGrowth <= serverGrowth * 1.2 && med(big['chromium.incrementalRequests']) <= 5,
    });
  }
  if (big && largest !== undefined) {
    const requests = med(big['chromium.noChangeRequests']);
    const vsServer = med(big['chromium.noChangeMs']) / med(big['limit.chromium.noChangeMs']);
    const vsList = med(big['chromium.noChangeMs']) / med(big['limit.chromium.calendarListMs']);
    checks.push({
      target: 'no-change sync ≤ 1 request per calendar + 1, and ≤ 1.2× the server’s no-change answer',
      measured:
        `${requests} request(s) for 1 calendar; ${vsServer.toFixed(2)}× at ${largest} ` +
        `(${vsList.toFixed(2)}× the server's time for that request, the calendar-list PROPFIND)`,
      met: requests <= 2 && vsServer <= 1.2,
    });
  }
  if (big && largest !== undefined && big['chromium.coldStartMs'] && big['chromium.coldStartFloorMs']) {
    const vsFloor = med(big['chromium.coldStartMs']) / med(big['chromium.coldStartFloorMs']);
    checks.push({
      target: `cold start on ${largest} stored events ≤ 2× a bare getAll of them (Chromium)`,
      measured: `${vsFloor.toFixed(1)}× (${num(med(big['chromium.coldStartMs']))} vs ${num(med(big['chromium.coldStartFloorMs']))} ms)`,
      met: vsFloor <= 2,
    });
  }
  const q = summary.listEvents.chromium;
  if (q) {
    checks.push({
      target: 'listEvents month window p95 ≤ 10 ms on 20,000 events in the Worker',
      measured: `p95 ${num(q.month.p95)} ms on ${q.size} events`,
      met: q.size >= 20_000 ? q.month.p95 <= 10 : undefined,
    });
  }
  for (const size of sizes) {
    const x = at(size);
    const replay = x?.['chromium.outboxReplayMs'];
    const pushed = x?.['chromium.outboxPushed'];
    const bare = x?.['bare.chromium.putMs'];
    const puts = x?.['bare.chromium.puts'];
    if (!replay || !pushed || !bare || !puts) continue;
    const share = pushed.median / replay.median / (puts.median / bare.median);
    checks.push({
      target: `outbox replay ≥ 80% of the bare PUT loop's rate (${size}, Chromium)`,
      measured: `${Math.round(share * 100)}%`,
      met: share >= 0.8,
    });
  }
  const worker = bundles.filter((b) => b.role === 'worker').reduce((sum, b) => sum + b.gzipBytes, 0);
  checks.push({
    target: 'Worker < 150 KB gzip',
    measured: `${(worker / 1024).toFixed(1)} KB`,
    met: bundles.length > 0 ? worker < 150 * 1024 : undefined,
  });
  return checks;
}

/** Cold start on the stored replica, beside its floor (records before issue 13 have none). */
function coldStartTable(summary: Summary): string[] {
  const sizes = Object.keys(summary.sizes)
    .map(Number)
    .sort((a, b) => a - b)
    .filter((size) => summary.sizes[size]?.['chromium.coldStartMs']);
  if (sizes.length === 0) return [];
  return [
    '### Cold start (Chromium: a new tab on the stored replica; ms, median (min–max))',
    '',
    row([
      'size',
      '`createCalendarSync` → first month `listEvents`',
      'floor: bare `getAll` of the stored objects',
      '÷ floor',
    ]),
    row(['---', '---', '---', '---']),
    ...sizes.map((size) => {
      const s = summary.sizes[size] as SizeSummary;
      return row([
        String(size),
        cell(s['chromium.coldStartMs']),
        cell(s['chromium.coldStartFloorMs']),
        ratio(s['chromium.coldStartMs'], s['chromium.coldStartFloorMs']),
      ]);
    }),
    '',
  ];
}

/** The whole report. */
export function renderReport(results: BenchResults, summary: Summary): string {
  const { machine, versions, options } = results;
  const targets = checkTargets(summary, results.bundles);
  const mark = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'met' : '**not met**');
  return [
    `## calsync bench — ${results.date}`,
    '',
    `${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, ${machine.chromium}; ` +
      `Radicale ${versions.radicale}, tsdav ${versions.tsdav}, calsync ${versions.calsync.version} @ ${versions.calsync.commit.slice(0, 9)}` +
      (versions.calsync.uncommittedCoreFiles > 0
        ? ` + ${versions.calsync.uncommittedCoreFiles} uncommitted file(s) in packages/core`
        : '') +
      `. Sizes ${options.sizes.join(', ')}; ${options.reps} repetition(s); load average ${machine.loadAverage.toFixed(2)} at start, ${results.loadAverageAtEnd.toFixed(2)} at end; ${Math.round(results.durationMs / 60_000)} min.`,
    '',
    ...syncTable(summary),
    '',
    ...queryTable(summary),
    '',
    ...coldStartTable(summary),
    ...outboxTable(summary),
    '',
    ...memoryTable(summary),
    '',
    ...bundleTable(results.bundles),
    '',
    ...(summary.live ? [...liveTable(summary), ''] : []),
    '### Targets (issue 4)',
    '',
    row(['target', 'measured', '']),
    row(['---', '---', '---']),
    ...targets.map((t) => row([t.target, t.measured, mark(t.met)])),
    ...(results.notes.length > 0 ? ['', '### Notes', '', ...results.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}
