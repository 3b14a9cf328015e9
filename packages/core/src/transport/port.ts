/** A calendar collection as the server describes it. */
export interface RemoteCalendar {
  /** Absolute URL of the collection (logical server URL, never the proxy's). */
  readonly url: string;
  readonly displayName: string;
  readonly color: string | undefined;
  readonly ctag: string | undefined;
  readonly syncToken: string | undefined;
  /** Supported component types (empty when the server did not say). */
  readonly components: readonly string[];
  readonly readOnly: boolean;
  /** The server offers RFC 6578 sync-collection on this collection. */
  readonly supportsSyncCollection: boolean;
}

/** One changed member reported by sync-collection; `data` present when the server sent calendar-data. */
export interface RemoteChange {
  readonly href: string;
  readonly etag: string | undefined;
  readonly data: string | undefined;
}

/** Outcome of one sync-collection request. Expected protocol outcomes are data, not errors. */
export type SyncCollectionResult =
  | {
      readonly kind: 'changes';
      readonly token: string;
      readonly changed: readonly RemoteChange[];
      readonly deleted: readonly string[];
      /**
       * Members the server named with an error status (neither changed data nor 404/410):
       * unknown, not deleted — the pull keeps the stored version and retries them.
       */
      readonly unavailable: readonly string[];
      /** The server answered 507 for the collection: more changes follow with `token`. */
      readonly more: boolean;
    }
  | { readonly kind: 'invalid-token' };

/** An href with its ETag, from a listing; `undefined` when the server gave none (fetch it). */
export interface RemoteEtag {
  readonly href: string;
  readonly etag: string | undefined;
}

/**
 * One member of a multiget answer: data when found; `gone` only when the server said so
 * (404/410 for the href); anything else — calendar-data missing, empty, in a failed
 * propstat, another error status — is unavailable: unknown, never read as a deletion.
 */
export type MultigetItem =
  | { readonly href: string; readonly ok: true; readonly etag: string | undefined; readonly data: string }
  | { readonly href: string; readonly ok: false; readonly gone: true }
  | { readonly href: string; readonly ok: false; readonly gone: false; readonly reason: string };

/** Discovered account locations. */
export interface DiscoveryResult {
  readonly principalUrl: string;
  readonly homeUrl: string;
}

/**
 * The CalDAV operations the sync engine needs, behind our own interface.
 *
 * Invariants: every method either resolves with complete data or throws a
 * `CalsyncError` (`auth`, `network`, `not-found`, `server`, `bad-data`, `untrusted-origin`);
 * a listing is never returned partially parsed. Hrefs are absolute, canonical (`href.ts`)
 * and contained: members lie directly inside their collection, calendars inside the home —
 * anything else the server names is dropped and reported, never returned.
 */
export interface CalDavTransport {
  discover(serverUrl: string): Promise<DiscoveryResult>;
  /** The calendar home's collections; `ctag: false` leaves out getctag (costly on some servers). */
  listCalendars(homeUrl: string, options?: { ctag?: boolean }): Promise<RemoteCalendar[]>;
  /** RFC 6578 sync-collection; `token: null` asks for everything. `withData` requests calendar-data inline. */
  syncCollection(
    calendarUrl: string,
    token: string | null,
    options: { withData: boolean },
  ): Promise<SyncCollectionResult>;
  /** Every member's href and ETag (calendar-query REPORT; cheaper than PROPFIND on Radicale). */
  listEtags(calendarUrl: string): Promise<RemoteEtag[]>;
  /**
   * Every member with its data, in one calendar-query REPORT (often the server's fastest
   * way to hand over a whole calendar); `undefined` when the server truncated the answer.
   */
  fetchAll(calendarUrl: string): Promise<RemoteChange[] | undefined>;
  /** calendar-multiget of the given hrefs (the caller batches). */
  multiget(calendarUrl: string, hrefs: readonly string[]): Promise<MultigetItem[]>;
}

/** Preconditions of a write: `If-Match` an ETag, or `If-None-Match: *` (create only). */
export type WritePrecondition = { readonly ifMatch: string } | { readonly ifNoneMatch: '*' } | Record<string, never>;

/**
 * Outcome of a PUT or DELETE. HTTP statuses are data here (the outbox decides), only
 * network failures throw. A 207 answer is reduced to its inner status.
 */
export interface WriteResult {
  readonly status: number;
  readonly etag: string | undefined;
  /** The start of the server's answer body (for error reports). */
  readonly body: string;
  /**
   * The condition the server named in a `DAV:error` body (RFC 4918 §16, RFC 4791 §5.3.2.1),
   * e.g. `no-uid-conflict`, `valid-calendar-data`: the write was refused for that reason.
   */
  readonly condition?: string;
}

/** Outcome of a GET of one object. */
export type ReadResult =
  | { readonly status: 200; readonly etag: string | undefined; readonly ics: string }
  | { readonly status: 404 };

/** Object writes for the outbox; same invariants as {@link CalDavTransport}. */
export interface CalDavWriter {
  put(href: string, ics: string, precondition: WritePrecondition): Promise<WriteResult>;
  remove(href: string, precondition: WritePrecondition): Promise<WriteResult>;
  /** GET one object; 404/410 are `{ status: 404 }`, other failures throw typed errors. */
  get(href: string): Promise<ReadResult>;
}

/** The whole CalDAV port one account's round uses: reads for the pull, writes for the outbox. */
export type CalDavClient = CalDavTransport & CalDavWriter;
