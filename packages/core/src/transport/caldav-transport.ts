import { fetchHomeUrl, fetchPrincipalUrl } from 'tsdav';
import { CalsyncError, toCalsyncError } from '../api/errors.ts';
import {
  bodyMentionsInvalidToken,
  isOk,
  multistatusMentionsInvalidToken,
  preconditionHeaders,
  toRemoteCalendar,
  toWriteResult,
} from './dav-answers.ts';
import type { DavHttp, DavHttpResponse } from './dav-http.ts';
import { throwForStatus } from './dav-http.ts';
import { canonicalHref } from './href.ts';
import { collectionMembers, type IssueSink, type MemberResponse } from './members.ts';
import { calendarData, propKey, readMultistatus, responseEtag } from './multistatus.ts';
import type {
  CalDavTransport,
  CalDavWriter,
  DiscoveryResult,
  MultigetItem,
  ReadResult,
  RemoteCalendar,
  RemoteChange,
  RemoteEtag,
  SyncCollectionResult,
  WritePrecondition,
  WriteResult,
} from './port.ts';
import { CALDAV_NS, CS_NS, child, children, DAV_NS, escapeXml, ICAL_NS, parseXml } from './xml.ts';

const XML_HEADERS = { 'Content-Type': 'application/xml; charset=utf-8' } as const;

/**
 * CalDAV transport: discovery through tsdav (current-user-principal → calendar-home-set,
 * with our fetch so auth, proxy and typed errors apply), and the REPORTs the sync loop
 * depends on built and parsed here. We do not use tsdav's syncCollection / multiget /
 * fetchCalendarObjects because of documented weak spots (see NOTES.md): they drop hrefs
 * not ending in ".ics", reject a whole multiget batch for one bad item, have no 507
 * handling, hide status codes in plain Errors, and parse truncated XML as a partial tree.
 */
export class CalDavHttpTransport implements CalDavTransport, CalDavWriter {
  /**
   * @param report receives what the server answered that was ignored or unusable (hrefs
   * outside the collection, repeated hrefs, unavailable objects): never silently dropped.
   */
  constructor(
    private readonly http: DavHttp,
    private readonly report: IssueSink = () => undefined,
  ) {}

  async discover(serverUrl: string): Promise<DiscoveryResult> {
    const rootUrl = serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`;
    const account = { rootUrl, serverUrl: rootUrl, accountType: 'caldav' as const };
    const fetch = this.http.fetchForTsdav;
    try {
      const principalUrl = await fetchPrincipalUrl({ account, fetch });
      const homeUrl = await fetchHomeUrl({ account: { ...account, principalUrl }, fetch });
      // Our fetch already refused to send anything to another origin; a home elsewhere is
      // refused here, before it is stored (the app may add that origin to allowOrigins).
      this.http.assertAllowed(homeUrl, 'calendar home');
      return { principalUrl, homeUrl };
    } catch (error) {
      if (error instanceof CalsyncError) throw error;
      // tsdav throws plain Errors when a 2xx answer lacks the property; our fetch already
      // turned every HTTP and network failure into a typed error.
      throw new CalsyncError('bad-data', `No CalDAV calendar home found at ${rootUrl}: is this the DAV root URL?`, {
        cause: toCalsyncError(error),
        retryable: false,
      });
    }
  }

  async listCalendars(homeUrl: string, options: { ctag?: boolean } = {}): Promise<RemoteCalendar[]> {
    // getctag only when asked: servers may compute it by walking the whole collection (on
    // Radicale it costs as much again as the sync-token), and a sync-token already tells
    // whether a calendar changed.
    const ctag = options.ctag === false ? '' : '<cs:getctag/>';
    const body = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="${CALDAV_NS}" xmlns:cs="${CS_NS}" xmlns:i="${ICAL_NS}">
  <d:prop><d:resourcetype/><d:displayname/><i:calendar-color/>${ctag}<d:sync-token/>
  <c:supported-calendar-component-set/><d:current-user-privilege-set/><d:supported-report-set/></d:prop>
</d:propfind>`;
    const response = await this.http.request('PROPFIND', homeUrl, { headers: { ...XML_HEADERS, Depth: '1' }, body });
    const multistatus = this.#multistatus(response, homeUrl, 'home');
    const { self, members } = collectionMembers(multistatus.responses, homeUrl, this.report, 'collection');
    // A Depth: 1 PROPFIND answers for the home itself too (RFC 4918 §9.1). A listing without
    // it is not about this home: calendars missing from it would be removed locally.
    if (self.length === 0) {
      throw new CalsyncError(
        'bad-data',
        `The server's listing of ${homeUrl} does not describe the calendar home itself.`,
      );
    }
    const calendars: RemoteCalendar[] = [];
    for (const r of [...self, ...members]) {
      const resourcetype = r.props.get(propKey(DAV_NS, 'resourcetype'));
      if (!resourcetype || !child(resourcetype, CALDAV_NS, 'calendar')) continue;
      const components = children(
        r.props.get(propKey(CALDAV_NS, 'supported-calendar-component-set')),
        CALDAV_NS,
        'comp',
      )
        // <C:comp name="VEVENT"/>: the name is an attribute (RFC 4791 §5.2.3).
        .map((c) => (c.attributes?.name ?? '').toUpperCase())
        .filter(Boolean);
      calendars.push(toRemoteCalendar(r, components));
    }
    return calendars;
  }

