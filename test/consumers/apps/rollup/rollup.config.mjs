// Rollup bundles no workers: the app's own worker entry is a second input, next to main.js.
// node-resolve (browser builds of dependencies) and commonjs (tsdav's CommonJS dependencies)
// are what any Rollup app of npm packages needs; nothing calsync-specific.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: ['main.js', 'calsync-worker.js'],
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true }), commonjs()],
};
