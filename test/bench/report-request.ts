/**
 * Timed bare requests, shared by Node and the bench page (no Node or DOM-only API here):
 * the request bodies the limit figures use, and small readers for multistatus answers.
 */

/** Every event with its data: what a first sync must download (VEVENT filter, as most clients send). */
export const CALENDAR_QUERY_BODY =
  '<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
  '<d:prop><d:getetag/><c:calendar-data/></d:prop>' +
  '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter>' +
  '</c:calendar-query>';

/** Every object with its data, VCALENDAR filter only: calsync's own first download (caldav-transport.ts). */
export const CALENDAR_QUERY_ALL_BODY =
  '<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
  '<d:prop><d:getetag/><c:calendar-data/></d:prop>' +
  '<c:filter><c:comp-filter name="VCALENDAR"/></c:filter>' +
  '</c:calendar-query>';

/**
 * The calendar-list PROPFIND (Depth 1 on the calendar home) with the properties calsync
 * asks for once it knows its calendars support sync-collection (no getctag; see
 * packages/core/src/transport/caldav-transport.ts): calsync's first request of every sync
 * after the first, and its only one when nothing changed.
 */
export const CALENDAR_LIST_BODY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" ' +
  'xmlns:cs="http://calendarserver.org/ns/" xmlns:i="http://apple.com/ns/ical/">' +
  '<d:prop><d:resourcetype/><d:displayname/><i:calendar-color/><d:sync-token/>' +
  '<c:supported-calendar-component-set/><d:current-user-privilege-set/><d:supported-report-set/></d:prop>' +
  '</d:propfind>';

/** RFC 6578 sync-collection from `token` ('' = everything), with or without calendar-data. */
export function syncCollectionBody(token: string, withData: boolean): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
    `<d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level>` +
    `<d:prop><d:getetag/>${withData ? '<c:calendar-data/>' : ''}</d:prop></d:sync-collection>`
  );
}

/** The `<sync-token>` of a multistatus (prefix-agnostic), or '' when there is none. */
export function readSyncToken(xml: string): string {
  return /<(?:[\w-]+:)?sync-token>([^<]*)</.exec(xml)?.[1] ?? '';
}

/** How many `<response>` elements a multistatus holds (prefix-agnostic). */
export function countResponses(xml: string): number {
  return xml.match(/<(?:[\w-]+:)?response>/g)?.length ?? 0;
}

/**
 * How many 404 statuses it holds: in a listing of objects, deleted ones — a sync-collection
 * lists them also from the empty token (Radicale keeps deletions in its history for 30 days).
 */
export function countGone(xml: string): number {
  return xml.match(/<(?:[\w-]+:)?status>HTTP\/1\.[01] 404/g)?.length ?? 0;
}

/** One REPORT (or PROPFIND) to time. */
export interface TimedReport {
  readonly method: 'REPORT' | 'PROPFIND';
  readonly url: string;
  readonly body: string;
  readonly depth: '0' | '1';
  /** `Authorization` header value. */
  readonly authorization: string;
}

/** What one bare request took and answered. */
export interface ReportTiming {
  /** From sending the request to having read the whole body. */
  readonly ms: number;
  readonly status: number;
  /** `<response>` elements in the answer. */
  readonly responses: number;
  /**
   * 404 statuses: deleted objects in a sync-collection (object listings ask only for
   * properties every object has), missing properties in a PROPFIND.
   */
  readonly gone: number;
  readonly token: string;
  /** Characters of the body. */
  readonly chars: number;
}

/** Sends the request with this runtime's `fetch` and times it until the body is read. */
export async function sendReport(request: TimedReport): Promise<ReportTiming> {
  const started = performance.now();
  const response = await fetch(request.url, {
    method: request.method,
    headers: {
      Authorization: request.authorization,
      Depth: request.depth,
      'Content-Type': 'application/xml; charset=utf-8',
    },
    body: request.body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  return {
    ms,
    status: response.status,
    responses: countResponses(text),
    gone: countGone(text),
    token: readSyncToken(text),
    chars: text.length,
  };
}

/** One unconditional PUT of the bare loop. */
export interface BarePut {
  readonly url: string;
  readonly body: string;
}

/**
 * PUTs one after the other with this runtime's `fetch`, unconditionally (no If-Match), and
 * returns the total milliseconds; throws on a non-2xx answer. From the bench page these are
 * cross-origin like calsync's own (CORS preflights included), so the ratio compares like with like.
 */
export async function barePuts(puts: readonly BarePut[], authorization: string): Promise<number> {
  const started = performance.now();
  for (const put of puts) {
    const response = await fetch(put.url, {
      method: 'PUT',
      headers: { Authorization: authorization, 'Content-Type': 'text/calendar; charset=utf-8' },
      body: put.body,
    });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`PUT ${put.url}: ${response.status}`);
  }
  return performance.now() - started;
}
