// Builds dist/: ESM JavaScript + .d.ts + source maps with tsc (one output file per source
// file, relative imports rewritten from .ts to .js), then points the Worker URL at the built
// worker. tsc rewrites import specifiers but not the string inside
// `new Worker(new URL('./entry.ts', import.meta.url))`, and bundlers only recognise that
// expression literally, so it is rewritten here — and the build fails if it is not found.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, '../../node_modules/.bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(tsc, ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const file = join(root, 'dist/worker/source.js');
const source = readFileSync(file, 'utf8');
const from = "new URL('./entry.ts', import.meta.url)";
if (!source.includes(from)) throw new Error(`build: ${from} not found in ${file}`);
writeFileSync(file, source.replaceAll(from, "new URL('./entry.js', import.meta.url)"));
