import { defineConfig } from 'vite';

export default defineConfig({
  // Use @calsync/core from source (its exports map has a "source" condition), so the
  // demo needs no separate build step of the SDK.
  resolve: { conditions: ['source', 'module', 'browser', 'default'] },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
