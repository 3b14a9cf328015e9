/**
 * `npm run bench`: measures calsync against the server's own time (the limit) and tsdav
 * (the peer) on calendars of 1,000 / 5,000 / 20,000 events, in Node and in Chromium, and
 * prints a Markdown report; the raw figures go to test/bench/results/<date>-<host>.json.
 * Fails only when something crashes or a check of the data fails, never on a timing.
 * See test/bench/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseBenchArgs } from './args.ts';
import { startBenchPage } from './browser-page.ts';
import { measureBundles } from './bundle-size.ts';
import type { BrowserFirstSyncTiming } from './calsync-browser.ts';
import { RemoteEditor } from './changes.ts';
import { liveNotes, measureLive } from './live-run.ts';
import { machineInfo, versionInfo } from './machine.ts';
import { renderReport } from './report.ts';
import type { BenchResults, LiveResult, RepResult } from './results.ts';
import { measureChromiumMemory, runRep } from './run-rep.ts';
import { startBenchServer } from './seed-server.ts';
import { summarize } from './summary.ts';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const options = parseBenchArgs(process.argv.slice(2));
const startedAt = new Date();
const started = performance.now();
const anchor = new Date(Date.UTC(startedAt.getUTCFullYear(), startedAt.getUTCMonth(), 1));
const notes: string[] = [];
const largest = options.sizes[options.sizes.length - 1] ?? 0;
const largestNode = Math.max(0, ...options.sizes.filter((s) => s <= options.nodeMaxSize));
for (const size of options.sizes) {
  if (size > options.nodeMaxSize) {
    notes.push(
      `calsync in Node (fake-indexeddb) not run at ${size} (--node-max-size ${options.nodeMaxSize}): Node listEvents figures are on ${largestNode || 'no'} events.`,
    );
  }
  if (size > options.outboxMaxSize) {
    notes.push(
      `outbox replay not run at ${size} (--outbox-max-size ${options.outboxMaxSize}): Radicale's PUT slows down with collection size (~20 ms at 1,000, ~65 ms at 5,000, ~230 ms at 20,000 per PUT here).`,
    );
  }
}

const [machine, versions] = await Promise.all([machineInfo(), versionInfo()]);
log(`building the demo for bundle sizes`);
const bundles = await measureBundles();
log(`building the bench page`);
const page = await startBenchPage();
log(`seeding ${options.sizes.join(', ')} events`);
const server = await startBenchServer({ sizes: options.sizes, anchor, pageOrigin: page.origin }).catch(
  async (error: unknown) => {
    await page.close();
    throw error;
  },
);
for (const size of options.sizes) {
  if (!server.fromCache[size]) {
    log(
      `${size}: cold seed, Radicale built its caches in ${Math.round(server.warmMs[size] ?? 0)} ms (kept for later runs)`,
    );
  }
}
const reps: RepResult[] = [];
const chromiumMemory: Record<number, BrowserFirstSyncTiming> = {};
let live: LiveResult | undefined;
try {
  for (const size of options.sizes) {
    const calendar = server.calendars.get(size);
    const seeded = server.objects.get(size);
    if (!calendar || !seeded) throw new Error(`no calendar of ${size}`);
    const editor = new RemoteEditor(calendar, seeded, anchor);
    for (let rep = 1; rep <= options.reps; rep++) {
      const result = await runRep({
        calendar,
        rep,
        anchor,
        pageUrl: page.url,
        editor,
        node: size <= options.nodeMaxSize,
        queriesNode: size === largestNode,
        queriesChromium: size === largest,
        queries: options.queries,
        outboxEdits: size <= options.outboxMaxSize ? options.outboxEdits : 0,
        log: (message) => log(`${size} #${rep}: ${message}`),
      });
      for (const [runtime, first] of [
        ['Node', result.calsyncNode?.first],
        ['Chromium', result.calsyncChromium.first],
      ] as const) {
        if (first && first.stored !== size)
          notes.push(`${size} #${rep}: calsync ${runtime} stored ${first.stored} of ${size} objects.`);
      }
      reps.push(result);
    }
    chromiumMemory[size] = await measureChromiumMemory(page.url, calendar, anchor);
    log(`${size}: Chromium peak memory ${chromiumMemory[size].peakMemoryMb ?? 'n/a'} MB`);
    if (size === largest) {
      // Once, in a session of its own, after everything else of this size (its pulls move the server on).
      live = await measureLive({
        pageUrl: page.url,
        calendar,
        anchor,
        editor,
        edits: options.liveEdits,
        pulls: options.livePulls,
        searchQueries: options.searchQueries,
        log: (message) => log(`${size} live: ${message}`),
      });
      notes.push(...liveNotes(live));
    }
  }
} finally {
  await server.stop();
  await page.close();
}

const summary = summarize(reps, chromiumMemory, live);
const results: BenchResults = {
  date: startedAt.toISOString(),
  anchor: anchor.toISOString(),
  options,
  machine,
  versions,
  seed: { writeMs: server.seedMs, warmMs: server.warmMs, fromCache: server.fromCache },
  bundles,
  reps,
  chromiumMemory,
  ...(live ? { live } : {}),
  notes,
  durationMs: performance.now() - started,
  loadAverageAtEnd: loadavg()[0] ?? 0,
};
await mkdir(dirname(options.out), { recursive: true });
await writeFile(options.out, `${JSON.stringify({ ...results, summary }, null, 2)}\n`);
console.info(renderReport(results, summary));
log(`done in ${Math.round(results.durationMs / 1000)} s; raw figures in ${options.out}`);
