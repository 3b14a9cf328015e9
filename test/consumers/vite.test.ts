import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChild } from '../helpers/child-process.ts';
import { freePort } from '../helpers/free-port.ts';
import type { RadicaleServer } from '../helpers/radicale.ts';
import { exerciseApp, launchChromium, serveApp } from './browser-app.ts';
import { npmInstall, packPackage } from './pack.ts';
import { startCorsRadicale } from './radicale-for-apps.ts';

// A Vite app that installs the packed @calsync/core, with no calsync-specific config: its
// production build (served by `vite preview`) and its dev server, in real Chromium against
// a real Radicale (with CORS headers for the app's origin).

describe('the packed @calsync/core in a Vite app', () => {
  let server: RadicaleServer;
  let app: string;
  let port: number;
  let browser: Browser;

  beforeAll(async () => {
    port = await freePort();
    server = await startCorsRadicale(`http://127.0.0.1:${port}`);
    const tarball = await packPackage('packages/core');
    app = await mkdtemp(join(tmpdir(), 'calsync-vite-app-'));
    await cp(join(import.meta.dirname, 'apps/vite'), app, { recursive: true });
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'vite-app',
        private: true,
        type: 'module',
        dependencies: { '@calsync/core': `file:${tarball}` },
        devDependencies: { vite: '^8.3.8' },
      }),
    );
    await npmInstall(app);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  const target = () => ({ url: server.url, username: 'demo', password: 'demo', calendarPath: '/demo/work/' });

  it('production build: the engine runs in a Worker, syncs, and an offline edit reaches the server', async () => {
    const { run } = await import('./pack.ts');
    await run(join(app, 'node_modules/.bin/vite'), ['build'], { cwd: app });
    const preview = await serveApp(
      join(app, 'node_modules/.bin/vite'),
      ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      app,
      `http://127.0.0.1:${port}/`,
    );
    try {
      const page = await (await browser.newContext()).newPage();
      const result = await exerciseApp(page, `http://127.0.0.1:${port}/`, target());
      expect(result.summaries).toContain('Seeded');
      expect(result.workers).toBeGreaterThan(0);
      expect(result.onServer).toContain('Made offline');
    } finally {
      await stopChild(preview);
    }
  });

  it('dev server: the same, served unbundled', async () => {
    const dev = await serveApp(
      join(app, 'node_modules/.bin/vite'),
      ['--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      app,
      `http://127.0.0.1:${port}/`,
    );
    try {
      const page = await (await browser.newContext()).newPage();
      const result = await exerciseApp(page, `http://127.0.0.1:${port}/`, target(), 'Made offline (dev server)');
      expect(result.summaries).toContain('Seeded');
      expect(result.workers).toBeGreaterThan(0);
      expect(result.onServer).toContain('Made offline (dev server)');
    } finally {
      await stopChild(dev);
    }
  });

  it('dev server without that setting: createCalendarSync() fails at once with code worker (never hangs)', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'calsync-vite-bare-'));
    await cp(app, bare, { recursive: true, verbatimSymlinks: true });
    await rm(join(bare, 'vite.config.js'));
    await rm(join(bare, 'node_modules/.vite'), { recursive: true, force: true });
    const dev = await serveApp(
      join(bare, 'node_modules/.bin/vite'),
      ['--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      bare,
      `http://127.0.0.1:${port}/`,
    );
    try {
      const page = await (await browser.newContext()).newPage();
      const started = Date.now();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => document.querySelector('#status')?.textContent !== 'starting');
      expect(await page.locator('#status').textContent()).toMatch(/^failed: worker .*workerUrl/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await stopChild(dev);
      await rm(bare, { recursive: true, force: true });
    }
  });
});
