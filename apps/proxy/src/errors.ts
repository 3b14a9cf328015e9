/** Machine-readable reasons a proxied request or the proxy's setup failed. */
export const ProxyErrorCode = {
  config: 'config',
  forbiddenAddress: 'forbidden-address',
  timeout: 'timeout',
  tooLarge: 'too-large',
} as const;

/** One of the values of {@link ProxyErrorCode}. */
export type ProxyErrorCode = (typeof ProxyErrorCode)[keyof typeof ProxyErrorCode];

/**
 * Base class of the proxy's own errors. Callers branch on `code` (or the subclass), never on
 * the message, which is for humans and never contains credentials.
 */
export class ProxyError extends Error {
  override readonly name: string = 'ProxyError';
  readonly code: ProxyErrorCode;
  constructor(code: ProxyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The configuration file or environment is invalid; the message names the field. */
export class ProxyConfigError extends ProxyError {
  override readonly name = 'ProxyConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ProxyErrorCode.config, message, options);
  }
}

/**
 * The upstream host is, or resolved to, an address the proxy must not connect to (loopback,
 * private, link-local, unique-local, unspecified, …) and its upstream entry lacks
 * `allowPrivate`.
 */
export class ForbiddenAddressError extends ProxyError {
  override readonly name = 'ForbiddenAddressError';
  /** The refused address, kept for logs (an IP address, never a credential). */
  readonly address: string;
  constructor(address: string) {
    super(ProxyErrorCode.forbiddenAddress, `refused to connect to non-public address ${address}`);
    this.address = address;
  }
}

/** The upstream did not answer (or stalled) within the configured `timeoutMs`. */
export class UpstreamTimeoutError extends ProxyError {
  override readonly name = 'UpstreamTimeoutError';
  constructor(timeoutMs: number) {
    super(ProxyErrorCode.timeout, `upstream did not answer within ${timeoutMs} ms`);
  }
}

/** A request or response body exceeded its configured byte limit. */
export class BodyTooLargeError extends ProxyError {
  override readonly name = 'BodyTooLargeError';
  readonly limit: number;
  constructor(limit: number) {
    super(ProxyErrorCode.tooLarge, `body exceeds the limit of ${limit} bytes`);
    this.limit = limit;
  }
}
