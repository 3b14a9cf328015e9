import { defineConfig } from 'vite';

// What calsync needs in Vite (README "Bundlers"), for the dev server only: Vite pre-bundles
// dependencies into .vite/deps/, where the Worker URL calsync resolves relative to its own
// module does not exist — so calsync is served as it is (exclude), and the dependencies of
// its Worker are pre-bundled up front (include), as the dev server cannot find them by
// scanning an excluded package. Production builds need nothing.
export default defineConfig({
  optimizeDeps: {
    exclude: ['@calsync/core'],
    include: [
      '@calsync/core > comlink',
      '@calsync/core > idb',
      '@calsync/core > ical.js',
      '@calsync/core > saxes',
      '@calsync/core > timezones-ical-library',
      '@calsync/core > tsdav',
    ],
  },
});
