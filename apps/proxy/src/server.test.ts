import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/helpers/free-port.ts';
import type { ProxyConfig } from './config.ts';
import { toProxyUrl } from './proxy-url.ts';
import { type RunningProxy, startProxyServer } from './server.ts';
import { type FakeHandler, type FakeUpstream, startFakeUpstream } from './test-support.ts';

const APP_ORIGIN = 'https://app.example.com';
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function fake(handler: FakeHandler = (_req, res) => res.end('ok')): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream(handler);
  closers.push(() => upstream.close());
  return upstream;
}

async function proxy(config: Partial<ProxyConfig> & Pick<ProxyConfig, 'upstreams'>): Promise<RunningProxy> {
  const running = await startProxyServer({ allowedOrigins: [APP_ORIGIN], ...config });
  closers.push(() => running.close());
  return running;
}

/** A request as a browser app on APP_ORIGIN sends it: with its Origin, unless one is given. */
function send(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('origin')) headers.set('origin', APP_ORIGIN);
  return fetch(url, { ...init, headers });
}

/** A fake upstream and a proxy that allows it (loopback permitted). */
async function setup(handler?: FakeHandler, config: Partial<ProxyConfig> = {}) {
  const upstream = await fake(handler);
  const running = await proxy({ upstreams: [{ origin: upstream.origin, allowPrivate: true }], ...config });
  const url = (path: string) => toProxyUrl(running.url, `${upstream.origin}${path}`);
  return { upstream, proxy: running, url };
}

