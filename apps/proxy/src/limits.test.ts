import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/helpers/free-port.ts';
import type { ProxyConfig } from './config.ts';
import { toProxyUrl } from './proxy-url.ts';
import { type RunningProxy, startProxyServer } from './server.ts';
import { connectRaw, type FakeHandler, type FakeUpstream, type RawClient, startFakeUpstream } from './test-support.ts';

// Resource limits: the shared body budget, the request deadlines and the upstream deadline.
// Limits and deadlines are small so that every case takes well under a second.

const APP_ORIGIN = 'https://app.example.com';
const closers: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function setup(handler: FakeHandler, config: Partial<ProxyConfig>) {
  const upstream: FakeUpstream = await startFakeUpstream(handler);
  closers.push(() => upstream.close());
  const proxy: RunningProxy = await startProxyServer({
    upstreams: [{ origin: upstream.origin, allowPrivate: true }],
    allowedOrigins: [APP_ORIGIN],
    ...config,
  });
  closers.push(() => proxy.close());
  const url = (path: string) => toProxyUrl(proxy.url, `${upstream.origin}${path}`);
  /** Opens a raw connection and sends the head of a PUT to `path` with `headers`. */
  const rawPut = async (path: string, headers: Record<string, string | number>): Promise<RawClient> => {
    const client = await connectRaw(proxy.url);
    closers.push(() => client.destroy());
    const lines = Object.entries({ host: new URL(proxy.url).host, origin: APP_ORIGIN, ...headers });
    client.write(
      `PUT ${new URL(url(path)).pathname} HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`,
    );
    return client;
  };
  return { upstream, proxy, url, rawPut };
}

function put(url: string, body: string): Promise<Response> {
  return fetch(url, { method: 'PUT', body, headers: { Origin: APP_ORIGIN } });
}

/** The next request the proxy receives, once its handler has run. */
function nextRequest(proxy: RunningProxy): Promise<[IncomingMessage, ServerResponse]> {
  return once(proxy.server, 'request') as Promise<[IncomingMessage, ServerResponse]>;
}

const ok: FakeHandler = (_req, res) => res.end('ok');

describe('request body budget', () => {
  const limits = { maxRequestBytes: 600_000, maxBufferedRequestBytes: 1_000_000 };

  it('answers 503 with Retry-After when a declared body would pass the budget, and recovers when its holder leaves', async () => {
    const { upstream, proxy, url, rawPut } = await setup(ok, limits);
    const held = nextRequest(proxy);
    const holder = await rawPut('/a.ics', { 'content-length': 600_000 });
    holder.write('h'.repeat(1000));
    const [, holderRes] = await held;

    const refused = await (await rawPut('/b.ics', { 'content-length': 600_000 })).closed;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(refused).toMatch(/\r\naccess-control-allow-origin: https:\/\/app\.example\.com\r\n/i);

    holder.destroy();
    await once(holderRes, 'close');
    const res = await put(url('/c.ics'), 'c'.repeat(600_000));
    expect(res.status).toBe(200);
    expect(upstream.requests.map((r) => [r.url, r.body.length])).toEqual([['/c.ics', 600_000]]);
  });

  it('refuses a chunked body as it passes the budget and releases its bytes at once', async () => {
    const { upstream, proxy, url, rawPut } = await setup(ok, limits);
    const held = nextRequest(proxy);
    const holder = await rawPut('/a.ics', { 'content-length': 600_000 });
    await held;

    const chunked = await rawPut('/b.ics', { 'transfer-encoding': 'chunked' });
    const chunk = 'b'.repeat(500_000);
    chunked.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(await chunked.closed).toMatch(/^HTTP\/1\.1 503 /);

    // 600 000 held + 300 000 fits only if none of the refused body's bytes are still counted.
    const res = await put(url('/c.ics'), 'c'.repeat(300_000));
    expect(res.status).toBe(200);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/c.ics']);
    holder.destroy();
  });

  it('gives the budget back after every completed request', async () => {
    const { upstream, url } = await setup(ok, limits);
    for (const name of ['a', 'b', 'c']) {
      expect((await put(url(`/${name}.ics`), name.repeat(600_000))).status, name).toBe(200);
    }
    expect(upstream.requests).toHaveLength(3);
  });

  it('gives the budget back when the upstream fails before taking the body', async () => {
    const refusing = `http://127.0.0.1:${await freePort()}`;
    const proxy = await startProxyServer({
      ...limits,
      upstreams: [{ origin: refusing, allowPrivate: true }],
      allowedOrigins: [APP_ORIGIN],
    });
    closers.push(() => proxy.close());
    // Two bodies that fit the budget only one at a time.
    for (const name of ['a', 'b']) {
      const res = await put(toProxyUrl(proxy.url, `${refusing}/${name}.ics`), name.repeat(600_000));
      expect(res.status, name).toBe(502);
    }
  });
});

describe('request deadlines', () => {
  it('answers 408 and closes the connection when the body trickles past requestBodyTimeoutMs', async () => {
    const { upstream, url, rawPut } = await setup(ok, { requestBodyTimeoutMs: 200 });
    expect((await put(url('/fast.ics'), 'in time')).status).toBe(200);

    const started = Date.now();
    const slow = await rawPut('/slow.ics', { 'content-length': 1000 });
    // Steady progress, never idle: only a whole-body deadline stops it.
    slow.trickle('s', 20);
    const answer = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/\r\naccess-control-allow-origin: https:\/\/app\.example\.com\r\n/i);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/fast.ics']);
  });

  it('closes a connection whose request headers trickle past the same deadline', async () => {
    const { upstream, proxy } = await setup(ok, { requestBodyTimeoutMs: 200 });
    const client = await connectRaw(proxy.url);
    closers.push(() => client.destroy());
    const started = Date.now();
    client.write(`GET /http/${new URL(upstream.origin).host}/ HTTP/1.1\r\nhost: x\r\n`);
    client.trickle('x', 20);
    await client.closed;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('upstream deadline', () => {
  it('answers 504 when no response arrives within upstreamDeadlineMs, and aborts the upstream request', async () => {
    let upstreamClosed: Promise<unknown> = Promise.resolve();
    const { url } = await setup(
      (_req, res) => {
        upstreamClosed = once(res, 'close');
      },
      { timeoutMs: 10_000, upstreamDeadlineMs: 200 },
    );
    const started = Date.now();
    const res = await fetch(url('/never'), { headers: { Origin: APP_ORIGIN } });
    expect(res.status).toBe(504);
    expect(await res.text()).toBe('Upstream timed out');
    // timeoutMs (10 s) would also give 504, but only much later.
    expect(Date.now() - started).toBeLessThan(5_000);
    await upstreamClosed;
  });

  it('breaks a response that keeps trickling past upstreamDeadlineMs, and aborts the upstream request', async () => {
    let upstreamClosed: Promise<unknown> = Promise.resolve();
    const { url } = await setup(
      (req, res) => {
        if (req.url === '/fast') return void res.end('ok');
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        // A byte every 20 ms never trips the 1 s stall timeout.
        const timer = setInterval(() => res.write('t'), 20);
        upstreamClosed = once(res, 'close').finally(() => clearInterval(timer));
      },
      { timeoutMs: 1_000, upstreamDeadlineMs: 300 },
    );
    expect(await (await fetch(url('/fast'), { headers: { Origin: APP_ORIGIN } })).text()).toBe('ok');

    const res = await fetch(url('/trickle'), { headers: { Origin: APP_ORIGIN } });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await upstreamClosed;
  });
});
