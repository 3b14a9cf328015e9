import { defineConfig } from 'vite';

// The Vite app's setting (README "Bundlers"), unchanged: the adapter needs nothing more.
// For the dev server only: calsync is served as it is (its Worker URL must resolve), and
// the dependencies of its Worker are pre-bundled up front. Production builds need nothing.
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
