import { CalsyncError, isCalsyncError } from '../api/errors.ts';
import type { CalendarRecord, SyncStateRecord } from '../model/records.ts';
import type { CalDavTransport, RemoteCalendar } from '../transport/port.ts';
import { holdsServerData } from './plan.ts';
import type { CalendarPullResult, PullContext } from './pull-context.ts';
import { nextRetry } from './retry.ts';
import { storeChanges } from './store-changes.ts';

/** A 507 loop longer than this is a misbehaving server, not a big calendar. */
const MAX_SYNC_PAGES = 1000;

/**
 * Pulls by RFC 6578 sync-collection from `startToken` (`null`: everything): pages through
 * 507 answers, restarts once from scratch on an invalid token, and commits the new token
 * in the same transaction as the last page's changes. A token-less pull sweeps what the
 * server no longer lists.
 */
export async function pullBySyncCollection(
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
    fullWithData ??=
      token === null
        ? !holdsServerData(await ctx.store.getSyncState(calendar.id), await ctx.store.countObjects(calendar.id))
        : undefined;
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
