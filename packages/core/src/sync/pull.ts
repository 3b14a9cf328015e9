import { CalsyncError, isCalsyncError } from '../api/errors.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { CalendarRecord, ObjectRecord, SyncStateRecord } from '../model/records.ts';
import type { ReplicaStore } from '../store/port.ts';
import type { IssueSink } from '../transport/members.ts';
import type { CalDavTransport, RemoteCalendar, RemoteChange } from '../transport/port.ts';
import { fetchObjects, storeRecords } from './fetch-objects.ts';
import { chunk, diffEtags, type PullMode, planPull } from './plan.ts';
import { nextRetry, retryUnavailable } from './retry.ts';

/** Progress of a pull, reported as it goes. */
export interface PullProgress {
  readonly calendarId: string;
  readonly phase: 'listing' | 'fetching' | 'storing';
  readonly done: number;
  readonly total: number;
}

/** Ports and settings the pull loop needs. */
export interface PullContext {
  readonly transport: CalDavTransport;
  readonly store: ReplicaStore;
  readonly now: () => number;
  readonly reconcileAfterMs: number;
  readonly multigetBatch: number;
  readonly storeBatch: number;
  readonly onProgress: (progress: PullProgress) => void;
  /** Where objects the pull could not use are reported. */
  readonly report: IssueSink;
}

/** What pulling one calendar did. */
export interface CalendarPullResult {
  readonly calendarId: string;
  readonly mode: PullMode;
  readonly changed: number;
  readonly deleted: number;
  readonly invalid: number;
  /** Hrefs stored or deleted, so caches can be patched instead of rebuilt. */
  readonly touched: readonly string[];
  /**
   * Set when the replica was empty and these records are now the calendar's whole stored
   * content (`full-query`), so caches can be built from them without reading them back.
   */
  readonly contents?: readonly ObjectRecord[];
  /** Hrefs listed but not readable in this pull: kept as stored, asked for again next time. */
  readonly unavailable?: readonly string[];
}

/** A 507 loop longer than this is a misbehaving server, not a big calendar. */
const MAX_SYNC_PAGES = 1000;

/**
 * Pulls one calendar into the store following DESIGN.md "Pull": sync-collection with
 * the stored token, recovery from an invalid token, 507 paging, etag-listing fallback
 * with mark-and-sweep, batched multiget, per-object parsing, and the token committed in
 * the last transaction, after everything it covers.
 */
export async function pullCalendar(
  ctx: PullContext,
  calendar: CalendarRecord,
  remote: RemoteCalendar,
): Promise<CalendarPullResult> {
  const before = await ctx.store.getSyncState(calendar.id);
  const result = await pullByMode(ctx, calendar, remote, before);
  // Objects an earlier pull could not read are asked for again, whatever the token says.
  const tried = new Set([...result.touched, ...(result.unavailable ?? [])]);
  const retried = await retryUnavailable(
    ctx,
    calendar,
    (href) => (before?.retry ?? []).includes(href) && !tried.has(href),
  );
  if (retried.touched.length === 0) return result;
  // The whole-content shortcut no longer holds once more rows changed.
  const { contents: _stale, ...rest } = result;
  return {
    ...rest,
    changed: result.changed + retried.changed,
    deleted: result.deleted + retried.deleted,
    invalid: result.invalid + retried.invalid,
    touched: [...result.touched, ...retried.touched],
  };
}

async function pullByMode(
  ctx: PullContext,
  calendar: CalendarRecord,
  remote: RemoteCalendar,
  state: SyncStateRecord | undefined,
): Promise<CalendarPullResult> {
  const mode = planPull(remote, state, ctx.now(), ctx.reconcileAfterMs);
  if (mode === 'full-sync-collection' || mode === 'etag-listing') {
    const downloaded = await pullEmptyByQuery(ctx, calendar, remote, state);
    if (downloaded) return downloaded;
  }
  switch (mode) {
    case 'full-query':
    case 'skip':
      return { calendarId: calendar.id, mode, changed: 0, deleted: 0, invalid: 0, touched: [] };
    case 'etag-listing':
      return pullByEtags(ctx, calendar, remote);
    case 'incremental':
    case 'full-sync-collection':
      return pullBySyncCollection(ctx, calendar, remote, mode === 'incremental' ? (state?.token ?? null) : null);
  }
}

