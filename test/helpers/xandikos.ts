import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitForHttp } from './child-process.ts';
import { freePort } from './free-port.ts';

/** A Xandikos server for a test run: loopback only, temp git-backed storage, no auth. */
export interface XandikosServer {
  /** Base URL, e.g. `http://127.0.0.1:40123/` (the DAV root; the principal is `/user/`). */
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

/**
 * Starts the Debian `xandikos` on a free 127.0.0.1 port with a temp folder. It has no
 * authentication (any credentials are accepted); the principal is `/user/`, the calendar
 * home `/user/calendars/` (created on first use by `--autocreate`).
 */
export async function startXandikos(): Promise<XandikosServer> {
  const dir = await mkdtemp(join(tmpdir(), 'calsync-xandikos-'));
  const port = await freePort();
  const child = spawn(
    'xandikos',
    ['--autocreate', '-d', dir, '-l', '127.0.0.1', '-p', String(port), '--current-user-principal', '/user/'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Xandikos logs every request to stderr: keep only the tail for error messages.
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp('xandikos', url, child, () => stderr);
  return {
    url,
    dir,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
