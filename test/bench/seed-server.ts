/**
 * The bench's own Radicale: one user and one calendar per size (so that an account holds
 * exactly one calendar), seeded by writing the `.ics` files straight into Radicale's
 * storage before it starts (PUTting 20,000 objects takes minutes; see seed-store.ts), with
 * CORS headers for the bench page's origin. Verifies with a calendar-query REPORT that
 * Radicale serves every object, which also warms its item cache before anything is timed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRadicale } from '../helpers/radicale.ts';
import { type BenchCalendar, report } from './dav.ts';
import { CALENDAR_QUERY_BODY, countResponses, syncCollectionBody } from './report-request.ts';
import type { SeedObject } from './seed-data.ts';
import { type SeededCalendar, seedCalendarFolder } from './seed-store.ts';

/** A running, seeded Radicale. */
export interface BenchServer {
  readonly url: string;
  readonly calendars: ReadonlyMap<number, BenchCalendar>;
  /** The seeded objects of each size, for picking edits. */
  readonly objects: ReadonlyMap<number, readonly SeedObject[]>;
  /** Milliseconds spent writing files, and for the first (cache-building) REPORT of each size. */
  readonly seedMs: number;
  readonly warmMs: Readonly<Record<number, number>>;
  /** Whether each calendar came from an earlier run's seeded copy (Radicale cache warm). */
  readonly fromCache: Readonly<Record<number, boolean>>;
  stop(): Promise<void>;
}

/** Options of {@link startBenchServer}. */
export interface BenchServerOptions {
  readonly sizes: readonly number[];
  /** Day the data is centred on. */
  readonly anchor: Date;
  /** Origin allowed by CORS (the bench page), e.g. `http://127.0.0.1:41234`. */
  readonly pageOrigin: string;
}

const PASSWORD = 'bench-password';
const CALENDAR = 'calendar';

/** User name of the account that holds the calendar of `size` objects. */
export const userFor = (size: number) => `bench${size}`;

/**
 * Writes the calendars, starts Radicale on a free loopback port and checks each calendar:
 * a calendar-query REPORT and a sync-collection must both list exactly `size` objects.
 * What that first read builds in Radicale's cache is kept for later runs (seed-store.ts).
 */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const dir = await mkdtemp(join(tmpdir(), 'calsync-bench-'));
  const seeded = new Map<number, SeededCalendar>();
  const seedStarted = performance.now();
  try {
    for (const size of options.sizes) {
      const folder = join(dir, 'collections', 'collection-root', userFor(size), CALENDAR);
      seeded.set(size, await seedCalendarFolder(folder, size, options.anchor));
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const seedMs = performance.now() - seedStarted;
  const users = Object.fromEntries(options.sizes.map((size) => [userFor(size), PASSWORD]));
  const radicale = await startRadicale({
    dir,
    users,
    headers: {
      'Access-Control-Allow-Origin': options.pageOrigin,
      'Access-Control-Allow-Methods': 'GET, PUT, DELETE, OPTIONS, PROPFIND, REPORT',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Depth, If-Match, If-None-Match, Prefer',
      'Access-Control-Expose-Headers': 'ETag',
      'Access-Control-Max-Age': '600',
      // The bench page is cross-origin isolated (for measureUserAgentSpecificMemory).
      'Cross-Origin-Resource-Policy': 'cross-origin',
    },
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const calendars = new Map<number, BenchCalendar>();
  const warmMs: Record<number, number> = {};
  try {
    for (const size of options.sizes) {
      const calendar: BenchCalendar = {
        serverUrl: radicale.url,
        url: new URL(`/${userFor(size)}/${CALENDAR}/`, radicale.url).toString(),
        username: userFor(size),
        password: PASSWORD,
        size,
      };
      // The first full REPORT builds Radicale's item cache, the first sync-collection its
      // per-item history (~1 ms per object, 25 s for 20,000): neither belongs in a figure.
      const started = performance.now();
      const queried = countResponses(await report(calendar, CALENDAR_QUERY_BODY, '1'));
      const listed = countResponses(await report(calendar, syncCollectionBody('', false), '0'));
      warmMs[size] = performance.now() - started;
      if (queried !== size || listed !== size) {
        throw new Error(
          `Radicale serves ${queried} (lists ${listed}) of the ${size} objects seeded for ${calendar.url}`,
        );
      }
      await seeded.get(size)?.keep();
      calendars.set(size, calendar);
    }
  } catch (error) {
    await radicale.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: radicale.url,
    calendars,
    objects: new Map([...seeded].map(([size, s]) => [size, s.objects])),
    seedMs,
    warmMs,
    fromCache: Object.fromEntries([...seeded].map(([size, s]) => [size, s.fromCache])),
    async stop() {
      await radicale.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
