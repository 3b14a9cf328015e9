import type { OutgoingHttpHeaders } from 'node:http';
import { ALLOWED_METHODS, EXPOSED_RESPONSE_HEADERS, FORWARDED_REQUEST_HEADERS } from './headers.ts';

/** How long browsers may cache a preflight answer, in seconds. */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The outcome of checking a request's `Origin`: `allowed` (CORS headers for that exact
 * origin), `none` (no Origin header: a non-browser caller, no CORS headers) or `refused`.
 */
export type OriginDecision =
  | { readonly kind: 'allowed'; readonly origin: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'refused' };

/** Decides whether the request's `Origin` may use the proxy. */
export function checkOrigin(
  origin: string | undefined,
  allowedOrigins: ReadonlySet<string>,
  requireOrigin: boolean,
): OriginDecision {
  if (origin === undefined) return requireOrigin ? { kind: 'refused' } : { kind: 'none' };
  return allowedOrigins.has(origin) ? { kind: 'allowed', origin } : { kind: 'refused' };
}

/**
 * CORS headers for an actual (non-preflight) response. `Vary: Origin` is always sent because
 * the answer depends on the Origin, so shared caches must not reuse it across origins.
 * No `Allow-Credentials`: the SDK sends Authorization explicitly, never cookies.
 */
export function corsResponseHeaders(decision: OriginDecision): OutgoingHttpHeaders {
  if (decision.kind !== 'allowed') return { vary: 'Origin' };
  return {
    vary: 'Origin',
    'access-control-allow-origin': decision.origin,
    'access-control-expose-headers': EXPOSED_RESPONSE_HEADERS.join(', '),
  };
}

/** Headers answering a preflight from an allowed origin. */
export function corsPreflightHeaders(origin: string): OutgoingHttpHeaders {
  return {
    vary: 'Origin',
    'access-control-allow-origin': origin,
    'access-control-allow-methods': ALLOWED_METHODS.join(', '),
    'access-control-allow-headers': FORWARDED_REQUEST_HEADERS.join(', '),
    'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}
