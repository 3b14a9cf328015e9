import http, { type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
import { assertAllowedLiteral, createGuardedLookup } from './address-policy.ts';
import { byteLimit, readBody } from './body.ts';
import { type ProxyConfig, type ResolvedProxyConfig, resolveConfig } from './config.ts';
import { checkOrigin, corsPreflightHeaders, corsResponseHeaders } from './cors.ts';
import { BodyTooLargeError, ForbiddenAddressError, UpstreamTimeoutError } from './errors.ts';
import { ALLOWED_METHODS, isAllowedMethod, pickRequestHeaders, pickResponseHeaders } from './headers.ts';
import { fromProxyPath } from './proxy-url.ts';

/** Where the proxy reports upstream failures. Messages never contain headers or credentials. */
export interface ProxyLogger {
  warn(message: string): void;
}

/** Options of {@link createProxyServer} that cannot come from a JSON file. */
export interface ProxyServerOptions {
  /** Default: no logging. */
  readonly logger?: ProxyLogger;
}

interface Context {
  readonly config: ResolvedProxyConfig;
  readonly logger: ProxyLogger | undefined;
  readonly httpAgent: http.Agent;
  readonly httpsAgent: https.Agent;
}

const lookups = { allowPrivate: createGuardedLookup(true), publicOnly: createGuardedLookup(false) } as const;

// Proxied bodies are served from the proxy's origin; if someone opens one in a tab, any
// HTML in it must not run there.
const HARDENING_HEADERS: OutgoingHttpHeaders = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
};

/**
 * Creates (but does not start) the CORS proxy: requests to
 * `/{scheme}/{host[:port]}/{path}` go to the configured upstream with that origin, under the
 * rules in the package README (allowlisted upstreams, methods and headers; no private
 * addresses unless allowed; no redirects followed; size limits; timeouts).
 *
 * @throws ProxyConfigError when `config` is invalid.
 */
