import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import type { RequestLogEntry } from './output.ts';
import { toProxyUrl } from './proxy-url.ts';
import { type RunningProxy, startProxyServer } from './server.ts';
import { type FakeHandler, type FakeUpstream, startFakeUpstream } from './test-support.ts';

// Health endpoint, per-request log entries and graceful shutdown.

const APP_ORIGIN = 'https://app.example.com';
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function setup(handler: FakeHandler, requests: RequestLogEntry[] = []) {
  const upstream: FakeUpstream = await startFakeUpstream(handler);
  closers.push(() => upstream.close());
  const proxy: RunningProxy = await startProxyServer(
    { upstreams: [{ origin: upstream.origin, allowPrivate: true }], allowedOrigins: [APP_ORIGIN] },
    { logger: { warn: () => {}, request: (entry) => requests.push(entry) } },
  );
  closers.push(() => proxy.close());
  return { upstream, proxy, url: (path: string) => toProxyUrl(proxy.url, `${upstream.origin}${path}`) };
}

it('answers GET /healthz itself, without Origin and without contacting an upstream', async () => {
  const requests: RequestLogEntry[] = [];
  const { upstream, proxy } = await setup((_req, res) => res.end('upstream'), requests);
  const res = await fetch(`${proxy.url}/healthz`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(await res.json()).toEqual({ status: 'ok' });
  const post = await fetch(`${proxy.url}/healthz`, { method: 'POST' });
  expect(post.status).toBe(405);
  await post.text();
  expect(upstream.requests).toHaveLength(0);
  expect(requests).toHaveLength(0);
});

it('reports each request once it is over: method, upstream origin, status, duration, nothing else', async () => {
  const requests: RequestLogEntry[] = [];
  const { upstream, url, proxy } = await setup((_req, res) => res.end('ok'), requests);
  const res = await fetch(url('/dav/secret-calendar/?token=abc'), {
    headers: { Origin: APP_ORIGIN, Authorization: 'Basic c2VjcmV0' },
  });
  await res.text();
  const refused = await fetch(`${proxy.url}/https/elsewhere.example/`, { headers: { Origin: APP_ORIGIN } });
  await refused.text();
  await expect.poll(() => requests.length).toBe(2);
  expect(requests[0]).toEqual({
    method: 'GET',
    upstream: upstream.origin,
    status: 200,
    durationMs: expect.any(Number),
    aborted: false,
  });
  expect(requests[1]).toMatchObject({ upstream: 'https://elsewhere.example', status: 403 });
  expect(JSON.stringify(requests)).not.toMatch(/secret|token|c2VjcmV0/);
});

it('shutdown finishes in-flight requests, then closes their keep-alive connections', async () => {
  let release = (): void => {};
  let arrive = (): void => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const { proxy, url } = await setup((_req, res) => {
    release = () => res.end('finished');
    arrive();
  });
  // An explicit keep-alive agent, to see what happens to the connection.
  const agent = new http.Agent({ keepAlive: true });
  closers.push(async () => agent.destroy());
  const response = new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
    const req = http.get(url('/slow'), { agent, headers: { Origin: APP_ORIGIN } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ body, connection: res.headers.connection }));
    });
    req.on('error', reject);
  });
  await arrived;
  const stopped = proxy.shutdown(10_000);
  // No new connections once shutting down.
  await expect(fetch(`${proxy.url}/healthz`)).rejects.toThrow();
  release();
  expect(await response).toEqual({ body: 'finished', connection: 'close' });
  // Resolves once that connection is closed: not after the grace period, nor Node's 5 s
  // keep-alive timeout.
  const started = performance.now();
  await stopped;
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(proxy.server.listening).toBe(false);
});
