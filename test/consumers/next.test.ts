import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChild } from '../helpers/child-process.ts';
import { serveApp } from './browser-app.ts';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';
import { run } from './pack.ts';

// A Next.js app (App Router, a client component) that installs the packed @calsync/core,
// with a plain config: `next build`, then `next start`, in real Chromium against Radicale.

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

describe('the packed @calsync/core in a Next.js app', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('next', {
      dependencies: { next: '^16.4.6', react: '^19.2.0', 'react-dom': '^19.2.0' },
    });
    await run(join(app.dir, 'node_modules/.bin/next'), ['build'], { cwd: app.dir, env, maxBuffer: 16 * 1024 * 1024 });
  }, 400_000);

  afterAll(async () => {
    await app?.close();
  });

  it('next build + next start: the engine runs in a Worker, syncs, and an offline edit reaches the server', async () => {
    const site = await serveApp(
      join(app.dir, 'node_modules/.bin/next'),
      ['start', '-H', '127.0.0.1', '-p', String(app.port)],
      app.dir,
      app.url,
    );
    try {
      const result = await app.exercise();
      expect(result.summaries).toContain('Seeded');
      expect(result.workers).toBeGreaterThan(0);
      expect(result.onServer).toContain('Made offline');
    } finally {
      await stopChild(site);
    }
  });
});
