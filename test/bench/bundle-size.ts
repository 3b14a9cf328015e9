/**
 * Bundle sizes of the demo as shipped: a production Vite build of apps/demo (its own
 * vite.config.ts: minified, the SDK from source) into a temp folder — apps/demo/dist is left
 * alone — then each JavaScript chunk's raw and gzip size (zlib, level 9).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '../../apps/demo');

/** One built chunk. */
export interface ChunkSize {
  readonly file: string;
  /** What it is, from its name: the page entry, the Worker, … */
  readonly role:
    | 'main-thread entry'
    | 'worker client (main thread, lazy)'
    | 'worker'
    | 'in-thread engine (lazy)'
    | 'shared by worker client and engine'
    | 'other';
  readonly bytes: number;
  readonly gzipBytes: number;
}

function roleOf(file: string): ChunkSize['role'] {
  if (/^index-.*\.js$/.test(file)) return 'main-thread entry';
  // Chunks are named after their entry file: worker/client.ts and worker/entry.ts since 0.3
  // (worker/worker-client.ts and worker.ts before).
  if (/^(worker-)?client-.*\.js$/.test(file)) return 'worker client (main thread, lazy)';
  if (/^(worker|entry)-.*\.js$/.test(file)) return 'worker';
  if (/^engine-.*\.js$/.test(file)) return 'in-thread engine (lazy)';
  if (/^packed-.*\.js$/.test(file)) return 'shared by worker client and engine';
  return 'other';
}

/** Builds the demo and measures its JavaScript chunks. */
export async function measureBundles(): Promise<ChunkSize[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'calsync-bench-demo-'));
  try {
    await build({
      root: DEMO,
      configFile: join(DEMO, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    const assets = join(outDir, 'assets');
    const files = (await readdir(assets)).filter((f) => f.endsWith('.js')).sort();
    return Promise.all(
      files.map(async (file) => {
        const content = await readFile(join(assets, file));
        return { file, role: roleOf(file), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
      }),
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
