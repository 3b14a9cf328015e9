import { CalsyncError } from '../api/errors.ts';
import { canonicalCollection, canonicalHref, originOf } from './href.ts';
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

/** A method of the transport port, as counted by {@link FakeTransport.calls} and scripted by `failNext`. */
export type TransportMethod = keyof CalDavTransport | keyof CalDavWriter;

/** A scripted outcome: a typed error thrown, or (writes only) an HTTP answer returned without applying the write. */
export type ScriptedFailure = CalsyncError | WriteResult;

export interface FakeCalendarOptions {
  readonly displayName?: string;
  readonly color?: string;
  readonly components?: readonly string[];
  /** Without it the calendar has no sync-token and sync-collection fails (a ctag/etag-listing server). */
  readonly supportsSyncCollection?: boolean;
}

type FakeObject = { readonly etag: string; readonly ics: string };

interface FakeCalendar {
  readonly serial: number;
  readonly url: string;
  readonly options: FakeCalendarOptions;
  /** Current members by canonical href, in creation order. */
  readonly objects: Map<string, FakeObject>;
  /** Every write, in order: a sync token is a position in this log. */
  readonly log: string[];
}

/**
 * An in-memory CalDAV server behind the transport port, with the invariants of the HTTP
 * transport (checked by `transport-contract.ts` against it and real servers): typed errors
 * only, canonical contained hrefs, `If-None-Match: *` on an existing object and a stale
 * `If-Match` → 412, a second object with the same UID → 409 `no-uid-conflict`, DELETE of a
 * missing object → 404, a new ETag on every write, sync tokens as change-log positions
 * (an unknown one → `invalid-token`). Scripting for unit tests: {@link failNext},
 * {@link calls}, {@link pageSize}, {@link truncateListings}, and server-side edits.
 */
export class FakeTransport implements CalDavTransport, CalDavWriter {
  readonly serverUrl: string;
  readonly principalUrl: string;
  readonly homeUrl: string;
  /** Page sync-collection answers after this many members (`more: true`, the 507 case). */
  pageSize: number | undefined;
  /** listEtags throws `server` and fetchAll returns undefined, as for a truncated (507) listing. */
  truncateListings = false;
  readonly #calendars = new Map<string, FakeCalendar>();
  readonly #script = new Map<TransportMethod, ScriptedFailure[]>();
  readonly #calls = new Map<TransportMethod, number>();
  #serial = 0;

  constructor(serverUrl = 'https://dav.fake.test/') {
    this.serverUrl = canonicalCollection(serverUrl);
    this.principalUrl = `${this.serverUrl}principal/`;
    this.homeUrl = `${this.serverUrl}calendars/`;
  }

  /** The next `times` calls of `method` fail with `failure` (a WriteResult only for put/remove). */
  failNext(method: TransportMethod, failure: ScriptedFailure, times = 1): void {
    if (!(failure instanceof CalsyncError) && method !== 'put' && method !== 'remove') {
      throw new TypeError(`Only put and remove can answer with a status; ${method} needs a CalsyncError.`);
    }
    const queue = this.#script.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.#script.set(method, queue);
  }

  /** Calls of `method` so far (scripted failures included). */
  calls(method: TransportMethod): number {
    return this.#calls.get(method) ?? 0;
  }

  resetCalls(): void {
    this.#calls.clear();
  }

  addCalendar(name: string, options: FakeCalendarOptions = {}): string {
    const url = canonicalCollection(new URL(`${encodeURIComponent(name)}/`, this.homeUrl).toString());
    this.#calendars.set(url, { serial: ++this.#serial, url, options, objects: new Map(), log: [] });
    return url;
  }

  removeCalendar(url: string): void {
    this.#calendars.delete(canonicalCollection(url));
  }

  /** Server-side edits, as another client's (no preconditions, not counted): returns the new ETag. */
  serverPut(href: string, ics: string): string {
    const { calendar, key } = this.#locate(href);
    if (!calendar) throw new Error(`no calendar for ${href}`);
    return this.#write(calendar, key, ics);
  }

