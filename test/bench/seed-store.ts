/**
 * Writes a bench calendar straight into Radicale's file storage
 * (`collection-root/<user>/<calendar>/<name>.ics` plus `.Radicale.props`), reusing a seeded
 * copy from earlier runs when there is one.
 *
 * Why a reusable copy: Radicale parses every object with vobject the first time it is read
 * (~5 ms each on this kind of machine, ~110 s for 20,000) and keeps the result in the
 * collection's `.Radicale.cache`. A calendar folder copied after that first read carries the
 * cache along, so later runs start warm. The copy is keyed by the generator's source, the
 * size and the anchor day: any change to the data makes a new one. The copy is made of hard
 * links (instant): Radicale replaces files atomically (write + rename) and never writes into
 * an existing one, so the kept copy is never altered by a run.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchObjects, type SeedObject } from './seed-data.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const CACHE_ROOT = join(tmpdir(), 'calsync-bench-seed');
const MARKER = '.calsync-bench-complete';
/** What the kept copy holds besides the files; change it when seed-server.ts warms differently. */
const STORE_FORMAT = 'radicale-3 item cache + history (calendar-query, sync-collection)';

/** A calendar folder ready in the storage, and whether it came warm from the cache. */
export interface SeededCalendar {
  readonly objects: readonly SeedObject[];
  readonly folder: string;
  readonly fromCache: boolean;
  /** Saves the folder (with Radicale's item cache, once Radicale has read it) for later runs. */
  keep(): Promise<void>;
}

/** Fills `folder` with `size` objects centred on `anchor`, from the cache when possible. */
export async function seedCalendarFolder(folder: string, size: number, anchor: Date): Promise<SeededCalendar> {
  const objects = benchObjects({ count: size, anchor });
  const cached = join(CACHE_ROOT, await cacheKey(size, anchor));
  const exists = await stat(join(cached, MARKER)).then(
    () => true,
    () => false,
  );
  await mkdir(dirname(folder), { recursive: true });
  if (exists) {
    await linkTree(cached, folder);
    await rm(join(folder, MARKER));
  } else {
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, '.Radicale.props'),
      JSON.stringify({
        tag: 'VCALENDAR',
        'D:displayname': `Bench ${size}`,
        'ICAL:calendar-color': '#1E88E5FF',
        'C:supported-calendar-component-set': 'VEVENT',
      }),
    );
    // Batches keep the number of open files bounded.
    for (let i = 0; i < objects.length; i += 200) {
      await Promise.all(objects.slice(i, i + 200).map((o) => writeFile(join(folder, o.name), o.ics)));
    }
  }
  return {
    objects,
    folder,
    fromCache: exists,
    async keep() {
      if (exists) return;
      await rm(cached, { recursive: true, force: true });
      await cp(folder, cached, { recursive: true });
      await writeFile(join(cached, MARKER), new Date().toISOString());
    },
  };
}

/** Hash of what determines the stored data: generator sources, warm-up, size, anchor. */
async function cacheKey(size: number, anchor: Date): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['seed-data.ts', '../helpers/ics-builder.ts'].map((f) => join(HERE, f))) {
    hash.update(await readFile(file));
  }
  hash.update(`${STORE_FORMAT}|${size}|${anchor.toISOString()}`);
  return `${size}-${hash.digest('hex').slice(0, 16)}`;
}

/** `cp -Rl` (hard links); a plain recursive copy where that is not available. */
async function linkTree(from: string, to: string): Promise<void> {
  try {
    await promisify(execFile)('cp', ['-Rl', from, to]);
  } catch {
    await rm(to, { recursive: true, force: true });
    await cp(from, to, { recursive: true });
  }
}
