import { readFile } from 'node:fs/promises';
import { ProxyConfigError } from './errors.ts';

/** One CalDAV server the proxy may forward to. */
export interface UpstreamConfig {
  /** Scheme, host and port only, e.g. `https://caldav.example.com` or `http://127.0.0.1:5232`. */
  readonly origin: string;
  /**
   * Allow loopback, private, link-local, unique-local and unspecified addresses for this
   * upstream (e.g. a Radicale on the same machine). Off by default so that a host name
   * cannot be pointed at the proxy's own network.
   */
  readonly allowPrivate?: boolean;
}

/** The proxy's configuration, as read from JSON or the environment. */
export interface ProxyConfig {
  /** The only servers requests may reach; matched on exact scheme, host and port. */
  readonly upstreams: readonly UpstreamConfig[];
  /** App origins (e.g. `https://app.example.com`) that get CORS headers. */
  readonly allowedOrigins: readonly string[];
  /**
   * Refuse requests without an `Origin` header; default true. Browsers send `Origin` on
   * every CORS request, so the SDK is never refused; what they send without it are plain
   * loads (a proxied URL opened in a tab or embedded in another page), which this turns
   * away. Non-browser callers (curl, servers) omit it too: set false for a proxy that must
   * serve them. `Origin` is not a credential either way; the upstream allowlist and the
   * address policy are what bound the proxy.
   */
  readonly requireOrigin?: boolean;
  /** Largest request body forwarded; default 10 MiB. Larger ones get 413. */
  readonly maxRequestBytes?: number;
  /**
   * Most request-body bytes buffered at once across all requests; default 64 MiB, at least
   * `maxRequestBytes`. A body that would pass it gets 503 with `Retry-After`.
   */
  readonly maxBufferedRequestBytes?: number;
  /**
   * Time for a client to send its whole request body, however steadily it trickles; also
   * its time to send the request headers; default 30 s. Later bodies get 408.
   */
  readonly requestBodyTimeoutMs?: number;
  /** Largest upstream response body passed back; default 50 MiB. */
  readonly maxResponseBytes?: number;
  /** Time for the upstream to send response headers, and longest body stall; default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Longest whole upstream exchange, from connecting to the last response byte, however
   * steadily bytes arrive; default 120 s. Cut off with 504, or a broken connection once
   * the response has started.
   */
  readonly upstreamDeadlineMs?: number;
}

/** A validated {@link ProxyConfig} with normalized origins and defaults filled in. */
export interface ResolvedProxyConfig {
  /** Keyed by normalized origin (`URL.origin`). */
  readonly upstreams: ReadonlyMap<string, { readonly allowPrivate: boolean }>;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly requireOrigin: boolean;
  readonly maxRequestBytes: number;
  readonly maxBufferedRequestBytes: number;
  readonly requestBodyTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly timeoutMs: number;
  readonly upstreamDeadlineMs: number;
}

/** Defaults for the optional fields of {@link ProxyConfig}. */
export const PROXY_DEFAULTS = {
  requireOrigin: true,
  maxRequestBytes: 10 * 1024 * 1024,
  maxBufferedRequestBytes: 64 * 1024 * 1024,
  requestBodyTimeoutMs: 30_000,
  maxResponseBytes: 50 * 1024 * 1024,
  timeoutMs: 30_000,
  upstreamDeadlineMs: 120_000,
} as const;

/**
 * Validates `config` and fills in defaults.
 *
 * @throws ProxyConfigError naming the bad field (no upstreams, an upstream origin with a
 *   path or credentials, a non-positive limit, a body budget below `maxRequestBytes`, …).
 */
export function resolveConfig(config: ProxyConfig): ResolvedProxyConfig {
  if (!Array.isArray(config.upstreams) || config.upstreams.length === 0) {
    throw new ProxyConfigError('upstreams: at least one upstream origin is required');
  }
  const upstreams = new Map<string, { allowPrivate: boolean }>();
  for (const upstream of config.upstreams as readonly unknown[]) {
    if (typeof upstream !== 'object' || upstream === null) {
      throw new ProxyConfigError('upstreams: each entry must be an object with an origin');
    }
    const { origin: rawOrigin, allowPrivate: rawAllowPrivate } = upstream as Partial<UpstreamConfig>;
    const origin = normalizeUpstreamOrigin(rawOrigin);
    const allowPrivate = rawAllowPrivate === true || upstreams.get(origin)?.allowPrivate === true;
    upstreams.set(origin, { allowPrivate });
  }
  if (!Array.isArray(config.allowedOrigins) || config.allowedOrigins.some((o) => typeof o !== 'string')) {
    throw new ProxyConfigError('allowedOrigins: expected an array of origin strings');
  }
  if (config.allowedOrigins.includes('*')) {
    throw new ProxyConfigError('allowedOrigins: "*" is not supported; list app origins');
  }
  const maxRequestBytes = positive('maxRequestBytes', config.maxRequestBytes ?? PROXY_DEFAULTS.maxRequestBytes);
  const maxBufferedRequestBytes = positive(
    'maxBufferedRequestBytes',
    config.maxBufferedRequestBytes ?? PROXY_DEFAULTS.maxBufferedRequestBytes,
  );
  // Otherwise a body within maxRequestBytes could never be accepted, with 503 "try later".
  if (maxBufferedRequestBytes < maxRequestBytes) {
    throw new ProxyConfigError(`maxBufferedRequestBytes: must be at least maxRequestBytes (${maxRequestBytes})`);
  }
  return {
    upstreams,
    allowedOrigins: new Set(config.allowedOrigins.map(normalizeAppOrigin)),
    requireOrigin: boolean('requireOrigin', config.requireOrigin ?? PROXY_DEFAULTS.requireOrigin),
    maxRequestBytes,
    maxBufferedRequestBytes,
    requestBodyTimeoutMs: duration(
      'requestBodyTimeoutMs',
      config.requestBodyTimeoutMs ?? PROXY_DEFAULTS.requestBodyTimeoutMs,
    ),
    maxResponseBytes: positive('maxResponseBytes', config.maxResponseBytes ?? PROXY_DEFAULTS.maxResponseBytes),
    timeoutMs: duration('timeoutMs', config.timeoutMs ?? PROXY_DEFAULTS.timeoutMs),
    upstreamDeadlineMs: duration('upstreamDeadlineMs', config.upstreamDeadlineMs ?? PROXY_DEFAULTS.upstreamDeadlineMs),
  };
}