export function createProxyServer(config: ProxyConfig, options: ProxyServerOptions = {}): Server {
  const context: Context = {
    config: resolveConfig(config),
    logger: options.logger,
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
  };
  const server = http.createServer((req, res) => {
    handle(req, res, context).catch((error: unknown) => {
      context.logger?.warn(`proxy error: ${describe(error)}`);
      sendText(res, 500, 'Proxy error', {});
    });
  });
  server.on('close', () => {
    context.httpAgent.destroy();
    context.httpsAgent.destroy();
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const { config } = context;
  const decision = checkOrigin(req.headers.origin, config.allowedOrigins, config.requireOrigin);
  const cors = corsResponseHeaders(decision);
  if (decision.kind === 'refused') return sendText(res, 403, 'Origin not allowed', cors);

  const method = req.method ?? '';
  if (method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    // A preflight: answered here, because CalDAV servers without CORS support would not.
    const headers = decision.kind === 'allowed' ? corsPreflightHeaders(decision.origin) : cors;
    res.writeHead(204, headers).end();
    return;
  }
  if (!isAllowedMethod(method)) {
    return sendText(res, 405, 'Method not allowed', { ...cors, allow: ALLOWED_METHODS.join(', ') });
  }
  const target = fromProxyPath(req.url ?? '');
  if (target === undefined) return sendText(res, 404, 'Expected /{http|https}/{host[:port]}/{path}', cors);
  const upstream = config.upstreams.get(target.origin);
  if (upstream === undefined) return sendText(res, 403, 'Upstream not allowed', cors);

  const declaredLength = Number(req.headers['content-length'] ?? 0);
  if (declaredLength > config.maxRequestBytes) return rejectRequestBody(res, config.maxRequestBytes, cors);
  let body: Buffer;
  try {
    body = await readBody(req, config.maxRequestBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return rejectRequestBody(res, config.maxRequestBytes, cors);
    // The client went away mid-body: there is nobody to answer, and nothing was sent upstream.
    res.destroy();
    return;
  }
  forward(req, res, { target, allowPrivate: upstream.allowPrivate, body, cors }, context);
}

interface ForwardInput {
  readonly target: URL;
  readonly allowPrivate: boolean;
  readonly body: Buffer;
  readonly cors: OutgoingHttpHeaders;
}

function forward(req: IncomingMessage, res: ServerResponse, input: ForwardInput, context: Context): void {
  const { target, allowPrivate, body, cors } = input;
  const { config } = context;
  const method = req.method ?? 'GET';
  const fail = (error: unknown): void => {
    context.logger?.warn(`${method} ${target.origin}${target.pathname} failed: ${describe(error)}`);
    if (error instanceof ForbiddenAddressError) sendText(res, 403, 'Upstream address not allowed', cors);
    else if (error instanceof UpstreamTimeoutError) sendText(res, 504, 'Upstream timed out', cors);
    else sendText(res, 502, 'Upstream unreachable', cors);
  };
  try {
    assertAllowedLiteral(target.hostname, allowPrivate);
  } catch (error) {
    fail(error);
    return;
  }

  const headers = pickRequestHeaders(req.headers);
  if (body.length > 0 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding']) {
    headers['content-length'] = body.length;
  }
  const isHttps = target.protocol === 'https:';
  const options: http.RequestOptions = {
    protocol: target.protocol,
    hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
    port: target.port === '' ? undefined : Number(target.port),
    path: `${target.pathname}${target.search}`,
    method,
    headers,
    agent: isHttps ? context.httpsAgent : context.httpAgent,
    lookup: allowPrivate ? lookups.allowPrivate : lookups.publicOnly,
  };
  const upstreamReq = isHttps ? https.request(options) : http.request(options);

  // A deadline for the response headers, covering DNS and connect too (socket timeouts
  // only start once connected); after that, a stall timeout while the body streams.
  const timeout = (): void => {
    upstreamReq.destroy(new UpstreamTimeoutError(config.timeoutMs));
  };
  const headerTimer = setTimeout(timeout, config.timeoutMs);
  res.on('close', () => {
    clearTimeout(headerTimer);
    if (!res.writableFinished) upstreamReq.destroy();
  });
  upstreamReq.on('error', (error) => {
    clearTimeout(headerTimer);
    // Once headers went out, a status can no longer be sent: cut the connection so the
    // client sees a network error rather than a silently truncated body.
    if (res.headersSent) res.destroy();
    else fail(error);
  });
  upstreamReq.on('response', (upstreamRes) => {
    clearTimeout(headerTimer);
    upstreamReq.setTimeout(config.timeoutMs, timeout);
    const status = upstreamRes.statusCode ?? 502;
    const declared = Number(upstreamRes.headers['content-length']);
    if (method !== 'HEAD' && Number.isFinite(declared) && declared > config.maxResponseBytes) {
      upstreamRes.destroy();
      context.logger?.warn(`${method} ${target.origin}${target.pathname}: response of ${declared} bytes refused`);
      return sendText(res, 502, 'Upstream response too large', cors);
    }
    // Redirects are passed through untouched (Location included) and never followed here:
    // following one would let an allowlisted server send the proxy anywhere.
    res.writeHead(status, { ...pickResponseHeaders(upstreamRes.headers), ...HARDENING_HEADERS, ...cors });
    pipeline(upstreamRes, byteLimit(config.maxResponseBytes), res, (error) => {
      if (!error) return;
      context.logger?.warn(`${method} ${target.origin}${target.pathname} response aborted: ${describe(error)}`);
      upstreamReq.destroy();
      res.destroy();
    });
  });
  upstreamReq.end(body);
}

function rejectRequestBody(res: ServerResponse, limit: number, cors: OutgoingHttpHeaders): void {
  // Close the connection: the rest of the oversized body is not worth reading.
  sendText(res, 413, `Request body exceeds ${limit} bytes`, { ...cors, connection: 'close' });
}

function sendText(res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

// Error codes and class names only: messages of arbitrary errors are not trusted to be
// free of URLs with credentials.
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.name : `${error.name} ${code}`;
  }
  return 'unknown error';
}

/** A started proxy, see {@link startProxyServer}. */
export interface RunningProxy {
  /** Base URL for {@link toProxyUrl}, without trailing slash, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly server: Server;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Where {@link startProxyServer} listens. */
export interface ListenOptions extends ProxyServerOptions {
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Default `127.0.0.1`: exposing the proxy beyond this machine is a deliberate choice. */
  readonly host?: string;
}

/**
 * Creates the proxy and starts listening; resolves once it accepts connections.
 *
 * @throws ProxyConfigError when `config` is invalid; rejects when the port cannot be bound.
 */
export function startProxyServer(config: ProxyConfig, options: ListenOptions = {}): Promise<RunningProxy> {
  const server = createProxyServer(config, options.logger === undefined ? {} : { logger: options.logger });
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
