import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChild } from '../helpers/child-process.ts';
import { serveApp } from './browser-app.ts';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';
import { exerciseViteApp } from './vite-app.ts';

// A Vite app that installs the packed @calsync/core, with no calsync-specific config: its
// production build (served by `vite preview`) and its dev server, in real Chromium against
// a real Radicale (with CORS headers for the app's origin).

describe('the packed @calsync/core in a Vite app', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('vite', { type: 'module', devDependencies: { vite: '^8.3.8' } });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  const serve = (dir: string, args: string[]) =>
    serveApp(
      join(dir, 'node_modules/.bin/vite'),
      [...args, '--host', '127.0.0.1', '--port', String(app.port), '--strictPort'],
      dir,
      app.url,
    );

  it('production build: the engine runs in a Worker, syncs, and an offline edit reaches the server', async () => {
    await exerciseViteApp(app, 'build');
  });

  it('dev server: the same, served unbundled', async () => {
    await exerciseViteApp(app, 'dev');
  });

  it('dev server without that setting: createCalendarSync() fails at once with code worker (never hangs)', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'calsync-vite-bare-'));
    await cp(app.dir, bare, { recursive: true, verbatimSymlinks: true });
    await rm(join(bare, 'vite.config.js'));
    await rm(join(bare, 'node_modules/.vite'), { recursive: true, force: true });
    const dev = await serve(bare, []);
    try {
      const page = await (await app.browser.newContext()).newPage();
      const started = Date.now();
      await page.goto(app.url);
      await page.waitForFunction(() => document.querySelector('#status')?.textContent !== 'starting');
      expect(await page.locator('#status').textContent()).toMatch(/^failed: worker .*workerUrl/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await stopChild(dev);
      await rm(bare, { recursive: true, force: true });
    }
  });
});