  async syncCollection(
    calendarUrl: string,
    token: string | null,
    options: { withData: boolean },
  ): Promise<SyncCollectionResult> {
    const data = options.withData ? '<c:calendar-data/>' : '';
    const body = `<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:" xmlns:c="${CALDAV_NS}">
  <d:sync-token>${escapeXml(token ?? '')}</d:sync-token><d:sync-level>1</d:sync-level>
  <d:prop><d:getetag/>${data}</d:prop>
</d:sync-collection>`;
    const response = await this.http.request('REPORT', calendarUrl, { headers: { ...XML_HEADERS, Depth: '0' }, body });
    // RFC 6578 §3.2: an invalid token is reported with DAV:valid-sync-token, under 403
    // (Radicale), 409, 412, or even 500/207 elsewhere — look at the body, whatever the status.
    if (token !== null && response.status !== 207 && bodyMentionsInvalidToken(response.text)) {
      return { kind: 'invalid-token' };
    }
    const multistatus = this.#multistatus(response, calendarUrl, 'calendar');
    if (token !== null && multistatusMentionsInvalidToken(response.text)) return { kind: 'invalid-token' };
    if (!multistatus.syncToken)
      throw new CalsyncError('bad-data', 'Server sent a sync-collection answer without a token');
    const changed: RemoteChange[] = [];
    const deleted: string[] = [];
    const unavailable: string[] = [];
    const { self, members } = collectionMembers(multistatus.responses, calendarUrl, this.report);
    const more = self.some((r) => r.status === 507);
    for (const r of members) {
      if (r.status === 404 || r.status === 410) deleted.push(r.href);
      else if (r.status !== undefined && (r.status < 200 || r.status >= 300)) {
        unavailable.push(r.href);
        this.#unavailable(calendarUrl, r.href, `the server answered ${r.status} for it`);
      } else changed.push({ href: r.href, etag: responseEtag(r), data: calendarData(r) });
    }
    return { kind: 'changes', token: multistatus.syncToken, changed, deleted, unavailable, more };
  }

  async listEtags(calendarUrl: string): Promise<RemoteEtag[]> {
    const listing = await this.#queryAll(calendarUrl, false);
    // Absence from this listing is read as deletion: a cut-short answer must not be used.
    if (listing.truncated) throw new CalsyncError('server', `The server truncated the listing of ${calendarUrl}.`);
    // A member listed with an error status or without an ETag is still listed (not
    // deleted); an unknown ETag makes the pull fetch it.
    return listing.members.map((r) => ({ href: r.href, etag: isOk(r) ? responseEtag(r) : undefined }));
  }

  async fetchAll(calendarUrl: string): Promise<RemoteChange[] | undefined> {
    const listing = await this.#queryAll(calendarUrl, true);
    if (listing.truncated) return undefined;
    return listing.members.map((r) =>
      isOk(r)
        ? { href: r.href, etag: responseEtag(r), data: calendarData(r) }
        : { href: r.href, etag: undefined, data: undefined },
    );
  }

