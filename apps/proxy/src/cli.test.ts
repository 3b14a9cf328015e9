import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { toProxyUrl } from './proxy-url.ts';
import { type FakeUpstream, startFakeUpstream } from './test-support.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
let child: ChildProcess | undefined;
let upstream: FakeUpstream | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  await upstream?.close();
});

/** Resolves with the first stdout line matching `pattern`. */
function waitForLine(proc: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) resolve(match);
    });
    proc.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${err}`)));
  });
}

it('starts from environment variables and prints its listening URL', async () => {
  upstream = await startFakeUpstream((_req, res) => res.end('from upstream'));
  child = spawn(process.execPath, ['--import', 'tsx', CLI], {
    env: {
      ...process.env,
      CALSYNC_PROXY_CONFIG: '',
      CALSYNC_PROXY_UPSTREAMS: upstream.origin,
      CALSYNC_PROXY_ALLOW_PRIVATE: '1',
      CALSYNC_PROXY_ORIGINS: 'http://localhost:5173',
      PORT: '0',
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, url = ''] = await waitForLine(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const res = await fetch(toProxyUrl(url, `${upstream.origin}/dav/`), { headers: { Origin: 'http://localhost:5173' } });
  expect(await res.text()).toBe('from upstream');
  expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
});

it('exits with an error when no upstream is configured', async () => {
  child = spawn(process.execPath, ['--import', 'tsx', CLI], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  expect(code).toBe(1);
  expect(stderr).toContain('upstreams');
});