/**
 * The first download of an empty replica: every object with its data in one calendar-query
 * REPORT — on Radicale ~1.8× faster than a sync-collection from the empty token, which also
 * computes the token and records its history — stored batch by batch, then the sync-token
 * of the calendar listing committed as the starting point. That token was read before the
 * query, so the next incremental sync lists everything changed since (a few objects maybe
 * twice), never less. `undefined` when this does not apply (objects already stored, no
 * listing token for a sync-collection server, or a truncated, refused or unparseable
 * answer): the caller then pulls by its planned mode.
 */
async function pullEmptyByQuery(
  ctx: PullContext,
  calendar: CalendarRecord,
  remote: RemoteCalendar,
  previous: SyncStateRecord | undefined,
): Promise<CalendarPullResult | undefined> {
  if (remote.supportsSyncCollection && remote.syncToken === undefined) return undefined;
  if ((await ctx.store.countObjects(calendar.id)) > 0) return undefined;
  ctx.onProgress({ calendarId: calendar.id, phase: 'listing', done: 0, total: 0 });
  let items: readonly RemoteChange[] | undefined;
  try {
    items = await ctx.transport.fetchAll(calendar.url);
  } catch (error) {
    // A server that refuses this query still serves the planned requests (and an answer
    // that cannot be parsed as a whole is fetched again in small pieces there); auth and
    // network failures would fail those the same way.
    if (isCalsyncError(error, 'auth') || isCalsyncError(error, 'network')) throw error;
    return undefined;
  }
  if (items === undefined) return undefined;
  const contents: ObjectRecord[] = [];
  const fetched = await storeChanges(ctx, calendar, items, contents);
  const listed = new Set(items.map((item) => item.href));
  await ctx.store.applyObjects(calendar.id, {
    puts: [],
    deletes: [],
    syncState: {
      calendarId: calendar.id,
      ...(remote.supportsSyncCollection && remote.syncToken !== undefined ? { token: remote.syncToken } : {}),
      ...(remote.ctag === undefined ? {} : { ctag: remote.ctag }),
      lastFullSyncAt: ctx.now(),
      ...nextRetry(previous, listed, fetched.unavailable, listed),
    },
  });
  return {
    calendarId: calendar.id,
    mode: 'full-query',
    changed: fetched.stored,
    deleted: 0,
    invalid: fetched.invalid,
    touched: items.map((item) => item.href),
    contents,
    unavailable: fetched.unavailable,
  };
}

