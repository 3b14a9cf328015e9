import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';

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
    const result = await app.exerciseStaticBuild('webpack', ['--config', 'webpack.config.js']);
    expect(result.summaries).toContain('Seeded');
    expect(result.workers).toBeGreaterThan(0);
    expect(result.onServer).toContain('Made offline');
  });
});
