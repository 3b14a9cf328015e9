/** Command-line options of `npm run bench` (run.ts). */
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** What to run. */
export interface BenchOptions {
  /** Calendar sizes (objects), ascending. */
  readonly sizes: readonly number[];
  /** Repetitions per figure (median, min, max are reported). */
  readonly reps: number;
  /** `listEvents` windows per kind (month, week) on the largest calendar. */
  readonly queries: number;
  /** Local edits replayed by the outbox figure (and PUTs of the bare loop). */
  readonly outboxEdits: number;
  /** The outbox figure runs on sizes up to this (Radicale's PUT slows down with collection size). */
  readonly outboxMaxSize: number;
  /** calsync in Node (fake-indexeddb) runs on sizes up to this (it grows worse than linearly). */
  readonly nodeMaxSize: number;
  /** Live queries (largest size, Chromium): edits timed from `updateEvent` to the watcher, per loop. */
  readonly liveEdits: number;
  /** Pairs of timed pulls without / with 20 open watchers. */
  readonly livePulls: number;
  /** `searchEvents` queries. */
  readonly searchQueries: number;
  /** Where the JSON record goes. */
  readonly out: string;
}

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');

const USAGE = `usage: tsx test/bench/run.ts [--sizes 1000,5000,20000] [--reps 5] [--queries 50]
       [--outbox-edits 500] [--outbox-max-size 1000] [--node-max-size 20000]
       [--live-edits 30] [--live-pulls 3] [--search-queries 200] [--out file.json]
(--live-edits defaults to min(30, outbox-edits / 2), --search-queries to min(200, 20 × queries))`;

/** Parses `argv` (without node and script); throws with the usage text on bad input. */
export function parseBenchArgs(argv: readonly string[], now = new Date()): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '1000,5000,20000' },
      reps: { type: 'string', default: '5' },
      queries: { type: 'string', default: '50' },
      'outbox-edits': { type: 'string', default: '500' },
      'outbox-max-size': { type: 'string', default: '1000' },
      'node-max-size': { type: 'string', default: '20000' },
      'live-edits': { type: 'string' },
      'live-pulls': { type: 'string', default: '3' },
      'search-queries': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const positive = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"\n${USAGE}`);
    return n;
  };
  const sizes = values.sizes
    .split(',')
    .map((s) => positive('sizes', s.trim()))
    .sort((a, b) => a - b);
  const queries = positive('queries', values.queries);
  const outboxEdits = positive('outbox-edits', values['outbox-edits']);
  return {
    sizes: [...new Set(sizes)],
    reps: positive('reps', values.reps),
    queries,
    outboxEdits,
    outboxMaxSize: positive('outbox-max-size', values['outbox-max-size']),
    nodeMaxSize: positive('node-max-size', values['node-max-size']),
    // Smaller runs (the smoke) get fewer live samples unless asked.
    liveEdits:
      values['live-edits'] === undefined
        ? Math.min(30, Math.ceil(outboxEdits / 2))
        : positive('live-edits', values['live-edits']),
    livePulls: positive('live-pulls', values['live-pulls']),
    searchQueries:
      values['search-queries'] === undefined
        ? Math.min(200, 20 * queries)
        : positive('search-queries', values['search-queries']),
    out: values.out ?? join(RESULTS, `${now.toISOString().slice(0, 10)}-${hostname()}.json`),
  };
}
