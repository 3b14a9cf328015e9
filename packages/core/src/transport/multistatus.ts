import { CalsyncError } from '../errors.ts';
import { CALDAV_NS, child, children, DAV_NS, type XmlElement } from './xml.ts';

/** One `<response>` of a 207 Multi-Status, with the properties of its 2xx propstats. */
export interface DavResponse {
  /** Absolute URL (resolved against the request URL), percent-encoding as sent by the server. */
  readonly href: string;
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
 * Reads a `<multistatus>` element. Hrefs are resolved against `requestUrl` so that any
 * later comparison is between absolute URLs; nothing is filtered by file extension.
 */
export function readMultistatus(root: XmlElement, requestUrl: string): Multistatus {
  if (root.ns !== DAV_NS || root.name !== 'multistatus') {
    throw new CalsyncError('bad-data', `Expected a DAV multistatus, got <${root.name}>`);
  }
  const responses: DavResponse[] = [];
  for (const response of children(root, DAV_NS, 'response')) {
    const hrefText = child(response, DAV_NS, 'href')?.text.trim();
    if (!hrefText) throw new CalsyncError('bad-data', 'Server sent a multistatus response without href');
    let href: string;
    try {
      href = new URL(hrefText, requestUrl).toString();
    } catch (error) {
      throw new CalsyncError('bad-data', 'Server sent an unreadable href', { cause: error });
    }
    const props = new Map<string, XmlElement>();
    const missing = new Set<string>();
    for (const propstat of children(response, DAV_NS, 'propstat')) {
      const status = parseStatusLine(child(propstat, DAV_NS, 'status')?.text);
      const prop = child(propstat, DAV_NS, 'prop');
      for (const p of prop?.children ?? []) {
        if (status !== undefined && status >= 200 && status < 300) props.set(propKey(p.ns, p.name), p);
        else missing.add(propKey(p.ns, p.name));
      }
    }
    responses.push({ href, status: parseStatusLine(child(response, DAV_NS, 'status')?.text), props, missing });
  }
  return { responses, syncToken: child(root, DAV_NS, 'sync-token')?.text.trim() || undefined };
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
