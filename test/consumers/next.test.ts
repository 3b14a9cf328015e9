import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChild } from '../helpers/child-process.ts';
import { freePort } from '../helpers/free-port.ts';
import type { RadicaleServer } from '../helpers/radicale.ts';
import { exerciseApp, launchChromium, serveApp } from './browser-app.ts';
import { npmInstall, packPackage, run } from './pack.ts';
import { startCorsRadicale } from './radicale-for-apps.ts';

// A Next.js app (App Router, a client component) that installs the packed @calsync/core,
// with a plain config: `next build`, then `next start`, in real Chromium against Radicale.

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

describe('the packed @calsync/core in a Next.js app', () => {
  let server: RadicaleServer;
  let app: string;
  let port: number;
  let browser: Browser;

  beforeAll(async () => {
    port = await freePort();
    server = await startCorsRadicale(`http://127.0.0.1:${port}`);
    const tarball = await packPackage('packages/core');
    app = await mkdtemp(join(tmpdir(), 'calsync-next-app-'));
    await cp(join(import.meta.dirname, 'apps/next'), app, { recursive: true });
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'next-app',
        private: true,
        dependencies: { '@calsync/core': `file:${tarball}`, next: '^16.4.6', react: '^19.2.0', 'react-dom': '^19.2.0' },
      }),
    );
    await npmInstall(app);
    await run(join(app, 'node_modules/.bin/next'), ['build'], { cwd: app, env, maxBuffer: 16 * 1024 * 1024 });
    browser = await launchChromium();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it('next build + next start: the engine runs in a Worker, syncs, and an offline edit reaches the server', async () => {
    const site = await serveApp(
      join(app, 'node_modules/.bin/next'),
      ['start', '-H', '127.0.0.1', '-p', String(port)],
      app,
      `http://127.0.0.1:${port}/`,
    );
    try {
      const page = await (await browser.newContext()).newPage();
      const result = await exerciseApp(page, `http://127.0.0.1:${port}/`, {
        url: server.url,
        username: 'demo',
        password: 'demo',
        calendarPath: '/demo/work/',
      });
      expect(result.summaries).toContain('Seeded');
      expect(result.workers).toBeGreaterThan(0);
      expect(result.onServer).toContain('Made offline');
    } finally {
      await stopChild(site);
    }
  });
});
