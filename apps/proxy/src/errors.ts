/** Machine-readable reasons a proxied request or the proxy's setup failed. */
export const ProxyErrorCode = {
  config: 'config',
  forbiddenAddress: 'forbidden-address',
  timeout: 'timeout',
  tooLarge: 'too-large',
  requestTimeout: 'request-timeout',
  overloaded: 'overloaded',
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

/**
 * The upstream exchange as a whole outlasted `upstreamDeadlineMs`, however steadily bytes
 * kept arriving (the `timeoutMs` stall timer restarts on every chunk; this one does not).
 */
export class UpstreamDeadlineError extends ProxyError {
  override readonly name = 'UpstreamDeadlineError';
  constructor(deadlineMs: number) {
    super(ProxyErrorCode.timeout, `upstream exchange did not finish within ${deadlineMs} ms`);
  }
}

/** The client did not send its whole request body within `requestBodyTimeoutMs`. */
export class RequestBodyTimeoutError extends ProxyError {
  override readonly name = 'RequestBodyTimeoutError';
  constructor(timeoutMs: number) {
    super(ProxyErrorCode.requestTimeout, `request body did not arrive within ${timeoutMs} ms`);
  }
}

/**
 * Buffering this request body would take the bytes buffered across all requests past
 * `maxBufferedRequestBytes`. The request itself may be fine: it is worth retrying later.
 */
export class BodyBudgetExceededError extends ProxyError {
  override readonly name = 'BodyBudgetExceededError';
  readonly budget: number;
  constructor(budget: number) {
    super(ProxyErrorCode.overloaded, `request bodies buffered by the proxy would exceed ${budget} bytes`);
    this.budget = budget;
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