  /**
   * calendar-query for every object (VCALENDAR filter: events, tasks and all): every
   * member listed (with whatever status), and whether the server cut the answer short (507 on the collection,
   * RFC 4918 §11.4).
   */
  async #queryAll(calendarUrl: string, withData: boolean): Promise<{ members: MemberResponse[]; truncated: boolean }> {
    const body = `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="${CALDAV_NS}">
  <d:prop><d:getetag/>${withData ? '<c:calendar-data/>' : ''}</d:prop>
  <c:filter><c:comp-filter name="VCALENDAR"/></c:filter>
</c:calendar-query>`;
    const response = await this.http.request('REPORT', calendarUrl, { headers: { ...XML_HEADERS, Depth: '1' }, body });
    const multistatus = this.#multistatus(response, calendarUrl, 'calendar');
    const { self, members } = collectionMembers(multistatus.responses, calendarUrl, this.report);
    return { members, truncated: self.some((r) => r.status === 507) };
  }

  async multiget(calendarUrl: string, hrefs: readonly string[]): Promise<MultigetItem[]> {
    if (hrefs.length === 0) return [];
    // Answers are matched in canonical form (the server names them as it likes): the asked
    // hrefs too, or another spelling of the same resource would be dropped as unrequested.
    const asked = new Set<string>(hrefs.map((h) => canonicalHref(h)));
    const hrefXml = [...asked].map((h) => `<d:href>${escapeXml(new URL(h).pathname)}</d:href>`).join('');
    const body = `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-multiget xmlns:d="DAV:" xmlns:c="${CALDAV_NS}">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefXml}
</c:calendar-multiget>`;
    const response = await this.http.request('REPORT', calendarUrl, { headers: { ...XML_HEADERS, Depth: '1' }, body });
    const multistatus = this.#multistatus(response, calendarUrl, 'calendar');
    const items: MultigetItem[] = [];
    for (const r of collectionMembers(multistatus.responses, calendarUrl, this.report).members) {
      if (!asked.has(r.href)) {
        this.report({
          kind: 'href-unrequested',
          collectionUrl: calendarUrl,
          href: r.href,
          message: `The server answered a multiget with ${r.href}, which was not asked for; ignored.`,
        });
        continue;
      }
      const data = calendarData(r);
      if (r.status === 404 || r.status === 410) items.push({ href: r.href, ok: false, gone: true });
      else if (data !== undefined && (r.status === undefined || (r.status >= 200 && r.status < 300))) {
        items.push({ href: r.href, ok: true, etag: responseEtag(r), data });
      } else {
        const reason =
          r.status !== undefined ? `the server answered ${r.status} for it` : 'its calendar-data was missing or empty';
        this.#unavailable(calendarUrl, r.href, reason);
        items.push({ href: r.href, ok: false, gone: false, reason });
      }
    }
    return items;
  }

  #unavailable(collectionUrl: string, href: string, reason: string): void {
    this.report({
      kind: 'object-unavailable',
      collectionUrl,
      href,
      message: `Could not read ${href} (${reason}); the stored version is kept and it is asked for again.`,
    });
  }

  /**
   * PUT with the caller's precondition. Headers are built here, never merged from options,
   * so nothing can replace If-Match (a trap of tsdav's createObject/updateObject).
   */
  async put(href: string, ics: string, precondition: WritePrecondition): Promise<WriteResult> {
    const headers: Record<string, string> = {
      'Content-Type': 'text/calendar; charset=utf-8',
      ...preconditionHeaders(precondition),
    };
    return toWriteResult(await this.http.request('PUT', href, { headers, body: ics }), href);
  }

  async remove(href: string, precondition: WritePrecondition): Promise<WriteResult> {
    return toWriteResult(await this.http.request('DELETE', href, { headers: preconditionHeaders(precondition) }), href);
  }

  async get(href: string): Promise<ReadResult> {
    const response = await this.http.request('GET', href, { headers: { Accept: 'text/calendar' } });
    if (response.status === 404 || response.status === 410) return { status: 404 };
    throwForStatus(
      response.status === 200 ? 200 : response.status >= 200 && response.status < 300 ? 502 : response.status,
      href,
    );
    return { status: 200, etag: response.headers.get('etag') ?? undefined, ics: response.text };
  }

  /**
   * The parsed 207 answer about `url`. A 403 about the calendar home means the account is
   * refused (`auth`, the account pauses); about one calendar it is that calendar's policy
   * (`server`, not retryable) — never "the password is wrong".
   */
  #multistatus(response: DavHttpResponse, url: string, scope: 'home' | 'calendar') {
    if (response.status === 403 && scope === 'calendar') {
      throw new CalsyncError('server', `The server refused access to the calendar ${url} (HTTP 403).`, {
        status: 403,
        retryable: false,
      });
    }
    if (response.status !== 207)
      throwForStatus(response.status >= 200 && response.status < 300 ? 502 : response.status, url);
    return readMultistatus(parseXml(response.text), url);
  }
}