describe('upstream allowlist and address policy', () => {
  it('refuses an upstream that is not configured, without contacting it', async () => {
    const { proxy: running } = await setup();
    const unlisted = await fake();
    const res = await send(toProxyUrl(running.url, `${unlisted.origin}/dav/`));
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Upstream not allowed');
    expect(unlisted.requests).toHaveLength(0);
  });

  it('refuses a listed loopback IP upstream without allowPrivate', async () => {
    const upstream = await fake();
    const running = await proxy({ upstreams: [{ origin: upstream.origin }] });
    const res = await send(toProxyUrl(running.url, `${upstream.origin}/dav/`));
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Upstream address not allowed');
    expect(upstream.requests).toHaveLength(0);
  });

  it('checks the resolved address: a host name resolving to loopback is refused', async () => {
    const upstream = await fake();
    const origin = `http://localhost:${upstream.port}`;
    const running = await proxy({ upstreams: [{ origin }] });
    const res = await send(toProxyUrl(running.url, `${origin}/dav/`));
    expect(res.status).toBe(403);
    expect(upstream.requests).toHaveLength(0);
  });

  it('reaches the same host name when the upstream has allowPrivate', async () => {
    const upstream = await fake();
    const origin = `http://localhost:${upstream.port}`;
    const running = await proxy({ upstreams: [{ origin, allowPrivate: true }] });
    const res = await send(toProxyUrl(running.url, `${origin}/dav/?x=1`));
    expect(res.status).toBe(200);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/dav/?x=1']);
  });

  it('answers 404 to paths outside the URL scheme, including user info tricks', async () => {
    const { proxy: running, upstream } = await setup();
    const host = `127.0.0.1:${upstream.port}`;
    for (const path of ['/', '/ftp/x/', `/http/evil@${host}/`, '/http/']) {
      const res = await send(`${running.url}${path}`);
      expect(res.status, path).toBe(404);
    }
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('methods, headers and redirects', () => {
  it('answers 405 to methods outside the CalDAV set', async () => {
    const { upstream, url } = await setup();
    for (const method of ['POST', 'PATCH']) {
      const res = await send(url('/dav/'), { method, body: 'x' });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toContain('PROPFIND');
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('forwards only allowlisted request headers', async () => {
    const { upstream, url } = await setup();
    const res = await send(url('/dav/cal/'), {
      method: 'PROPFIND',
      headers: {
        Authorization: 'Basic YWxpY2U6c2VjcmV0',
        Depth: '1',
        'If-Match': '"e1"',
        'Content-Type': 'application/xml',
        Cookie: 'session=abc',
        'X-Forwarded-For': '10.0.0.1',
        'X-Forwarded-Host': 'evil.example',
        Origin: APP_ORIGIN,
        Referer: `${APP_ORIGIN}/page`,
        'X-Custom': 'nope',
      },
      body: '<propfind/>',
    });
    expect(res.status).toBe(200);
    const [received] = upstream.requests;
    expect(received?.method).toBe('PROPFIND');
    expect(received?.body).toBe('<propfind/>');
    expect(received?.headers).toMatchObject({
      authorization: 'Basic YWxpY2U6c2VjcmV0',
      depth: '1',
      'if-match': '"e1"',
      'content-type': 'application/xml',
      host: `127.0.0.1:${upstream.port}`,
    });
    for (const name of ['cookie', 'x-forwarded-for', 'x-forwarded-host', 'origin', 'referer', 'x-custom']) {
      expect(received?.headers, name).not.toHaveProperty(name);
    }
  });

  it('returns only allowlisted response headers, never Set-Cookie, and renames WWW-Authenticate', async () => {
    const { url } = await setup((_req, res) => {
      res.writeHead(401, {
        'Set-Cookie': 'sid=1; Path=/',
        'WWW-Authenticate': 'Basic realm="dav"',
        ETag: '"e2"',
        DAV: '1, 2, calendar-access',
        'X-Secret': 'internal',
      });
      res.end('no');
    });
    const res = await send(url('/dav/'), { headers: { Origin: APP_ORIGIN } });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.headers.get('x-calsync-www-authenticate')).toBe('Basic realm="dav"');
    expect(res.headers.get('x-secret')).toBeNull();
    expect(res.headers.get('etag')).toBe('"e2"');
    expect(res.headers.get('dav')).toBe('1, 2, calendar-access');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Calsync-WWW-Authenticate');
  });

  it('passes redirects through without following them', async () => {
    const { upstream, url } = await setup((req, res) => {
      if (req.url === '/start') res.writeHead(302, { Location: `${upstream.origin}/elsewhere` }).end();
      else res.end('followed');
    });
    const res = await send(url('/start'), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${upstream.origin}/elsewhere`);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/start']);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin itself', async () => {
    const { upstream, url } = await setup();
    const res = await send(url('/dav/'), {
      method: 'OPTIONS',
      headers: {
        Origin: APP_ORIGIN,
        'Access-Control-Request-Method': 'PROPFIND',
        'Access-Control-Request-Headers': 'authorization, depth',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('access-control-allow-methods')).toContain('REPORT');
    expect(res.headers.get('access-control-allow-headers')).toContain('if-none-match');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses preflights and requests from other origins', async () => {
    const { upstream, url } = await setup();
    const preflight = await send(url('/dav/'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const res = await send(url('/dav/'), { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(upstream.requests).toHaveLength(0);
  });

  it('exposes ETag on actual responses and CORS headers on proxy errors', async () => {
    const { proxy: running, url } = await setup((_req, res) => res.writeHead(200, { ETag: '"x"' }).end());
    const res = await send(url('/dav/'), { headers: { Origin: APP_ORIGIN } });
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/\bETag\b/);
    const refused = await send(`${running.url}/https/unlisted.example/`, { headers: { Origin: APP_ORIGIN } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });

  it('refuses callers without Origin by default, and allows them with requireOrigin: false', async () => {
    const strict = await setup();
    const refused = await fetch(strict.url('/a'));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('Origin not allowed');
    expect(strict.upstream.requests).toHaveLength(0);
    const open = await setup(undefined, { requireOrigin: false });
    const allowed = await fetch(open.url('/a'));
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBeNull();
    expect(open.upstream.requests).toHaveLength(1);
  });
});

describe('body limits', () => {
  it('forwards a body exactly at the limit intact', async () => {
    const { upstream, url } = await setup(undefined, { maxRequestBytes: 1024 });
    const body = 'a'.repeat(1024);
    const res = await send(url('/dav/e.ics'), { method: 'PUT', body });
    expect(res.status).toBe(200);
    expect(upstream.requests[0]?.body).toBe(body);
  });

  it('answers 413 to a declared oversize body and forwards nothing', async () => {
    const { upstream, url } = await setup(undefined, { maxRequestBytes: 1024 });
    const res = await send(url('/dav/e.ics'), { method: 'PUT', body: 'a'.repeat(1025) });
    expect(res.status).toBe(413);
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 413 to a streamed (chunked) oversize body and forwards nothing', async () => {
    const { upstream, url } = await setup(undefined, { maxRequestBytes: 1024 });
    const chunk = new TextEncoder().encode('b'.repeat(600));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await send(url('/dav/e.ics'), { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 502 when the upstream declares a response over the limit', async () => {
    const { url } = await setup((_req, res) => res.writeHead(200, { 'Content-Length': 2048 }).end('c'.repeat(2048)), {
      maxResponseBytes: 1024,
    });
    const res = await send(url('/big'));
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('Upstream response too large');
  });

  it('breaks the connection when an undeclared (chunked) response passes the limit', async () => {
    const { url } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('d'.repeat(800));
        res.end('d'.repeat(800));
      },
      { maxResponseBytes: 1024 },
    );
    await expect(send(url('/big')).then((res) => res.text())).rejects.toThrow();
  });

  it('passes an undeclared response within the limit intact', async () => {
    const { url } = await setup(
      (_req, res) => {
        res.write('e'.repeat(500));
        res.end('e'.repeat(500));
      },
      { maxResponseBytes: 1024 },
    );
    expect(await (await send(url('/ok'))).text()).toBe('e'.repeat(1000));
  });
});

describe('upstream failures', () => {
  it('answers 504 when the upstream never answers', async () => {
    const { upstream, url } = await setup(() => {}, { timeoutMs: 200 });
    const res = await send(url('/slow'));
    expect(res.status).toBe(504);
    expect(await res.text()).toBe('Upstream timed out');
    expect(upstream.requests).toHaveLength(1);
  });

  it('breaks the connection when the upstream stalls mid-body', async () => {
    const { url } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'Content-Length': 100 });
        res.write('partial');
      },
      { timeoutMs: 200 },
    );
    const res = await send(url('/stall'));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('answers 502 when the upstream refuses connections', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const running = await proxy({ upstreams: [{ origin, allowPrivate: true }] });
    const res = await send(toProxyUrl(running.url, `${origin}/dav/`), {
      headers: { Authorization: 'Basic c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3M=' },
    });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).toBe('Upstream unreachable');
  });

  it('answers 502 when the upstream name does not resolve, and logs no credentials', async () => {
    const warnings: string[] = [];
    const running = await startProxyServer(
      { upstreams: [{ origin: 'http://calsync-test.invalid' }], allowedOrigins: [APP_ORIGIN], timeoutMs: 10_000 },
      { logger: { warn: (message) => warnings.push(message) } },
    );
    closers.push(() => running.close());
    const res = await send(toProxyUrl(running.url, 'http://calsync-test.invalid/dav/?token=1'), {
      headers: { Authorization: 'Basic c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3M=' },
    });
    expect(res.status).toBe(502);
    expect(warnings).toHaveLength(1);
    expect(warnings.join('\n')).not.toMatch(/c2VjcmV0|secret|token/);
  });
});
