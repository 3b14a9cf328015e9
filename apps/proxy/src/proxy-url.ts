/**
 * The mapping between a CalDAV server URL and a URL on the proxy:
 * `${proxyBase}/${scheme}/${host[:port]}${path}${query}`.
 *
 * No Node imports on purpose: the SDK uses the same mapping in browsers, and keeping it this
 * small lets it copy the code rather than depend on the proxy package.
 */

/**
 * Maps `targetUrl` (an absolute http or https URL) onto the proxy at `proxyBase`.
 * Any user info and fragment of the target are dropped: credentials travel in the
 * Authorization header, and fragments never reach servers.
 *
 * @throws TypeError when `targetUrl` is not an absolute http(s) URL.
 */
export function toProxyUrl(proxyBase: string, targetUrl: string): string {
  const target = new URL(targetUrl);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new TypeError(`toProxyUrl: unsupported scheme ${target.protocol}`);
  }
  const base = proxyBase.replace(/\/+$/, '');
  return `${base}/${target.protocol.slice(0, -1)}/${target.host}${target.pathname}${target.search}`;
}

// `/scheme/host[:port]` then an optional path and query. The host part cannot contain
// `/ ? #`, so the path always starts after it.
const PROXY_PATH = /^\/(https?)\/([^/?#]+)([/?][^#]*)?$/;

/**
 * Inverse of {@link toProxyUrl}: turns the path and query of a request to the proxy
 * (e.g. `/https/caldav.example.com/dav/?x=1`) back into the target URL, or `undefined`
 * when the path does not follow the scheme.
 */
export function fromProxyPath(pathAndQuery: string): URL | undefined {
  const match = PROXY_PATH.exec(pathAndQuery);
  if (!match) return undefined;
  const [, scheme, host, rest = '/'] = match;
  // `@` would smuggle user info and `\` is read as `/` by URL parsers: both make the
  // host someone sees differ from the host we would connect to.
  if (host === undefined || /[@\\]/.test(host)) return undefined;
  const path = rest.startsWith('?') ? `/${rest}` : rest;
  try {
    return new URL(`${scheme}://${host}${path}`);
  } catch {
    return undefined;
  }
}
