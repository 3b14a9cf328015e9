import { CalsyncError } from '../api/errors.ts';

/**
 * An absolute URL in calsync's one canonical form (see {@link canonicalHref}). Hrefs from
 * the server, from the store and from the outbox are compared only in this form: a server
 * may list `a@b.ics` for the `a%40b.ics` a client wrote, `./a.ics`, `%61.ics` or
 * `HOST:80/…` for the same resource.
 */
export type CanonicalHref = string & { readonly __canonicalHref: true };

/**
 * Characters a path segment may carry unencoded (RFC 3986 `pchar`: unreserved, sub-delims,
 * `:` and `@`). Their escapes are decoded; every other byte is written as `%XX`, uppercase.
 */
const SEGMENT_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

/**
 * Resolves `href` against `base` and writes it canonically: scheme and host lowercased,
 * default port dropped, dot segments resolved (the URL parser does that, `%2e%2e` too),
 * and each path segment re-encoded byte by byte (escapes of characters that need none
 * decoded, the rest uppercase `%XX`). Query and fragment are kept as the parser writes
 * them. Throws `bad-data` for text that is no URL.
 */
export function canonicalHref(href: string, base?: string): CanonicalHref {
  return (base === undefined ? undefined : plainPathHref(href, base)) ?? parsedCanonicalHref(href, base);
}

/** An absolute path of plain segments (no escapes, nothing the URL parser would rewrite). */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]*)+$/;
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;
/** One plain, non-empty path segment. */
const PLAIN_NAME = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]+$/;
let lastBase: { base: string; origin: string | undefined } | undefined;

/**
 * {@link canonicalHref} of the common case without the URL parser — `/cal/uid.ics`, as
 * servers list their members: a plain absolute path against an http(s) base without user
 * info is that base's origin followed by the path, unchanged. `undefined`: not that case.
 * (20,000 hrefs of a first download were three URL parses each.)
 */
function plainPathHref(href: string, base: string): CanonicalHref | undefined {
  if (href.charCodeAt(1) === 47 || !PLAIN_PATH.test(href) || DOT_SEGMENT.test(href)) return undefined;
  if (lastBase?.base !== base) lastBase = { base, origin: plainOrigin(base) };
  return lastBase.origin === undefined ? undefined : ((lastBase.origin + href) as CanonicalHref);
}

function plainOrigin(base: string): string | undefined {
  try {
    const url = new URL(base);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** {@link canonicalHref} through the URL parser: every case (the reference of the fast path). */
export function parsedCanonicalHref(href: string, base?: string): CanonicalHref {
  let url: URL;
  try {
    url = base === undefined ? new URL(href) : new URL(href, base);
  } catch (error) {
    throw new CalsyncError('bad-data', 'The server sent an href that is not a URL.', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CalsyncError('bad-data', `The server sent an href with the scheme ${url.protocol}.`);
  }
  url.pathname = url.pathname.split('/').map(canonicalSegment).join('/');
  return url.toString() as CanonicalHref;
}

/** A segment with nothing to re-encode (the common case: `uid.ics`). */
const PLAIN_SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/;

function canonicalSegment(segment: string): string {
  if (PLAIN_SEGMENT.test(segment)) return segment;
  // The parser leaves the path ASCII (non-ASCII and most specials are already %XX).
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    let byte: number;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(segment.slice(i + 1, i + 3))) {
      byte = Number.parseInt(segment.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      byte = ch.charCodeAt(0);
    }
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && SEGMENT_SAFE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A collection URL in canonical form, always ending in `/`. */
export function canonicalCollection(url: string): CanonicalHref {
  const canonical = canonicalHref(url);
  const parsed = new URL(canonical);
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString() as CanonicalHref;
}

/** Where an href points relative to a collection. */
export type HrefPlace =
  | { readonly kind: 'self' }
  | { readonly kind: 'member'; readonly href: CanonicalHref }
  | { readonly kind: 'outside'; readonly reason: string };

/**
 * Places a server-sent href relative to `collectionUrl` (DESIGN.md; issue "hrefs are
 * contained"): a member lies on the collection's origin, directly inside its path (one
 * segment, no query, no fragment). `member: 'collection'` accepts a sub-collection (a
 * trailing `/`) instead of an object. Anything else — another host, a path that climbs
 * out with `..`, a deeper path, the principal — is `outside`: calsync never stores it and
 * never sends a request (let alone credentials) to it.
 */
export function placeHref(collectionUrl: string, href: string, member: 'object' | 'collection' = 'object'): HrefPlace {
  return hrefPlacer(collectionUrl, member)(href);
}

/** {@link placeHref} for many hrefs of one collection (the collection is parsed once). */
export function hrefPlacer(
  collectionUrl: string,
  member: 'object' | 'collection' = 'object',
): (href: string) => HrefPlace {
  const collection = new URL(canonicalCollection(collectionUrl));
  const prefix = collection.username || collection.password ? undefined : collection.toString();
  return (href) =>
    (prefix === undefined ? undefined : plainMember(prefix, href, member)) ?? place(collection, href, member);
}

/**
 * {@link place} of the common case without the URL parser: an href whose canonical form
 * is the collection's URL followed by one plain name. `undefined`: not that case.
 */
function plainMember(prefix: string, href: string, member: 'object' | 'collection'): HrefPlace | undefined {
  // Already canonical (what a multistatus answer's hrefs are once read), or a plain path.
  const canonical = href.startsWith(prefix) ? href : plainPathHref(href, prefix);
  if (canonical === undefined || !canonical.startsWith(prefix)) return undefined;
  const rest = canonical.slice(prefix.length);
  const name = member === 'collection' && rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (!PLAIN_NAME.test(name) || name === '.' || name === '..') return undefined;
  return { kind: 'member', href: canonical as CanonicalHref };
}

/** {@link placeHref} through the URL parser: every case (the reference of the fast path). */
export function parsedPlaceHref(
  collectionUrl: string,
  href: string,
  member: 'object' | 'collection' = 'object',
): HrefPlace {
  return place(new URL(canonicalCollection(collectionUrl)), href, member);
}

function place(collection: URL, href: string, member: 'object' | 'collection'): HrefPlace {
  let canonical: CanonicalHref;
  try {
    canonical = parsedCanonicalHref(href, collection.toString());
  } catch {
    return { kind: 'outside', reason: 'not an http(s) URL' };
  }
  const url = new URL(canonical);
  if (url.origin !== collection.origin) return { kind: 'outside', reason: `on another origin (${url.origin})` };
  if (url.username || url.password) return { kind: 'outside', reason: 'carries user info' };
  if (url.search || url.hash) return { kind: 'outside', reason: 'has a query or fragment' };
  const path = url.pathname;
  if (path === collection.pathname || `${path}/` === collection.pathname) return { kind: 'self' };
  if (!path.startsWith(collection.pathname)) return { kind: 'outside', reason: 'outside the collection' };
  const rest = path.slice(collection.pathname.length);
  const name = member === 'collection' && rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (name === '' || name.includes('/') || name === '.' || name === '..') {
    return { kind: 'outside', reason: 'not directly inside the collection' };
  }
  return { kind: 'member', href: canonical };
}

/** The `origin` of a URL (`https://host[:port]`), or undefined for text that is no URL. */
/**
 * The order of hrefs in the store: IndexedDB compares strings by UTF-16 code units, which
 * is what `<` on strings does (not `localeCompare`).
 */
export function compareHrefs(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
