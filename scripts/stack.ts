import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProxyServer } from '../apps/proxy/src/index.ts';
import { freePort } from '../test/helpers/free-port.ts';
import { startRadicale } from '../test/helpers/radicale.ts';
import { DEMO_USER, seedDemo } from './seed.ts';
import { serveDemo } from './serve-demo.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

async function isSeeded(serverUrl: string): Promise<boolean> {
  const auth = `Basic ${Buffer.from(`${DEMO_USER.username}:${DEMO_USER.password}`).toString('base64')}`;
  const response = await fetch(new URL('/demo/work/', serverUrl), {
    method: 'PROPFIND',
    headers: { Authorization: auth, Depth: '0' },
  });
  await response.text();
  return response.status === 207;
}

/** The running demo stack: Radicale (seeded) → proxy → demo app. */
export interface DemoStack {
  readonly radicaleUrl: string;
  readonly proxyUrl: string;
  readonly demoUrl: string;
  readonly seeded: number;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Port of the demo page (default: a free port). The proxy allows exactly this origin. */
  demoPort?: number;
  proxyPort?: number;
  /** Keep Radicale's data here (default: a temp folder, removed on stop). */
  dataDir?: string;
  radicalePort?: number;
}

/**
 * Starts the whole demo on loopback: a Radicale with the demo account and seeded
 * calendars, the CORS proxy allowing only that Radicale and only the demo's origin, and
 * the built demo app. Requires `apps/demo/dist` (run the demo build first).
 */
export async function startStack(options: StackOptions = {}): Promise<DemoStack> {
  const dist = join(ROOT, 'apps/demo/dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('apps/demo/dist is missing: build the demo first.');
  const radicale = await startRadicale({
    users: { [DEMO_USER.username]: DEMO_USER.password, other: 'other-password' },
    ...(options.dataDir ? { dir: options.dataDir } : {}),
    ...(options.radicalePort ? { port: options.radicalePort } : {}),
  });
  let seeded = 0;
  try {
    // A kept data folder is seeded once; delete it to start over with fresh demo data.
    if (!(await isSeeded(radicale.url))) seeded = await seedDemo(radicale.url);
  } catch (error) {
    await radicale.stop();
    throw error;
  }
  const demoPort = options.demoPort ?? (await freePort());
  const demoOrigin = `http://127.0.0.1:${demoPort}`;
  const proxy = await startProxyServer(
    {
      upstreams: [{ origin: new URL(radicale.url).origin, allowPrivate: true }],
      allowedOrigins: [demoOrigin, `http://localhost:${demoPort}`],
    },
    { port: options.proxyPort ?? 0 },
  );
  const demo = await serveDemo(
    dist,
    { proxyUrl: proxy.url, serverUrl: radicale.url, username: DEMO_USER.username, password: DEMO_USER.password },
    demoPort,
  );
  return {
    radicaleUrl: radicale.url,
    proxyUrl: proxy.url,
    demoUrl: demo.url,
    seeded,
    async stop() {
      demo.server.closeAllConnections();
      await new Promise((r) => demo.server.close(r));
      await proxy.close();
      await radicale.stop();
    },
  };
}
