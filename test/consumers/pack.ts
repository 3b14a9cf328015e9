import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

/**
 * Packs a workspace package as an app would receive it (`pnpm pack`: only its `files`, its
 * built `dist/`), into a temp folder. Fails clearly when the package was not built.
 */
export async function packPackage(dir: string): Promise<string> {
  const packageDir = join(ROOT, dir);
  if (!existsSync(join(packageDir, 'dist'))) {
    throw new Error(`${dir}/dist is missing: build it first (npx -y pnpm@10 --filter <package> run build).`);
  }
  const destination = await mkdtemp(join(tmpdir(), 'calsync-pack-'));
  // pnpm's pack writes `workspace:^` ranges (the adapters' peer dependency on core) as the
  // real version range, as `pnpm publish` would; npm pack would leave them uninstallable.
  const { stdout } = await run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', destination], {
    cwd: packageDir,
  });
  const file = stdout.trim().split('\n').pop() ?? '';
  return file.startsWith('/') ? file : join(destination, file);
}

/** Runs `npm install` in an app folder (registry packages from npm's cache when it has them). */
export async function npmInstall(appDir: string): Promise<void> {
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: appDir,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export { ROOT, run };
