import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, PROXY_DEFAULTS, type ProxyConfig, resolveConfig } from './config.ts';
import { ProxyConfigError } from './errors.ts';

describe('resolveConfig', () => {
  it('normalizes origins and fills in defaults', () => {
    const resolved = resolveConfig({
      upstreams: [
        { origin: 'https://CalDAV.Example.com:443' },
        { origin: 'http://127.0.0.1:5232', allowPrivate: true },
      ],
      allowedOrigins: ['https://App.example.com/'],
    });
    expect([...resolved.upstreams]).toEqual([
      ['https://caldav.example.com', { allowPrivate: false }],
      ['http://127.0.0.1:5232', { allowPrivate: true }],
    ]);
    expect([...resolved.allowedOrigins]).toEqual(['https://app.example.com']);
    expect(resolved.maxRequestBytes).toBe(PROXY_DEFAULTS.maxRequestBytes);
    expect(resolved.timeoutMs).toBe(30_000);
    expect(resolved.requireOrigin).toBe(true);
    expect(resolved.maxBufferedRequestBytes).toBe(64 * 1024 * 1024);
    expect(resolved.requestBodyTimeoutMs).toBe(30_000);
    expect(resolved.upstreamDeadlineMs).toBe(120_000);
  });

  it('refuses a requireOrigin that is not a boolean, as JSON could give', () => {
    const config = { upstreams: [{ origin: 'https://x.example' }], allowedOrigins: [], requireOrigin: 'false' };
    expect(() => resolveConfig(config as unknown as ProxyConfig)).toThrow(/requireOrigin: expected true or false/);
  });

  it('keeps requireOrigin: false, the switch for non-browser callers', () => {
    const resolved = resolveConfig({
      upstreams: [{ origin: 'https://x.example' }],
      allowedOrigins: [],
      requireOrigin: false,
    });
    expect(resolved.requireOrigin).toBe(false);
  });

  it.each([
    [{ upstreams: [], allowedOrigins: [] }, /at least one/],
    [{ upstreams: [{ origin: 'https://x.example/dav/' }], allowedOrigins: [] }, /scheme:\/\/host/],
    [{ upstreams: [{ origin: 'https://u:p@x.example' }], allowedOrigins: [] }, /scheme:\/\/host/],
    [{ upstreams: [{ origin: 'ftp://x.example' }], allowedOrigins: [] }, /not http/],
    [{ upstreams: [{ origin: 'https://x.example' }], allowedOrigins: ['*'] }, /"\*"/],
    [{ upstreams: [{ origin: 'https://x.example' }], allowedOrigins: [], timeoutMs: 0 }, /timeoutMs/],
    [
      { upstreams: [{ origin: 'https://x.example' }], allowedOrigins: [], requestBodyTimeoutMs: -1 },
      /requestBodyTimeoutMs/,
    ],
    [
      { upstreams: [{ origin: 'https://x.example' }], allowedOrigins: [], upstreamDeadlineMs: 2 ** 31 },
      /upstreamDeadlineMs/,
    ],
    [
      { upstreams: [{ origin: 'https://x.example' }], allowedOrigins: [], maxBufferedRequestBytes: 0 },
      /maxBufferedRequestBytes/,
    ],
    [
      {
        upstreams: [{ origin: 'https://x.example' }],
        allowedOrigins: [],
        maxRequestBytes: 2048,
        maxBufferedRequestBytes: 1024,
      },
      /maxBufferedRequestBytes: must be at least maxRequestBytes/,
    ],
  ])('rejects %j', (config, message) => {
    expect(() => resolveConfig(config)).toThrow(ProxyConfigError);
    expect(() => resolveConfig(config)).toThrow(message);
  });
});

describe('loadConfig', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function file(content: string): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'calsync-proxy-config-'));
    const path = join(dir, 'proxy.json');
    await writeFile(path, content);
    return path;
  }

  it('reads a JSON file named by CALSYNC_PROXY_CONFIG', async () => {
    const path = await file(
      JSON.stringify({
        upstreams: [{ origin: 'https://caldav.example.com' }],
        allowedOrigins: ['https://app'],
        timeoutMs: 5,
      }),
    );
    const config = await loadConfig({ env: { CALSYNC_PROXY_CONFIG: path } });
    expect(config).toEqual({
      upstreams: [{ origin: 'https://caldav.example.com' }],
      allowedOrigins: ['https://app'],
      timeoutMs: 5,
    });
  });

  it('lets environment lists replace the file ones', async () => {
    const path = await file(
      JSON.stringify({ upstreams: [{ origin: 'https://a.example' }], allowedOrigins: ['https://x'] }),
    );
    const config = await loadConfig({
      path,
      env: {
        CALSYNC_PROXY_UPSTREAMS: 'http://127.0.0.1:5232, https://b.example',
        CALSYNC_PROXY_ALLOW_PRIVATE: '1',
        CALSYNC_PROXY_ORIGINS: 'http://localhost:5173',
      },
    });
    expect(config.upstreams).toEqual([
      { origin: 'http://127.0.0.1:5232', allowPrivate: true },
      { origin: 'https://b.example', allowPrivate: true },
    ]);
    expect(config.allowedOrigins).toEqual(['http://localhost:5173']);
  });

  it('reads CALSYNC_PROXY_REQUIRE_ORIGIN over the file, and refuses other values', async () => {
    const path = await file(
      JSON.stringify({ upstreams: [{ origin: 'https://a.example' }], allowedOrigins: [], requireOrigin: true }),
    );
    expect((await loadConfig({ path, env: { CALSYNC_PROXY_REQUIRE_ORIGIN: '0' } })).requireOrigin).toBe(false);
    expect((await loadConfig({ path, env: { CALSYNC_PROXY_REQUIRE_ORIGIN: 'true' } })).requireOrigin).toBe(true);
    expect((await loadConfig({ path, env: {} })).requireOrigin).toBe(true);
    await expect(loadConfig({ path, env: { CALSYNC_PROXY_REQUIRE_ORIGIN: 'no' } })).rejects.toThrow(
      /CALSYNC_PROXY_REQUIRE_ORIGIN/,
    );
  });

  it('works from the environment alone and fails clearly without upstreams or on bad JSON', async () => {
    const config = await loadConfig({ env: { CALSYNC_PROXY_UPSTREAMS: 'https://a.example' } });
    expect(config.upstreams).toEqual([{ origin: 'https://a.example', allowPrivate: false }]);
    await expect(loadConfig({ env: {} })).rejects.toThrow(ProxyConfigError);
    await expect(loadConfig({ path: await file('{ nope'), env: {} })).rejects.toThrow(/not valid JSON/);
  });
});
