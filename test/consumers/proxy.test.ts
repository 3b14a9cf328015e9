import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DavTestClient } from '../helpers/dav-client.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { npmInstall, packPackage, run } from './pack.ts';

// The packed @calsync/proxy installed in a fresh folder and run as its users would:
// `node_modules/.bin/calsync-proxy --config proxy.json`, plain Node, no TypeScript loader.

const APP_ORIGIN = 'https://app.example.com';
const PASSWORD = 'proxy-consumer-secret';
const AUTH = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;

/** The running CLI, with everything it printed so far. */
interface Cli {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

function startCli(bin: string, args: string[], cwd: string): Cli {
  const child = spawn(bin, args, { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return { child, stdout: () => out, stderr: () => err };
}

/** Resolves with the first stdout JSON log line satisfying `match`; rejects if the CLI exits first. */
function waitForLog(cli: Cli, match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      for (const line of cli.stdout().split('\n')) {
        if (line.trim() === '') continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (match(entry)) {
          cli.child.stdout?.off('data', check);
          cli.child.off('exit', onExit);
          resolve(entry);
          return true;
        }
      }
      return false;
    };
    const onExit = (code: number | null): void =>
      reject(new Error(`calsync-proxy exited (${code}): ${cli.stderr()}\n${cli.stdout()}`));
    if (check()) return;
    cli.child.stdout?.on('data', check);
    cli.child.once('exit', onExit);
  });
}

describe('the packed @calsync/proxy, run with plain Node', () => {
  let radicale: RadicaleServer;
  let app: string;
  let bin: string;
  let cli: Cli | undefined;

  beforeAll(async () => {
    radicale = await startRadicale({ users: { alice: PASSWORD } });
    await new DavTestClient(radicale.url, 'alice', PASSWORD).makeCalendar('/alice/cal/', 'Cal');
    const tarball = await packPackage('apps/proxy');
    app = await mkdtemp(join(tmpdir(), 'calsync-proxy-app-'));
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'proxy-app', private: true, dependencies: { '@calsync/proxy': `file:${tarball}` } }),
    );
    await npmInstall(app);
    await writeFile(
      join(app, 'proxy.json'),
      JSON.stringify({
        upstreams: [{ origin: new URL(radicale.url).origin, allowPrivate: true }],
        allowedOrigins: [APP_ORIGIN],
      }),
    );
    bin = join(app, 'node_modules/.bin/calsync-proxy');
  }, 180_000);

  afterAll(async () => {
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
      const exited = once(cli.child, 'exit');
      cli.child.kill('SIGKILL');
      await exited;
    }
    await radicale?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it('installs built JavaScript with an executable bin', async () => {
    const manifest = JSON.parse(await readFile(join(app, 'node_modules/@calsync/proxy/package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ 'calsync-proxy': './dist/cli.js' });
    expect(manifest.exports['.'].default).toBe('./dist/index.js');
    const cliJs = join(app, 'node_modules/@calsync/proxy/dist/cli.js');
    expect((await readFile(cliJs, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(cliJs)).mode & 0o111).not.toBe(0);
  });

  it('prints its usage with --help and exits 0', async () => {
    const { stdout } = await run(bin, ['--help'], { cwd: app });
    expect(stdout).toMatch(/^Usage: calsync-proxy/);
    expect(stdout).toContain('--config <file>');
    expect(stdout).toContain('CALSYNC_PROXY_UPSTREAMS');
  });

  it('refuses an unknown option with exit 2 and the usage', async () => {
    const failure = await run(bin, ['--no-such-flag'], { cwd: app }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain("Unknown option '--no-such-flag'");
    expect(failure?.stderr).toContain('Usage: calsync-proxy');
  });

  it('serves /healthz, proxies to Radicale, logs JSON without credentials, stops on SIGTERM', async () => {
    const started = startCli(bin, ['--config', 'proxy.json', '--port', '0'], app);
    cli = started;
    const listening = await waitForLog(started, (entry) => typeof entry.url === 'string');
    const base = String(listening.url);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const target = `${base}/http/${new URL(radicale.url).host}/alice/`;
    const propfind = await fetch(target, {
      method: 'PROPFIND',
      headers: { Origin: APP_ORIGIN, Authorization: AUTH, Depth: '1', 'Content-Type': 'application/xml' },
    });
    expect(propfind.status).toBe(207);
    expect(propfind.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(await propfind.text()).toContain('/alice/cal/');

    const noOrigin = await fetch(target, { method: 'PROPFIND', headers: { Authorization: AUTH, Depth: '0' } });
    expect(noOrigin.status).toBe(403);
    await noOrigin.text();

    const logged = await waitForLog(started, (entry) => entry.msg === 'request' && entry.status === 207);
    expect(logged).toMatchObject({ level: 'info', method: 'PROPFIND', upstream: new URL(radicale.url).origin });
    expect(typeof logged.time).toBe('string');
    expect(typeof logged.durationMs).toBe('number');
    await waitForLog(started, (entry) => entry.msg === 'request' && entry.status === 403);

    const exited = once(started.child, 'exit');
    started.child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });

    const output = started.stdout() + started.stderr();
    expect(output).not.toContain(AUTH);
    expect(output).not.toContain(AUTH.slice('Basic '.length));
    expect(output).not.toContain(PASSWORD);
    for (const line of started.stdout().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
