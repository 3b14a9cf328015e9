import type { DavHttpResponse } from './dav-http.ts';
import { type DavResponse, propKey, propText, readMultistatus } from './multistatus.ts';
import type { RemoteCalendar, WritePrecondition, WriteResult } from './port.ts';
import { CS_NS, contains, DAV_NS, ICAL_NS, parseXml, type XmlElement } from './xml.ts';

// Reading CalDAV answers and writing preconditions: the pure helpers of caldav-transport.ts.

/** A member response without an error status (2xx or none given: propstats say the rest). */
export function isOk(r: DavResponse): boolean {
  return r.status === undefined || (r.status >= 200 && r.status < 300);
}

/** A calendar collection as the listing describes it (privileges, reports, token, colour). */
export function toRemoteCalendar(r: DavResponse, components: string[]): RemoteCalendar {
  const privileges = r.props.get(propKey(DAV_NS, 'current-user-privilege-set'));
  const reports = r.props.get(propKey(DAV_NS, 'supported-report-set'));
  const syncToken = propText(r, DAV_NS, 'sync-token') || undefined;
  const color = propText(r, ICAL_NS, 'calendar-color') || undefined;
  const ctag = propText(r, CS_NS, 'getctag') || undefined;
  const readOnly =
    privileges !== undefined &&
    !contains(privileges, DAV_NS, 'write') &&
    !contains(privileges, DAV_NS, 'write-content') &&
    !contains(privileges, DAV_NS, 'all');
  return {
    url: r.href,
    displayName: propText(r, DAV_NS, 'displayname') || decodeURIComponent(lastSegment(r.href)),
    color,
    ctag,
    syncToken,
    components,
    readOnly,
    supportsSyncCollection:
      syncToken !== undefined || (reports !== undefined && contains(reports, DAV_NS, 'sync-collection')),
  };
}

function lastSegment(url: string): string {
  const parts = new URL(url).pathname.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? url;
}

/** An error body naming the DAV:valid-sync-token precondition (RFC 6578 §3.2): the token is no longer valid. */
export function bodyMentionsInvalidToken(text: string): boolean {
  if (!text.includes('valid-sync-token')) return false;
  try {
    return contains(parseXml(text), DAV_NS, 'valid-sync-token');
  } catch {
    return false;
  }
}

/** The same inside a 207 answer (some servers wrap the refusal in a multistatus). */
export function multistatusMentionsInvalidToken(text: string): boolean {
  return text.includes('valid-sync-token') && bodyMentionsInvalidToken(text);
}

/** The HTTP headers of a write precondition. */
export function preconditionHeaders(precondition: WritePrecondition): Record<string, string> {
  if ('ifMatch' in precondition) return { 'If-Match': precondition.ifMatch };
  if ('ifNoneMatch' in precondition) return { 'If-None-Match': '*' };
  return {};
}

/**
 * Reduces a write answer to one status; a 207 carries the real outcome inside (Xandikos
 * does that), and a `DAV:error` body names the condition a refusal was about.
 */
export function toWriteResult(response: DavHttpResponse, href: string): WriteResult {
  const body = response.text.slice(0, 500);
  const etag = response.headers.get('etag') ?? undefined;
  if (response.status !== 207) {
    const condition = response.status >= 400 ? errorCondition(response.text) : undefined;
    return { status: response.status, etag, body, ...(condition === undefined ? {} : { condition }) };
  }
  let root: XmlElement;
  try {
    root = parseXml(response.text);
    const multistatus = readMultistatus(root, href);
    const inner = multistatus.responses.map((r) => r.status).find((status) => status !== undefined && status >= 300);
    const condition = inner === undefined ? undefined : firstCondition(root);
    return { status: inner ?? 200, etag, body, ...(condition === undefined ? {} : { condition }) };
  } catch {
    return { status: 502, etag: undefined, body };
  }
}

/** The first condition named inside a `DAV:error` anywhere in `root` (no recursion). */
function firstCondition(root: XmlElement): string | undefined {
  const todo = [root];
  for (let element = todo.pop(); element !== undefined; element = todo.pop()) {
    if (element.ns === DAV_NS && element.name === 'error') return element.children[0]?.name;
    todo.push(...element.children);
  }
  return undefined;
}

function errorCondition(text: string): string | undefined {
  if (!/<([\w-]+:)?error[\s>]/.test(text)) return undefined;
  try {
    return firstCondition(parseXml(text));
  } catch {
    return undefined;
  }
}
