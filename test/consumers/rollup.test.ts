import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';

// A Rollup app that installs the packed @calsync/core. Rollup bundles no workers: the app
// bundles its own one-line worker entry (`import '@calsync/core/worker'`) as a second input
// and passes `worker: () => new Worker(…)` — the README's escape hatch.

describe('the packed @calsync/core in a Rollup app (own worker entry)', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('rollup', {
      type: 'module',
      devDependencies: {
        rollup: '^4.68.8',
        '@rollup/plugin-node-resolve': '^16.0.3',
        '@rollup/plugin-commonjs': '^29.0.3',
      },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('bundled with two inputs: the engine runs in the Worker, syncs, and an offline edit reaches the server', async () => {
    const result = await app.exerciseStaticBuild('rollup', ['--config', 'rollup.config.mjs']);
    expect(result.summaries).toContain('Seeded');
    expect(result.workers).toBeGreaterThan(0);
    expect(result.onServer).toContain('Made offline');
  });
});
