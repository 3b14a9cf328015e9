import { join } from 'node:path';
import { expect } from 'vitest';
import { stopChild } from '../helpers/child-process.ts';
import { serveApp } from './browser-app.ts';
import type { ConsumerApp } from './consumer-app.ts';
import { run } from './pack.ts';

/** How a Vite app is served: its production build (`vite preview`) or its dev server. */
export type ViteMode = 'build' | 'dev';

/**
 * Serves a Vite consumer app in `mode` on its port, runs the checks every app passes
 * (`exercise`: the engine in a Worker, a sync, an offline edit that reaches the server),
 * then the app's own `check` while it is still served; `tag` tells the two modes' data apart.
 */
export async function exerciseViteApp(
  app: ConsumerApp,
  mode: ViteMode,
  check: (tag: string) => Promise<void> = async () => undefined,
): Promise<void> {
  const vite = join(app.dir, 'node_modules/.bin/vite');
  if (mode === 'build') await run(vite, ['build'], { cwd: app.dir });
  const server = await serveApp(
    vite,
    [...(mode === 'build' ? ['preview'] : []), '--host', '127.0.0.1', '--port', String(app.port), '--strictPort'],
    app.dir,
    app.url,
  );
  const tag = mode === 'build' ? '' : ' (dev server)';
  try {
    const result = await app.exercise(`Made offline${tag}`);
    expect(result.summaries).toContain('Seeded');
    expect(result.workers).toBeGreaterThan(0);
    expect(result.onServer).toContain(`Made offline${tag}`);
    await check(tag);
  } finally {
    await stopChild(server);
  }
}
