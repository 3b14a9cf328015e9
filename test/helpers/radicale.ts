import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitForHttp } from './child-process.ts';
import { freePort } from './free-port.ts';

/** A Radicale server started for a test run: loopback only, temp storage, plain htpasswd. */
export interface RadicaleServer {
  /** Base URL, e.g. `http://127.0.0.1:40123/` (the DAV root). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Users and passwords that can log in. */
  readonly users: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface StartRadicaleOptions {
  users?: Record<string, string>;
  /** Extra `[headers]` lines, e.g. CORS headers. */
  headers?: Record<string, string>;
  /** Keep this folder instead of a fresh temp folder (the demo uses it to persist data). */
  dir?: string;
  /** Listen on this port instead of a free one. */
  port?: number;
}

/**
 * Starts the Debian `radicale` on a free 127.0.0.1 port with a temp folder and an explicit
 * config (never /etc/radicale/config), and resolves once it answers HTTP.
 */
export async function startRadicale(options: StartRadicaleOptions = {}): Promise<RadicaleServer> {
  const users = options.users ?? { alice: 'alice-password', bob: 'bob-password' };
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'calsync-radicale-')));
  await mkdir(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const htpasswd = join(dir, 'users');
  await writeFile(
    htpasswd,
    Object.entries(users)
      .map(([user, password]) => `${user}:${password}\n`)
      .join(''),
  );
  const headerLines = Object.entries(options.headers ?? {}).map(([k, v]) => `${k} = ${v}`);
  const config = [
    '[server]',
    `hosts = 127.0.0.1:${port}`,
    '[auth]',
    'type = htpasswd',
    `htpasswd_filename = ${htpasswd}`,
    'htpasswd_encryption = plain',
    'delay = 0',
    '[rights]',
    'type = owner_only',
    '[storage]',
    `filesystem_folder = ${join(dir, 'collections')}`,
    '[logging]',
    'level = warning',
    '[web]',
    'type = none',
    '[headers]',
    ...headerLines,
    '',
  ].join('\n');
  const configFile = join(dir, 'config');
  await writeFile(configFile, config);
  const child = spawn('radicale', ['-C', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp('radicale', url, child, () => stderr);
  const ownsDir = options.dir === undefined;
  return {
    url,
    port,
    dir,
    users,
    async stop() {
      await stopChild(child);
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
