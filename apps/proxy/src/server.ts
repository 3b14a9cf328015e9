import http, { type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import { readBody } from './body.ts';
import { BodyBudget } from './body-budget.ts';
import { type ProxyConfig, type ResolvedProxyConfig, resolveConfig } from './config.ts';
import { checkOrigin, corsPreflightHeaders, corsResponseHeaders } from './cors.ts';
import { BodyBudgetExceededError, BodyTooLargeError, RequestBodyTimeoutError } from './errors.ts';
import { type ForwardContext, forward } from './forward.ts';
import { ALLOWED_METHODS, isAllowedMethod } from './headers.ts';
import { describe, type ProxyLogger, sendText } from './output.ts';
import { fromProxyPath } from './proxy-url.ts';

/** Options of {@link createProxyServer} that cannot come from a JSON file. */
export interface ProxyServerOptions {
  /** Default: no logging. */
  readonly logger?: ProxyLogger;
}

interface Context extends ForwardContext {
  readonly bodyBudget: BodyBudget;
}

/** Sent with 503 when the body budget is exhausted: in-flight bodies drain within seconds. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Creates (but does not start) the CORS proxy: requests to
 * `/{scheme}/{host[:port]}/{path}` go to the configured upstream with that origin, under the
 * rules in the package README (allowlisted upstreams, methods and headers; no private
 * addresses unless allowed; no redirects followed; size limits; timeouts).
 *
 * @throws ProxyConfigError when `config` is invalid.
 */
export function createProxyServer(config: ProxyConfig, options: ProxyServerOptions = {}): Server {
  const resolved = resolveConfig(config);
  const context: Context = {
    config: resolved,
    logger: options.logger,
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    bodyBudget: new BodyBudget(resolved.maxBufferedRequestBytes),
  };
  const server = http.createServer(nodeRequestLimits(resolved), (req, res) => {
    if (isHealthCheck(req.url)) {
      answerHealthCheck(req, res);
      return;
    }
    if (context.logger?.request) logRequest(req, res, context.logger);
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

/** The health check path: answered by the proxy itself, never forwarded. */
export const HEALTH_PATH = '/healthz';

function isHealthCheck(url: string | undefined): boolean {
  return url === HEALTH_PATH || url?.startsWith(`${HEALTH_PATH}?`) === true;
}

/**
 * `GET /healthz` → 200 `{"status":"ok"}`, for load balancers and orchestrators. No upstream
 * is contacted and no Origin is required (probes send none), but nothing is proxied either:
 * proxied paths all start with `/http/` or `/https/`. No CORS headers, so pages cannot read it.
 */
function answerHealthCheck(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed', { allow: 'GET, HEAD' });
    return;
  }
  const body = '{"status":"ok"}';
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function logRequest(req: IncomingMessage, res: ServerResponse, logger: ProxyLogger): void {
  const started = performance.now();
  // A proxied response already has ten 'close' listeners (stream pipeline, body budget,
  // timers): one more is expected, not a leak.
  res.setMaxListeners(res.getMaxListeners() + 1);
  res.once('close', () => {
    logger.request?.({
      method: req.method ?? '',
      upstream: fromProxyPath(req.url ?? '')?.origin,
      status: res.statusCode,
      durationMs: Math.round(performance.now() - started),
      aborted: !res.writableFinished,
    });
  });
}

/**
 * Node's own limits on receiving a request, as a backstop. Its defaults let a client take
 * 60 s over the headers and 300 s over the whole request, checked only every 30 s. Its 408
 * carries no CORS headers, so the whole-request limit is set to fire only after the
 * proxy's own body deadline (which starts once the headers are in).
 */
function nodeRequestLimits(config: ResolvedProxyConfig): http.ServerOptions {
  const headersTimeout = Math.ceil(config.requestBodyTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: headersTimeout + Math.ceil(config.requestBodyTimeoutMs) + 1_000,
    connectionsCheckingInterval: Math.min(1_000, headersTimeout),
  };
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
  const claim = context.bodyBudget.claim();
  // Whatever happens next, the body is no longer held once the response is over.
  res.once('close', claim.release);
  // A declared length is claimed whole, up front: clients that announce large bodies and
  // then trickle them must not all get in while the budget still looks free.
  if (!claim.reserve(declaredLength)) return rejectBusy(req, res, target, context, cors);
  let body: Buffer;
  try {
    body = await readBody(req, { maxBytes: config.maxRequestBytes, timeoutMs: config.requestBodyTimeoutMs, claim });
  } catch (error) {
    claim.release();
    if (error instanceof BodyTooLargeError) return rejectRequestBody(res, config.maxRequestBytes, cors);
    if (error instanceof BodyBudgetExceededError) return rejectBusy(req, res, target, context, cors);
    if (error instanceof RequestBodyTimeoutError) {
      return sendText(res, 408, 'Request body timed out', { ...cors, connection: 'close' });
    }
    // The client went away mid-body: there is nobody to answer, and nothing was sent upstream.
    res.destroy();
    return;
  }
  const input = { target, allowPrivate: upstream.allowPrivate, body, cors, releaseBody: claim.release };
  forward(req, res, input, context);
}

function rejectRequestBody(res: ServerResponse, limit: number, cors: OutgoingHttpHeaders): void {
  // Close the connection: the rest of the oversized body is not worth reading.
  sendText(res, 413, `Request body exceeds ${limit} bytes`, { ...cors, connection: 'close' });
}

function rejectBusy(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  context: Context,
  cors: OutgoingHttpHeaders,
): void {
  const { capacity } = context.bodyBudget;
  context.logger?.warn(
    `${req.method} ${target.origin}${target.pathname}: refused, request bodies at ${capacity} bytes`,
  );
  // Closed like a 413: reading the rest of the body would take the memory the budget protects.
  sendText(res, 503, 'Proxy busy, retry later', {
    ...cors,
    'retry-after': String(RETRY_AFTER_SECONDS),
    connection: 'close',
  });
}

/** A started proxy, see {@link startProxyServer}. */
export interface RunningProxy {
  /** Base URL for {@link toProxyUrl}, without trailing slash, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly server: Server;
  /** Stops listening and drops open connections, in-flight requests included. */
  close(): Promise<void>;
  /**
   * Stops accepting connections, lets in-flight requests finish (their connections are then
   * closed, idle keep-alive ones at once), and resolves once all are gone. Connections still
   * open after `graceMs` are dropped.
   */
  shutdown(graceMs: number): Promise<void>;
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
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      const closed = new Promise<void>((done) => server.once('close', () => done()));
      resolve({
        url: `http://${urlHost}:${port}`,
        server,
        close: () => {
          server.close();
          server.closeAllConnections();
          return closed;
        },
        shutdown: (graceMs) => {
          drain(server, inFlight);
          const timer = setTimeout(() => server.closeAllConnections(), graceMs);
          return closed.finally(() => clearTimeout(timer));
        },
      });
    });
  });
}

/**
 * `server.close()` alone stops accepting and closes idle connections, but a keep-alive
 * connection busy at that moment would stay open until its keep-alive timeout once its
 * response is done. So responses not yet started announce `Connection: close`, and each
 * connection is closed as soon as its response is over.
 */
function drain(server: Server, inFlight: ReadonlySet<ServerResponse>): void {
  server.close();
  server.closeIdleConnections();
  const closeAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
    res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  for (const res of inFlight) closeAfter(res);
  // Requests that arrive on already-open connections meanwhile are served, then closed.
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => closeAfter(res));
}
