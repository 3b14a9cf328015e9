import { defineConfig } from 'vite';

// What calsync needs in Vite (README "Bundlers"), for the dev server only — the same as for
// @calsync/core alone: calsync is served as it is (its Worker URL is relative to its own
// module), and its Worker's dependencies are pre-bundled up front. @calsync/lit needs no
// entry: pre-bundled, it keeps importing the excluded @calsync/core (one copy, one
// CalsyncError class). Production builds need nothing.
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
