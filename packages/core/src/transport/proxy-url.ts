/**
 * Maps a CalDAV server URL onto the calsync CORS proxy (apps/proxy):
 * `https://dav.example.com/cal/` → `${proxyBase}/https/dav.example.com/cal/`.
 *
 * The SDK keeps the real server URL as the logical URL everywhere (store keys, hrefs in
 * multistatus bodies); only the wire request is rewritten, so nothing else needs mapping.
 */
export function toProxyUrl(proxyBase: string, targetUrl: string): string {
  const target = new URL(targetUrl);
  const base = proxyBase.replace(/\/+$/, '');
  return `${base}/${target.protocol.replace(':', '')}/${target.host}${target.pathname}${target.search}`;
}
