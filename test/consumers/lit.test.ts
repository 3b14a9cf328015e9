import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';
import { checkLiveRendering } from './live-rendering.ts';
import { exerciseViteApp } from './vite-app.ts';

// A Lit app (the README example of packages/lit, in plain JavaScript) that installs the
// packed @calsync/core and @calsync/lit, bundled by Vite, in real Chromium against a real
// Radicale: it passes the checks of every app, and the week and status line its element
// renders (in its shadow root) follow the replica live through the two controllers.

describe('the packed @calsync/lit in a Vite app', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('lit', {
      type: 'module',
      adapters: ['lit'],
      dependencies: { lit: '^3.3.3' },
      devDependencies: { vite: '^8.3.8' },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('production build: passes the app checks, and follows the replica live', async () => {
    await exerciseViteApp(app, 'build', (tag) =>
      checkLiveRendering(app, `Rendered live${tag}`, { host: 'week-agenda' }),
    );
  });

  it('dev server: the same, served unbundled', async () => {
    await exerciseViteApp(app, 'dev', (tag) => checkLiveRendering(app, `Rendered live${tag}`, { host: 'week-agenda' }));
  });
});