async function pullBySyncCollection(
  ctx: PullContext,
  calendar: CalendarRecord,
  remote: RemoteCalendar,
  startToken: string | null,
): Promise<CalendarPullResult> {
  let token = startToken;
  let restarted = false;
  const tally = { changed: 0, deleted: 0, invalid: 0 };
  const touched = new Set<string>();
  const unavailable = new Set<string>();
  // A full (token-less) pull sweeps away every local object the server did not list; it
  // must see all pages first, so its token is only committed at the very end.
  let seen: Set<string> | undefined = token === null ? new Set() : undefined;
  const goneDuringFull: string[] = [];
  // A first download asks for calendar-data inline (one request for the whole calendar on
  // servers that support it); a reconciliation of a filled replica asks for etags only and
  // fetches just what differs. An answer with data that cannot be parsed as a whole is
  // asked for again without data; the objects then come by multiget, in pieces if need be.
  let fullWithData: boolean | undefined;
  let dataRefused = false;
  /** href → ETag of the stored objects, for a reconciliation (see below). */
  let storedEtags: Map<string, string | undefined> | undefined;
  for (let page = 0; page < MAX_SYNC_PAGES; page++) {
    ctx.onProgress({ calendarId: calendar.id, phase: 'listing', done: 0, total: 0 });
    let result: Awaited<ReturnType<CalDavTransport['syncCollection']>>;
    fullWithData ??= token === null ? (await ctx.store.countObjects(calendar.id)) === 0 : undefined;
    const withData = !dataRefused && (token !== null || fullWithData === true);
    try {
      result = await ctx.transport.syncCollection(calendar.url, token, { withData });
    } catch (error) {
      if (withData && isCalsyncError(error, 'bad-data')) {
        dataRefused = true;
        page--;
        continue;
      }
      // Any other failure of a token request is retried once from scratch (DESIGN.md);
      // auth and network failures would fail the same way again, so they propagate.
      if (token === null || restarted || isCalsyncError(error, 'auth') || isCalsyncError(error, 'network')) throw error;
      result = { kind: 'invalid-token' };
    }
    if (result.kind === 'invalid-token') {
      if (restarted || token === null)
        throw new CalsyncError('server', 'The server keeps rejecting a fresh sync token.');
      restarted = true;
      token = null;
      seen = new Set();
      goneDuringFull.length = 0;
      continue;
    }
    // Reconciling a filled replica: the listing names every object; fetch only those whose
    // ETag differs from the stored one (after a crash between storing and the token commit,
    // or on the daily reconciliation, most do not).
    if (token === null && fullWithData === false) storedEtags ??= await ctx.store.objectEtags(calendar.id);
    const fetched = await storeChanges(
      ctx,
      calendar,
      result.changed,
      undefined,
      token === null ? storedEtags : undefined,
    );
    // In a full pull, everything the server listed counts as present, even an item a
    // multiget then failed to return: silence is never read as a deletion.
    for (const change of result.changed) {
      seen?.add(change.href);
      touched.add(change.href);
    }
    for (const href of [...result.unavailable, ...fetched.unavailable]) {
      seen?.add(href);
      unavailable.add(href);
    }
    const deleted = [...result.deleted, ...fetched.gone];
    if (seen !== undefined) goneDuringFull.push(...fetched.gone);
    tally.changed += fetched.stored;
    tally.invalid += fetched.invalid;
    const last = !result.more;
    if (!last && seen === undefined) {
      // Incremental page: its token covers exactly what was just stored.
      for (const href of deleted) touched.add(href);
      const previous = await ctx.store.getSyncState(calendar.id);
      await ctx.store.applyObjects(calendar.id, {
        puts: [],
        deletes: deleted,
        syncState: {
          ...previous,
          calendarId: calendar.id,
          token: result.token,
          ...nextRetry(previous, settledOf(touched, unavailable), unavailable),
        },
      });
      tally.deleted += deleted.length;
      token = result.token;
      continue;
    }
    if (!last) {
      token = result.token;
      continue;
    }
    let deletes = [...deleted];
    const listed = seen;
    if (listed !== undefined) {
      const local = await ctx.store.objectEtags(calendar.id);
      deletes = [...local.keys()].filter((href) => !listed.has(href) || goneDuringFull.includes(href));
    }
    for (const href of deletes) touched.add(href);
    const previous = await ctx.store.getSyncState(calendar.id);
    const syncState: SyncStateRecord = {
      calendarId: calendar.id,
      token: result.token,
      ...(remote.ctag === undefined ? {} : { ctag: remote.ctag }),
      ...(seen !== undefined
        ? { lastFullSyncAt: ctx.now() }
        : previous?.lastFullSyncAt === undefined
          ? {}
          : { lastFullSyncAt: previous.lastFullSyncAt }),
      ...nextRetry(previous, settledOf(touched, unavailable), unavailable, listed),
    };
    await ctx.store.applyObjects(calendar.id, { puts: [], deletes, syncState });
    tally.deleted += deletes.length;
    return {
      calendarId: calendar.id,
      mode: startToken === null || restarted ? 'full-sync-collection' : 'incremental',
      ...tally,
      touched: [...touched],
      unavailable: [...unavailable],
    };
  }
  throw new CalsyncError('server', `The server paged sync results more than ${MAX_SYNC_PAGES} times.`);
}

