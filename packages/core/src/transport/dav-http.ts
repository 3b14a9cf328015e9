import { CalsyncError } from '../api/errors.ts';
import { originOf } from './href.ts';
import { toProxyUrl } from './proxy-url.ts';
import { parseXml } from './xml.ts';

/** What an HTTP exchange with the CalDAV server returned (any status: callers decide). */
export interface DavHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Options of {@link DavHttp}. */
export interface DavHttpOptions {
  fetch: typeof fetch;
  username: string;
  password: string;
  /**
   * The only origins requests (and with them credentials) may go to: the account's server
   * and what the user explicitly trusted. Any other URL is refused before it is sent.
   */
  allowedOrigins: readonly string[];
  /** CORS proxy base URL; requests are rewritten onto it (see `toProxyUrl`). */
  proxyUrl?: string | undefined;
  /** Per-request timeout; a request running longer fails as a network error. */
  timeoutMs?: number;
  /** Largest response body read, in bytes (default {@link MAX_BODY_BYTES}); more is `bad-data`. */
  maxBodyBytes?: number;
  /** Called after every exchange that reached the server (any status), for request counting. */
  onResponse?: (method: string, status: number) => void;
}

/**
 * The one place that performs HTTP for the SDK. Sends nothing to an origin outside
 * `allowedOrigins` (an href, a redirect target or a calendar home elsewhere is refused,
 * never requested), adds Basic auth last (nothing can override it), routes through the
 * proxy, turns thrown fetch failures into `network` errors, and never puts the password
 * or Authorization header into an error.
 */
export class DavHttp {
  readonly #options: DavHttpOptions;
  readonly #authorization: string;
  readonly #origins: ReadonlySet<string>;

  constructor(options: DavHttpOptions) {
    this.#options = options;
    this.#authorization = `Basic ${base64Utf8(`${options.username}:${options.password}`)}`;
    this.#origins = new Set(options.allowedOrigins.map((o) => originOf(o)).filter((o) => o !== undefined));
  }

  /** Throws `untrusted-origin` unless `url` lies on one of the allowed origins. */
  assertAllowed(url: string, what = 'URL'): void {
    const origin = originOf(url);
    if (origin !== undefined && origin !== 'null' && this.#origins.has(origin)) return;
    throw new CalsyncError(
      'untrusted-origin',
      `The server pointed to a ${what} on ${origin ?? 'an unreadable URL'}, which is not this account's server; ` +
        'calsync sends nothing there. If you trust it, add it to the account with `allowOrigins`.',
      { retryable: false },
    );
  }

  /** Sends one request; throws only for network failures (never for an HTTP status). */
  async request(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<DavHttpResponse> {
    const response = await this.send(method, url, init);
    const text = await readCapped(response, this.#options.maxBodyBytes ?? MAX_BODY_BYTES, url);
    return { status: response.status, headers: response.headers, text };
  }

  /** Like `request` but returns the raw Response (the body is not read). */
  async send(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Response> {
    this.assertAllowed(url);
    const headers = new Headers(init.headers);
    headers.set('Authorization', this.#authorization);
    const wireUrl = this.#options.proxyUrl ? toProxyUrl(this.#options.proxyUrl, url) : url;
    let response: Response;
    try {
      response = await this.#options.fetch(wireUrl, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        redirect: 'manual',
        credentials: 'omit',
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw networkError(url, error);
    }
    this.#options.onResponse?.(method, response.status);
    return response;
  }

  /**
   * A `fetch` for tsdav's helpers: same auth/proxy/error mapping, plus typed errors for
   * 401/403 and a strict well-formedness check of XML bodies (tsdav's parser would read a
   * truncated body as a partial, valid-looking tree).
   */
  readonly fetchForTsdav = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      if (key !== 'authorization') headers[key] = value;
    });
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const response = await this.request(init?.method ?? 'GET', url, {
      headers,
      ...(body === undefined ? {} : { body }),
    });
    throwForStatus(response.status, url);
    // Checked with our bounded parser before tsdav's recursive one sees it (depth, size,
    // DOCTYPE), whatever the content type claims.
    if ((response.status === 207 || /xml/i.test(response.headers.get('content-type') ?? '')) && response.text) {
      parseXml(response.text);
    }
    return new Response(response.text, { status: response.status, headers: response.headers });
  };
}

/**
 * Largest answer body calsync reads (UTF-8 bytes): a 20,000-event calendar is ~12 MB. The
 * body is read as a stream and cut off at this size, so a server sending without end
 * cannot make the engine hold more (the request timeout bounds a slow one).
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, maxBytes);
  }
  if (!response.body) return '';
  // A declared length is enforced by fetch itself (the body cannot run past it), so the
  // native reader is safe and cheaper; only a body of unknown length is read piecewise.
  if (Number.isFinite(declared) && response.headers.has('content-length')) {
    try {
      return await response.text();
    } catch (error) {
      throw networkError(url, error);
    }
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(url, maxBytes);
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (error instanceof CalsyncError) throw error;
    throw networkError(url, error);
  }
  return text + decoder.decode();
}

function tooLarge(url: string, maxBytes: number): CalsyncError {
  return new CalsyncError('bad-data', `The server ${hostOf(url)} sent an answer larger than ${maxBytes} bytes.`, {
    retryable: false,
  });
}

/** Throws the typed error for an unsuccessful status that has no protocol meaning for the caller. */
export function throwForStatus(status: number, url: string): void {
  if (status < 300) return;
  const where = hostOf(url);
  if (status === 401 || status === 403) {
    throw new CalsyncError('auth', `The server ${where} rejected the username or password (HTTP ${status}).`, {
      status,
    });
  }
  if (status === 404 || status === 410) {
    throw new CalsyncError('not-found', `Not found on ${where} (HTTP ${status}).`, { status });
  }
  if (status >= 500) throw new CalsyncError('server', `The server ${where} failed (HTTP ${status}).`, { status });
  if (status >= 300 && status < 400) {
    throw new CalsyncError('server', `The server ${where} redirected (HTTP ${status}); use the final DAV URL.`, {
      status,
      retryable: false,
    });
  }
  throw new CalsyncError('server', `The server ${where} refused the request (HTTP ${status}).`, {
    status,
    retryable: false,
  });
}

function networkError(url: string, cause: unknown): CalsyncError {
  const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
  return new CalsyncError(
    'network',
    timedOut ? `The server ${hostOf(url)} did not answer in time.` : `Could not reach ${hostOf(url)}.`,
    { cause: stripCause(cause) },
  );
}

/** Keeps only name and message of a cause: some fetch errors carry the request (and its headers). */
function stripCause(cause: unknown): Error {
  if (cause instanceof Error) {
    const copy = new Error(cause.message);
    copy.name = cause.name;
    return copy;
  }
  return new Error(String(cause));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
