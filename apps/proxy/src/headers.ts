import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Methods the proxy forwards (OPTIONS preflights are answered by the proxy itself). */
export const ALLOWED_METHODS = [
  'OPTIONS',
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'PROPFIND',
  'PROPPATCH',
  'REPORT',
  'MKCALENDAR',
  'MKCOL',
  'MOVE',
  'COPY',
] as const;

/** One of {@link ALLOWED_METHODS}. */
export type AllowedMethod = (typeof ALLOWED_METHODS)[number];

/** True when `method` is one of {@link ALLOWED_METHODS} (exact, upper case). */
export function isAllowedMethod(method: string): method is AllowedMethod {
  return (ALLOWED_METHODS as readonly string[]).includes(method);
}

/**
 * Request headers copied upstream (lower case). Everything else is dropped: cookies and the
 * browser's Origin/Referer would leak the app's context to the CalDAV server, Host is set
 * from the target, and X-Forwarded-* would let a caller spoof addresses to the upstream.
 */
export const FORWARDED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'depth',
  'if-match',
  'if-none-match',
  'prefer',
  'brief',
  'destination',
  'overwrite',
  'accept',
  'accept-language',
] as const;

/**
 * Response headers copied back (lower case). Set-Cookie is never among them: the proxy
 * shares one origin between all upstreams, so a cookie from one would go to the others.
 * Content-Encoding is kept because the body bytes are passed through unchanged.
 */
export const RETURNED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'etag',
  'dav',
  'location',
  'last-modified',
  'preference-applied',
  'schedule-tag',
  'retry-after',
  'allow',
] as const;

/**
 * The upstream's `WWW-Authenticate` comes back under this name. Passed as is, a
 * `WWW-Authenticate: Basic` on a 401 makes browsers show their native login dialog over the
 * app, and the dialog's credentials would be cached for the proxy's origin and sent to every
 * upstream. Renamed, the app still learns which schemes the server offers.
 */
export const UPSTREAM_AUTHENTICATE_HEADER = 'x-calsync-www-authenticate';

/** Headers an app may read from proxied responses (for `Access-Control-Expose-Headers`). */
export const EXPOSED_RESPONSE_HEADERS = [
  'ETag',
  'DAV',
  'Location',
  'Content-Type',
  'Content-Length',
  'Last-Modified',
  'Preference-Applied',
  'Schedule-Tag',
  'Retry-After',
  'Allow',
  'X-Calsync-WWW-Authenticate',
] as const;

/** The allowlisted subset of an incoming request's headers. */
export function pickRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const picked: Record<string, string | string[]> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = headers[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** The allowlisted subset of an upstream response's headers, WWW-Authenticate renamed. */
export function pickResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const picked: Record<string, string | string[]> = {};
  for (const name of RETURNED_RESPONSE_HEADERS) {
    const value = headers[name];
    if (value !== undefined) picked[name] = value;
  }
  const authenticate = headers['www-authenticate'];
  if (authenticate !== undefined) picked[UPSTREAM_AUTHENTICATE_HEADER] = authenticate;
  return picked;
}
