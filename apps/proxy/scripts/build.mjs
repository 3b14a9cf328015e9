// Builds dist/: ESM JavaScript + .d.ts + source maps with tsc (one output file per source
// file, relative imports rewritten from .ts to .js). dist/cli.js keeps the source's
// `#!/usr/bin/env node` line; npm makes the bin executable when it installs the package.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, '../../node_modules/.bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(tsc, ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const cli = join(root, 'dist/cli.js');
if (!readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')) throw new Error(`build: ${cli} has no shebang`);
chmodSync(cli, 0o755);
