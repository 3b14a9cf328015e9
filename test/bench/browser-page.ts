/**
 * The bench page: test/bench/browser built with Vite (production build, the SDK from source
 * like the demo, its engine in a module Worker) into a temp folder, served on loopback with
 * cross-origin isolation headers so that `performance.measureUserAgentSpecificMemory` is
 * available. Radicale allows this origin by CORS; there is no proxy in the way.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { freePort } from '../helpers/free-port.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The served page. */
export interface BenchPage {
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** Builds the page (a few seconds) and serves it on a free port; `minify: false` keeps names for profiles. */
export async function startBenchPage(options: { minify?: boolean } = {}): Promise<BenchPage> {
  const outDir = await mkdtemp(join(tmpdir(), 'calsync-bench-page-'));
  try {
    await build({
      root: join(HERE, 'browser'),
      configFile: false,
      logLevel: 'warn',
      resolve: { conditions: ['source', 'module', 'browser', 'default'] },
      worker: { format: 'es' },
      build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: false, minify: options.minify ?? true },
    });
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(outDir, path === '/' ? 'index.html' : path));
    const info = file.startsWith(outDir) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
