import { CalsyncError } from '../api/errors.ts';
import { type CanonicalHref, canonicalHref } from './href.ts';
import { CALDAV_NS, child, children, DAV_NS, type XmlElement } from './xml.ts';

/** One `<response>` of a 207 Multi-Status, with the properties of its 2xx propstats. */
export interface DavResponse {
  /** Absolute URL, resolved against the request URL, in canonical form (see `href.ts`). */
  readonly href: CanonicalHref;
  /** Status of the whole response (`<status>` directly in `<response>`), if given. */
  readonly status: number | undefined;
  /** Properties found in propstats with a 2xx status, by `{ns}name`. */
  readonly props: ReadonlyMap<string, XmlElement>;
  /** Properties the server reported as missing (404 propstat), by `{ns}name`. */
  readonly missing: ReadonlySet<string>;
}

/** A parsed Multi-Status body. */
export interface Multistatus {
  readonly responses: DavResponse[];
  /** `<sync-token>` directly inside `<multistatus>` (RFC 6578). */
  readonly syncToken: string | undefined;
}

/** Key of a property in {@link DavResponse.props}. */
export function propKey(ns: string, name: string): string {
  return `{${ns}}${name}`;
}

/** Parses an HTTP status line such as `HTTP/1.1 404 Not Found`. */
export function parseStatusLine(line: string | undefined): number | undefined {
  const match = /^\s*HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(line ?? '');
  return match?.[1] ? Number(match[1]) : undefined;
}

/**
 * Reads a `<multistatus>` element, strictly (RFC 4918 §14.16, §14.24): each `response`
 * has an href and either a status or propstats, each propstat has a status. A body of
 * another shape — `response` in a foreign namespace, a response with neither status nor
 * propstat — is `bad-data`, never an empty or partial list: absence from a listing is
 * read as deletion, so an answer we do not understand must not look like "no objects".
 * Hrefs are resolved against `requestUrl` and written canonically; a response with a
 * status may name several hrefs (one entry each). Nothing is filtered by file extension.
 */
export function readMultistatus(root: XmlElement, requestUrl: string): Multistatus {
  if (root.ns !== DAV_NS || root.name !== 'multistatus') {
    throw new CalsyncError('bad-data', `Expected a DAV multistatus, got <${root.name}>`);
  }
  const responses: DavResponse[] = [];
  for (const element of root.children) {
    if (element.name === 'response' && element.ns !== DAV_NS) {
      throw new CalsyncError('bad-data', `The server sent <response> in the namespace "${element.ns}", not DAV:.`);
    }
    if (element.name !== 'response') continue;
    responses.push(...readResponse(element, requestUrl));
  }
  return { responses, syncToken: child(root, DAV_NS, 'sync-token')?.text.trim() || undefined };
}

function readResponse(response: XmlElement, requestUrl: string): DavResponse[] {
  const hrefs = children(response, DAV_NS, 'href').map((h) => h.text.trim());
  if (hrefs.length === 0 || hrefs.some((h) => h === '')) {
    throw new CalsyncError('bad-data', 'Server sent a multistatus response without href');
  }
  const statusElement = child(response, DAV_NS, 'status');
  const status = parseStatusLine(statusElement?.text);
  if (statusElement !== undefined && status === undefined) {
    throw new CalsyncError('bad-data', 'Server sent a multistatus response with an unreadable status');
  }
  const propstats = children(response, DAV_NS, 'propstat');
  if (status === undefined && propstats.length === 0) {
    throw new CalsyncError('bad-data', 'Server sent a multistatus response with neither status nor propstat');
  }
  if (propstats.length > 0 && hrefs.length > 1) {
    throw new CalsyncError('bad-data', 'Server sent properties for several hrefs in one response');
  }
  const props = new Map<string, XmlElement>();
  const missing = new Set<string>();
  for (const propstat of propstats) {
    const propStatus = parseStatusLine(child(propstat, DAV_NS, 'status')?.text);
    if (propStatus === undefined) throw new CalsyncError('bad-data', 'Server sent a propstat without a status');
    const prop = child(propstat, DAV_NS, 'prop');
    for (const p of prop?.children ?? []) {
      if (propStatus >= 200 && propStatus < 300) props.set(propKey(p.ns, p.name), p);
      else missing.add(propKey(p.ns, p.name));
    }
  }
  return hrefs.map((href) => ({ href: canonicalHref(href, requestUrl), status, props, missing }));
}

/** Text of a property, trimmed; undefined when absent. */
export function propText(response: DavResponse, ns: string, name: string): string | undefined {
  const element = response.props.get(propKey(ns, name));
  return element === undefined ? undefined : element.text.trim();
}

/** ETag of a response, normalised so that weak/strong and `-gzip` suffixes compare stably. */
export function responseEtag(response: DavResponse): string | undefined {
  return propText(response, DAV_NS, 'getetag') || undefined;
}

/** The raw `calendar-data` text (not trimmed: ICS line endings are significant). */
export function calendarData(response: DavResponse): string | undefined {
  const element = response.props.get(propKey(CALDAV_NS, 'calendar-data'));
  return element?.text || undefined;
}