function normalizeUpstreamOrigin(origin: unknown): string {
  if (typeof origin !== 'string' || !URL.canParse(origin)) {
    throw new ProxyConfigError(`upstreams: invalid origin ${JSON.stringify(origin)}`);
  }
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(`upstreams: ${url.protocol} is not http or https`);
  }
  // A path would suggest the proxy restricts paths, which it does not: be explicit.
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new ProxyConfigError(`upstreams: ${url.origin} must be scheme://host[:port] only`);
  }
  return url.origin;
}

// Browsers send serialized origins (lowercase host, no default port, no slash); normalize
// configured http(s) origins the same way so `https://App.example.com/` still matches.
function normalizeAppOrigin(origin: string): string {
  const trimmed = origin.trim();
  if (!URL.canParse(trimmed)) return trimmed;
  const url = new URL(trimmed);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : trimmed;
}

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ProxyConfigError(`${field}: expected a positive number`);
  }
  return value;
}

// Node runs a timer longer than 2^31 - 1 ms after 1 ms instead: every request would time out.
const MAX_TIMER_MS = 2 ** 31 - 1;

function duration(field: string, value: unknown): number {
  const ms = positive(field, value);
  if (ms > MAX_TIMER_MS) throw new ProxyConfigError(`${field}: at most ${MAX_TIMER_MS} ms`);
  return ms;
}

// Strict, because a JSON `"requireOrigin": "false"` must not quietly mean true (or false).
function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ProxyConfigError(`${field}: expected true or false`);
  return value;
}

/** Where {@link loadConfig} reads from. */
export interface LoadConfigOptions {
  /** A JSON file holding a {@link ProxyConfig}; default `env.CALSYNC_PROXY_CONFIG`. */
  readonly path?: string;
  /** Environment to read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads a {@link ProxyConfig} from a JSON file and/or the environment, then validates it.
 * Environment variables, when set, replace the same fields of the file:
 * `CALSYNC_PROXY_UPSTREAMS` (comma-separated origins), `CALSYNC_PROXY_ALLOW_PRIVATE=1`
 * (applies to those env upstreams), `CALSYNC_PROXY_ORIGINS` (comma-separated app origins),
 * `CALSYNC_PROXY_REQUIRE_ORIGIN` (`0`/`false` or `1`/`true`).
 *
 * @throws ProxyConfigError when the file cannot be read or parsed, or the result is invalid.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ProxyConfig> {
  const env = options.env ?? process.env;
  const path = options.path ?? nonEmpty(env.CALSYNC_PROXY_CONFIG);
  let config: ProxyConfig = { upstreams: [], allowedOrigins: [] };
  if (path !== undefined) config = await readConfigFile(path);

  const upstreams = splitList(env.CALSYNC_PROXY_UPSTREAMS);
  if (upstreams.length > 0) {
    const allowPrivate = env.CALSYNC_PROXY_ALLOW_PRIVATE === '1' || env.CALSYNC_PROXY_ALLOW_PRIVATE === 'true';
    config = { ...config, upstreams: upstreams.map((origin) => ({ origin, allowPrivate })) };
  }
  const origins = splitList(env.CALSYNC_PROXY_ORIGINS);
  if (origins.length > 0) config = { ...config, allowedOrigins: origins };
  const requireOrigin = nonEmpty(env.CALSYNC_PROXY_REQUIRE_ORIGIN);
  if (requireOrigin !== undefined) {
    config = { ...config, requireOrigin: parseFlag('CALSYNC_PROXY_REQUIRE_ORIGIN', requireOrigin) };
  }

  resolveConfig(config);
  return config;
}

async function readConfigFile(path: string): Promise<ProxyConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ProxyConfigError(`cannot read config file ${path}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ProxyConfigError(`config file ${path} is not valid JSON`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProxyConfigError(`config file ${path} must hold a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  // Missing lists become empty so that env variables can supply them.
  return {
    ...record,
    upstreams: record.upstreams ?? [],
    allowedOrigins: record.allowedOrigins ?? [],
  } as ProxyConfig;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseFlag(name: string, value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (normalized === '1' || normalized === 'true') return true;
  if (normalized === '0' || normalized === 'false') return false;
  throw new ProxyConfigError(`${name}: expected 1, true, 0 or false`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
