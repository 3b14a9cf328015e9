import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
import { assertAllowedLiteral, createGuardedLookup } from './address-policy.ts';
import { byteLimit } from './body.ts';
import type { ResolvedProxyConfig } from './config.ts';
import { ForbiddenAddressError, UpstreamDeadlineError, UpstreamTimeoutError } from './errors.ts';
import { pickRequestHeaders, pickResponseHeaders } from './headers.ts';
import { describe, type ProxyLogger, sendText } from './output.ts';

/** What {@link forward} needs from the server that runs it. */
export interface ForwardContext {
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

/** A request that passed every check, with its complete body. */
export interface ForwardInput {
  readonly target: URL;
  readonly allowPrivate: boolean;
  readonly body: Buffer;
  readonly cors: OutgoingHttpHeaders;
  /** Gives the body's bytes back to the budget once they are written upstream. */
  readonly releaseBody: () => void;
}

/**
 * Sends a checked request to its upstream and streams the answer back, under the response
 * size limit, the header and stall timeout (`timeoutMs`) and the total deadline
 * (`upstreamDeadlineMs`). Failures before the response starts get 403/502/504; later ones
 * break the connection.
 */
export function forward(req: IncomingMessage, res: ServerResponse, input: ForwardInput, context: ForwardContext): void {
  const { target, allowPrivate, body, cors, releaseBody } = input;
  const { config } = context;
  const method = req.method ?? 'GET';
  const fail = (error: unknown): void => {
    context.logger?.warn(`${method} ${target.origin}${target.pathname} failed: ${describe(error)}`);
    const timedOut = error instanceof UpstreamTimeoutError || error instanceof UpstreamDeadlineError;
    if (error instanceof ForbiddenAddressError) sendText(res, 403, 'Upstream address not allowed', cors);
    else if (timedOut) sendText(res, 504, 'Upstream timed out', cors);
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
  // The stall timeout restarts on every chunk, so an upstream trickling a byte a second
  // would hold both connections forever; this deadline does not restart.
  const deadline = setTimeout(() => {
    upstreamReq.destroy(new UpstreamDeadlineError(config.upstreamDeadlineMs));
  }, config.upstreamDeadlineMs);
  res.on('close', () => {
    clearTimeout(headerTimer);
    clearTimeout(deadline);
    if (!res.writableFinished) upstreamReq.destroy();
  });
  upstreamReq.once('finish', releaseBody);
  upstreamReq.on('error', (error) => {
    clearTimeout(headerTimer);
    clearTimeout(deadline);
    // Once headers went out, a status can no longer be sent: cut the connection so the
    // client sees a network error rather than a silently truncated body.
    if (res.headersSent) res.destroy();
    else fail(error);
  });
  upstreamReq.on('response', (upstreamRes) => {
    clearTimeout(headerTimer);
    upstreamReq.setTimeout(config.timeoutMs, timeout);
    upstreamRes.once('end', () => clearTimeout(deadline));
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
