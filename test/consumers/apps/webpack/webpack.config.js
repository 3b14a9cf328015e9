// A plain webpack 5 production build. Nothing calsync-specific: webpack bundles
// `new Worker(new URL('./entry.js', import.meta.url), { type: 'module' })` (in
// @calsync/core's dist/worker/source.js) as it finds it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  entry: './main.js',
  output: { path: join(here, 'dist'), filename: 'main.js', clean: true },
};
