import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';

// An esbuild app that installs the packed @calsync/core. esbuild bundles no workers: the app
// bundles its own one-line worker entry (`import '@calsync/core/worker'`) as a second entry
// point and passes `worker: () => new Worker(…)` — the README's escape hatch.

describe('the packed @calsync/core in an esbuild app (own worker entry)', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('esbuild', { type: 'module', devDependencies: { esbuild: '^0.25.0' } });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('bundled with two entry points: the engine runs in the Worker, syncs, and an offline edit reaches the server', async () => {
    const result = await app.exerciseStaticBuild('esbuild', [
      'main.js',
      'calsync-worker.js',
      '--bundle',
      '--format=esm',
      '--target=es2022',
      '--outdir=dist',
    ]);
    expect(result.summaries).toContain('Seeded');
    expect(result.workers).toBeGreaterThan(0);
    expect(result.onServer).toContain('Made offline');
  });
});
