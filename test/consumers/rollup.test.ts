import { copyFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.ts';
import type { RadicaleServer } from '../helpers/radicale.ts';
import { exerciseApp, launchChromium, serveStatic } from './browser-app.ts';
import { npmInstall, packPackage, run } from './pack.ts';
import { startCorsRadicale } from './radicale-for-apps.ts';

// A Rollup app that installs the packed @calsync/core. Rollup bundles no workers: the app
// bundles its own one-line worker entry (`import '@calsync/core/worker'`) as a second input
// and passes `worker: () => new Worker(…)` — the README's escape hatch.

describe('the packed @calsync/core in a Rollup app (own worker entry)', () => {
  let server: RadicaleServer;
  let app: string;
  let port: number;
  let browser: Browser;

  beforeAll(async () => {
    port = await freePort();
    server = await startCorsRadicale(`http://127.0.0.1:${port}`);
    const tarball = await packPackage('packages/core');
    app = await mkdtemp(join(tmpdir(), 'calsync-rollup-app-'));
    await cp(join(import.meta.dirname, 'apps/rollup'), app, { recursive: true });
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'rollup-app',
        private: true,
        type: 'module',
        dependencies: { '@calsync/core': `file:${tarball}` },
        devDependencies: {
          rollup: '^4.68.8',
          '@rollup/plugin-node-resolve': '^16.0.3',
          '@rollup/plugin-commonjs': '^29.0.3',
        },
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

  it('bundled with two inputs: the engine runs in the Worker, syncs, and an offline edit reaches the server', async () => {
    await run(join(app, 'node_modules/.bin/rollup'), ['--config', 'rollup.config.mjs'], { cwd: app });
    await copyFile(join(app, 'index.html'), join(app, 'dist/index.html'));
    const site = await serveStatic(join(app, 'dist'), port);
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
      await site.close();
    }
  });
});
