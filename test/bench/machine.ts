/** Where and with what the bench ran: recorded next to every result. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, loadavg, release, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromiumVersion } from './calsync-browser.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** The machine. */
export interface MachineInfo {
  readonly hostname: string;
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGb: number;
  /** 1-minute load average when the bench started (other work on the machine skews figures). */
  readonly loadAverage: number;
  readonly node: string;
  readonly chromium: string;
}

/** Versions of what was measured. */
export interface VersionInfo {
  readonly radicale: string;
  readonly tsdav: string;
  readonly playwright: string;
  readonly calsync: {
    readonly version: string;
    readonly commit: string;
    /** Files under packages/core that differ from the commit (the SDK measured is the working tree). */
    readonly uncommittedCoreFiles: number;
  };
}

const version = async (path: string) => (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;

/** Reads the machine's description. */
export async function machineInfo(): Promise<MachineInfo> {
  const cpu = cpus();
  return {
    hostname: hostname(),
    os: `${type()} ${release()}`,
    arch: arch(),
    cpuModel: cpu[0]?.model ?? 'unknown',
    cpuCount: cpu.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    loadAverage: loadavg()[0] ?? 0,
    node: process.version,
    chromium: await chromiumVersion().catch(() => 'unknown'),
  };
}

/** Reads the versions (git, packages, `radicale --version`). */
export async function versionInfo(): Promise<VersionInfo> {
  const git = async (...args: string[]) => (await run('git', args, { cwd: ROOT }).catch(() => ({ stdout: '' }))).stdout;
  return {
    radicale: (await run('radicale', ['--version']).catch(() => ({ stdout: 'unknown' }))).stdout.trim(),
    tsdav: await version(join(ROOT, 'node_modules/tsdav/package.json')),
    playwright: await version(join(ROOT, 'node_modules/@playwright/test/package.json')),
    calsync: {
      version: await version(join(ROOT, 'packages/core/package.json')),
      commit: (await git('rev-parse', 'HEAD')).trim() || 'unknown',
      uncommittedCoreFiles: (await git('status', '--porcelain', '--', 'packages/core')).split('\n').filter(Boolean)
        .length,
    },
  };
}
