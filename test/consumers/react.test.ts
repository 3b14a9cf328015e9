import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';
import { checkLiveRendering } from './live-rendering.ts';
import { exerciseViteApp } from './vite-app.ts';

// A React app (the README example of packages/react) that installs the packed @calsync/core
// and @calsync/react, bundled by Vite, in real Chromium against a real Radicale: it passes
// the checks of every app, and its rendered week and status line follow the replica live.

describe('the packed @calsync/react in a Vite app', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('react', {
      type: 'module',
      adapters: ['react'],
      dependencies: { react: '^19.3.1', 'react-dom': '^19.3.1' },
      devDependencies: { vite: '^8.3.8' },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('production build: passes the app checks, and follows the replica live', async () => {
    await exerciseViteApp(app, 'build', (tag) => checkLiveRendering(app, `Rendered live${tag}`));
  });

  it('dev server: the same, served unbundled', async () => {
    await exerciseViteApp(app, 'dev', (tag) => checkLiveRendering(app, `Rendered live${tag}`));
  });
});
