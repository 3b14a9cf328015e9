import type { RemoteCalendar, RemoteEtag } from '../transport/port.ts';

/** What a calendar-list comparison found. */
export interface CalendarListDiff<Local extends { url: string }> {
  readonly added: RemoteCalendar[];
  /** Calendars present on both sides, with the remote description. */
  readonly kept: Array<{ local: Local; remote: RemoteCalendar }>;
  readonly removed: Local[];
}

/** Components a calendar must be able to hold for calsync to sync it (events). */
export function holdsEvents(calendar: RemoteCalendar): boolean {
  return calendar.components.length === 0 || calendar.components.includes('VEVENT');
}

/** Compares the stored calendar list with the server's, by URL. Pure. */
export function diffCalendars<Local extends { url: string }>(
  local: readonly Local[],
  remote: readonly RemoteCalendar[],
): CalendarListDiff<Local> {
  const remoteByUrl = new Map(remote.filter(holdsEvents).map((r) => [r.url, r]));
  const localByUrl = new Map(local.map((l) => [l.url, l]));
  const added = [...remoteByUrl.values()].filter((r) => !localByUrl.has(r.url));
  const kept: Array<{ local: Local; remote: RemoteCalendar }> = [];
  const removed: Local[] = [];
  for (const l of local) {
    const r = remoteByUrl.get(l.url);
    if (r) kept.push({ local: l, remote: r });
    else removed.push(l);
  }
  return { added, kept, removed };
}

/** State stored for a calendar that decides whether a pull is needed. */
export interface CalendarSyncMarker {
  readonly token?: string | undefined;
  readonly ctag?: string | undefined;
  readonly lastFullSyncAt?: number | undefined;
}

/** How one calendar should be pulled. */
export type PullMode =
  | 'skip' // nothing changed according to token/ctag
  | 'incremental' // sync-collection with the stored token
  | 'full-query' // empty replica: every object by one calendar-query (decided by pullCalendar, not planPull)
  | 'full-sync-collection' // sync-collection from an empty token (first sync or reconciliation)
  | 'etag-listing'; // no usable tokens: list etags, diff, mark-and-sweep

/**
 * Decides how to pull a calendar. Servers whose tokens miss changes exist, so a full
 * reconciliation runs when the last one is older than `reconcileAfterMs`. Pure.
 */
export function planPull(
  remote: RemoteCalendar,
  marker: CalendarSyncMarker | undefined,
  now: number,
  reconcileAfterMs: number,
): PullMode {
  const reconcileDue = marker?.lastFullSyncAt === undefined || now - marker.lastFullSyncAt >= reconcileAfterMs;
  if (remote.supportsSyncCollection) {
    if (!marker?.token || reconcileDue) return 'full-sync-collection';
    if (remote.syncToken !== undefined && remote.syncToken === marker.token) return 'skip';
    return 'incremental';
  }
  if (!reconcileDue && remote.ctag !== undefined && remote.ctag === marker?.ctag) return 'skip';
  return 'etag-listing';
}

/**
 * Whether a full pull downloads the calendar whole with one calendar-query (`full-query`)
 * instead of its planned mode: only when the replica holds nothing from the server, and on
 * servers with sync-collection only when the calendar listing gave a token to continue
 * from. Pure.
 */
export function wantsWholeDownload(mode: PullMode, remote: RemoteCalendar, holdsServerData: boolean): boolean {
  if (mode !== 'full-sync-collection' && mode !== 'etag-listing') return false;
  if (remote.supportsSyncCollection && remote.syncToken === undefined) return false;
  return !holdsServerData;
}

/**
 * Whether a calendar's replica holds anything that came from the server: not when it has
 * no sync state yet (the store leaves one with the first server rows; rows without it are
 * this replica's own creates, pushed or not), nor when it holds no rows at all.
 */
export function holdsServerData(state: CalendarSyncMarker | undefined, storedObjects: number): boolean {
  return state !== undefined && storedObjects > 0;
}

/** What an etag listing says must be fetched and deleted locally. */
export interface EtagDiff {
  readonly fetch: string[];
  readonly delete: string[];
}

/**
 * Diffs local href→etag against a COMPLETE remote listing (the caller guarantees the
 * listing was fully parsed: deletions are inferred from absence). Pure.
 */
export function diffEtags(local: ReadonlyMap<string, string | undefined>, remote: readonly RemoteEtag[]): EtagDiff {
  const seen = new Set<string>();
  const fetch: string[] = [];
  for (const { href, etag } of remote) {
    seen.add(href);
    // No ETag listed: it cannot be compared, so it is fetched (never treated as unchanged).
    if (etag === undefined || local.get(href) !== etag) fetch.push(href);
  }
  const toDelete = [...local.keys()].filter((href) => !seen.has(href));
  return { fetch, delete: toDelete };
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
