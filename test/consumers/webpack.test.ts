import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './browser-app.ts';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';
import { run } from './pack.ts';

// A webpack 5 app that installs the packed @calsync/core, with a plain production config,
// in real Chromium against a real Radicale.

describe('the packed @calsync/core in a webpack 5 app', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('webpack', {
      type: 'module',
      devDependencies: { webpack: '^5.101.0', 'webpack-cli': '^6.0.1' },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('production build: the engine runs in a Worker, syncs, and an offline edit reaches the server', async () => {
    await run(join(app.dir, 'node_modules/.bin/webpack'), ['--config', 'webpack.config.js'], { cwd: app.dir });
    await copyFile(join(app.dir, 'index.html'), join(app.dir, 'dist/index.html'));
    const site = await serveStatic(join(app.dir, 'dist'), app.port);
    try {
      const result = await app.exercise();
      expect(result.summaries).toContain('Seeded');
      expect(result.workers).toBeGreaterThan(0);
      expect(result.onServer).toContain('Made offline');
    } finally {
      await site.close();
    }
  });
});