/** Hrefs a pull settled: touched (stored or deleted) and not left unreadable. */
function settledOf(touched: ReadonlySet<string>, unavailable: ReadonlySet<string>): Set<string> {
  return new Set([...touched].filter((href) => !unavailable.has(href)));
}

/**
 * Stores sync-collection changes: those that came with calendar-data are parsed and
 * written batch by batch — each batch is parsed while the previous one commits, so the
 * CPU work overlaps IndexedDB's — and the others are fetched by multiget. Items the
 * server no longer has come back in `gone`, those it could not give in `unavailable`.
 */
async function storeChanges(
  ctx: PullContext,
  calendar: CalendarRecord,
  changes: readonly RemoteChange[],
  /** Receives every record stored, when given. */
  keep?: ObjectRecord[],
  /** Stored ETags: listed objects without data whose ETag matches are not fetched again. */
  known?: ReadonlyMap<string, string | undefined>,
): Promise<{ stored: number; invalid: number; gone: string[]; unavailable: string[] }> {
  const inline = changes.filter((c) => c.data !== undefined);
  const missing = changes.filter(
    (c) => c.data === undefined && (c.etag === undefined || known?.get(c.href) !== c.etag),
  );
  let stored = 0;
  let invalid = 0;
  let writing: Promise<void> | undefined;
  for (const batch of chunk(inline, ctx.storeBatch)) {
    const records = batch.map((c) => toObjectRecord(calendar.id, c.href, c.etag, c.data ?? ''));
    invalid += records.filter((r) => r.state === 'bad').length;
    keep?.push(...records);
    await writing;
    ctx.onProgress({ calendarId: calendar.id, phase: 'storing', done: stored, total: inline.length });
    writing = ctx.store.applyObjects(calendar.id, { puts: records, deletes: [] });
    stored += records.length;
  }
  await writing;
  const fetched = await fetchObjects(
    ctx,
    calendar,
    missing.map((c) => c.href),
    new Map(missing.map((c) => [c.href, c.etag])),
  );
  await storeRecords(ctx, calendar.id, fetched.records);
  keep?.push(...fetched.records);
  return {
    stored: stored + fetched.records.length,
    invalid: invalid + fetched.records.filter((r) => r.state === 'bad').length,
    gone: fetched.gone,
    unavailable: fetched.unavailable,
  };
}

async function pullByEtags(
  ctx: PullContext,
  calendar: CalendarRecord,
  remote: RemoteCalendar,
): Promise<CalendarPullResult> {
  ctx.onProgress({ calendarId: calendar.id, phase: 'listing', done: 0, total: 0 });
  // listEtags throws unless the listing parsed completely: absence below really means deleted.
  const listing = await ctx.transport.listEtags(calendar.url);
  const local = await ctx.store.objectEtags(calendar.id);
  const diff = diffEtags(local, listing);
  const fetched = await fetchObjects(ctx, calendar, diff.fetch, new Map(listing.map((l) => [l.href, l.etag])));
  await storeRecords(ctx, calendar.id, fetched.records);
  const deletes = [...diff.delete, ...fetched.gone];
  const previous = await ctx.store.getSyncState(calendar.id);
  const settled = new Set([...fetched.records.map((r) => r.href), ...deletes]);
  await ctx.store.applyObjects(calendar.id, {
    puts: [],
    deletes,
    syncState: {
      calendarId: calendar.id,
      ...(remote.ctag === undefined ? {} : { ctag: remote.ctag }),
      lastFullSyncAt: ctx.now(),
      ...nextRetry(previous, settled, fetched.unavailable, new Set(listing.map((l) => l.href))),
    },
  });
  return {
    calendarId: calendar.id,
    mode: 'etag-listing',
    changed: fetched.records.length,
    touched: [...fetched.records.map((r) => r.href), ...deletes],
    deleted: deletes.length,
    invalid: fetched.records.filter((r) => r.state === 'bad').length,
    unavailable: fetched.unavailable,
  };
}
