// Generates the demo's service worker with Workbox after `vite build`: precaches the app
// shell (HTML, JS incl. the calsync Worker, CSS, icons) so the demo starts offline.
import { generateSW } from 'workbox-build';

const { count, size, warnings } = await generateSW({
  globDirectory: 'dist',
  globPatterns: ['**/*.{html,js,css,svg,webmanifest}'],
  globIgnores: ['**/*.map', 'sw.js', 'workbox-*.js'],
  swDest: 'dist/sw.js',
  navigateFallback: '/index.html',
  // The app asks the user before activating a new version (workbox-window prompt).
  skipWaiting: false,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  sourcemap: false,
  mode: 'production',
  inlineWorkboxRuntime: true,
});
for (const warning of warnings) console.warn(warning);
console.info(`service worker precaches ${count} files, ${Math.round(size / 1024)} KiB`);