  /** Removes an object as another client would. */
  serverRemove(href: string): void {
    const { calendar, key } = this.#locate(href);
    if (calendar?.objects.delete(key)) calendar.log.push(key);
  }

  object(href: string): FakeObject | undefined {
    const { calendar, key } = this.#locate(href);
    return calendar?.objects.get(key);
  }

  async discover(serverUrl: string): Promise<DiscoveryResult> {
    this.#enter('discover', serverUrl);
    if (canonicalCollection(serverUrl) !== this.serverUrl) {
      throw new CalsyncError('bad-data', `No CalDAV calendar home found at ${serverUrl}.`, { retryable: false });
    }
    return { principalUrl: this.principalUrl, homeUrl: this.homeUrl };
  }

  async listCalendars(homeUrl: string, options: { ctag?: boolean } = {}): Promise<RemoteCalendar[]> {
    this.#enter('listCalendars', homeUrl);
    if (canonicalCollection(homeUrl) !== this.homeUrl) throw notFound(homeUrl);
    return [...this.#calendars.values()].map((c) => {
      const token = c.options.supportsSyncCollection === false ? undefined : tokenOf(c, c.log.length);
      return {
        url: c.url,
        displayName: c.options.displayName ?? decodeURIComponent(c.url.slice(this.homeUrl.length, -1)),
        color: c.options.color,
        ctag: options.ctag === false ? undefined : `"ctag-${c.serial}-${c.log.length}"`,
        syncToken: token,
        components: [...(c.options.components ?? ['VEVENT', 'VTODO'])],
        readOnly: false,
        supportsSyncCollection: token !== undefined,
      };
    });
  }

  async syncCollection(url: string, token: string | null, opts: { withData: boolean }): Promise<SyncCollectionResult> {
    const calendar = this.#collection('syncCollection', url);
    if (calendar.options.supportsSyncCollection === false) {
      throw new CalsyncError('server', `${url} does not support sync-collection (HTTP 403).`, { status: 403 });
    }
    const start = token === null ? 0 : positionOf(calendar, token);
    if (start === undefined) return { kind: 'invalid-token' };
    const changed: RemoteChange[] = [];
    const deleted: string[] = [];
    const named = new Set<string>();
    let end = start;
    for (; end < calendar.log.length && named.size < (this.pageSize ?? Number.POSITIVE_INFINITY); end++) {
      const href = calendar.log[end] as string;
      if (named.has(href)) continue;
      const object = calendar.objects.get(href);
      // A first sync lists what exists; later ones name deletions too (RFC 6578 §3.8).
      if (!object && token === null) continue;
      named.add(href);
      if (!object) deleted.push(href);
      else changed.push({ href, etag: object.etag, data: opts.withData ? object.ics : undefined });
    }
    const more = end < calendar.log.length;
    return { kind: 'changes', token: tokenOf(calendar, end), changed, deleted, unavailable: [], more };
  }

  async listEtags(url: string): Promise<RemoteEtag[]> {
    const calendar = this.#collection('listEtags', url);
    if (this.truncateListings) throw new CalsyncError('server', `The server truncated the listing of ${url}.`);
    return [...calendar.objects].map(([href, o]) => ({ href, etag: o.etag }));
  }

  async fetchAll(url: string): Promise<RemoteChange[] | undefined> {
    const calendar = this.#collection('fetchAll', url);
    if (this.truncateListings) return undefined;
    return [...calendar.objects].map(([href, o]) => ({ href, etag: o.etag, data: o.ics }));
  }

  async multiget(url: string, hrefs: readonly string[]): Promise<MultigetItem[]> {
    const calendar = this.#collection('multiget', url);
    return hrefs.map((h) => {
      const href = canonicalHref(h);
      const object = calendar.objects.get(href);
      return object ? { href, ok: true, etag: object.etag, data: object.ics } : { href, ok: false, gone: true };
    });
  }

  async put(href: string, ics: string, precondition: WritePrecondition): Promise<WriteResult> {
    const scripted = this.#enter('put', href);
    if (scripted) return scripted;
    const { calendar, key } = this.#locate(href);
    if (!calendar) return answer(409, 'The calendar does not exist.');
    const existing = calendar.objects.get(key);
    if (!preconditionHolds(existing, precondition)) return answer(412, 'Precondition failed.');
    const uid = uidOf(ics);
    for (const [other, object] of calendar.objects) {
      if (other !== key && uid !== undefined && uidOf(object.ics) === uid) {
        return { ...answer(409, 'UID already in use.'), condition: 'no-uid-conflict' };
      }
    }
    const etag = this.#write(calendar, key, ics);
    return { status: existing ? 204 : 201, etag, body: '' };
  }

  async remove(href: string, precondition: WritePrecondition): Promise<WriteResult> {
    const scripted = this.#enter('remove', href);
    if (scripted) return scripted;
    const { calendar, key } = this.#locate(href);
    const existing = calendar?.objects.get(key);
    if (!calendar || !existing) return answer(404, 'Not found.');
    if (!preconditionHolds(existing, precondition)) return answer(412, 'Precondition failed.');
    calendar.objects.delete(key);
    calendar.log.push(key);
    return answer(204, '');
  }

  async get(href: string): Promise<ReadResult> {
    this.#enter('get', href);
    const object = this.object(href);
    return object ? { status: 200, etag: object.etag, ics: object.ics } : { status: 404 };
  }

  /** Counts the call, refuses other origins (as DavHttp does), and plays a scripted failure. */
  #enter(method: TransportMethod, url: string): WriteResult | undefined {
    this.#calls.set(method, this.calls(method) + 1);
    if (originOf(url) !== originOf(this.serverUrl)) {
      throw new CalsyncError('untrusted-origin', `${url} is not on this account's server.`, { retryable: false });
    }
    const failure = this.#script.get(method)?.shift();
    if (failure instanceof CalsyncError) throw failure;
    return failure;
  }

  #collection(method: TransportMethod, url: string): FakeCalendar {
    this.#enter(method, url);
    const calendar = this.#calendars.get(canonicalCollection(url));
    if (!calendar) throw notFound(url);
    return calendar;
  }

  #locate(href: string): { calendar: FakeCalendar | undefined; key: string } {
    const key = canonicalHref(href);
    return { calendar: this.#calendars.get(key.slice(0, key.lastIndexOf('/') + 1)), key };
  }

  #write(calendar: FakeCalendar, key: string, ics: string): string {
    const etag = `"fake-${++this.#serial}"`;
    calendar.objects.set(key, { etag, ics });
    calendar.log.push(key);
    return etag;
  }
}

function preconditionHolds(existing: FakeObject | undefined, precondition: WritePrecondition): boolean {
  if ('ifNoneMatch' in precondition) return existing === undefined;
  if ('ifMatch' in precondition) return existing?.etag === precondition.ifMatch;
  return true;
}

function tokenOf(calendar: FakeCalendar, position: number): string {
  return `urn:fake-sync:${calendar.serial}:${position}`;
}

function positionOf(calendar: FakeCalendar, token: string): number | undefined {
  const match = /^urn:fake-sync:(\d+):(\d+)$/.exec(token);
  const position = Number(match?.[2]);
  return Number(match?.[1]) === calendar.serial && position <= calendar.log.length ? position : undefined;
}

function uidOf(ics: string): string | undefined {
  return /^UID:(.*)$/m.exec(ics.replace(/\r?\n[ \t]/g, ''))?.[1]?.trim();
}

function answer(status: number, body: string): WriteResult {
  return { status, etag: undefined, body };
}

function notFound(url: string): CalsyncError {
  return new CalsyncError('not-found', `Not found: ${url} (HTTP 404).`, { status: 404 });
}
