import { isCalsyncError } from '../api/errors.ts';
import type { CalendarRecord, ObjectRecord, SyncStateRecord } from '../model/records.ts';
import type { RemoteCalendar, RemoteChange } from '../transport/port.ts';
import type { CalendarPullResult, PullContext } from './pull-context.ts';
import { nextRetry } from './retry.ts';
import { storeChanges } from './store-changes.ts';

/**
 * The first download of a replica that holds nothing from the server (empty, or only this
 * device's creates — made before the first sync, pushed by this round or still waiting):
 * every object with its data in one calendar-query REPORT — on Radicale ~1.8× faster than a sync-collection from the empty token, which also
 * computes the token and records its history — stored batch by batch, then the sync-token
 * of the calendar listing committed as the starting point. That token was read before the
 * query, so the next incremental sync lists everything changed since (a few objects maybe
 * twice), never less. The caller decides when this applies (`wantsWholeDownload` in
 * plan.ts); `undefined` for a truncated, refused or unparseable answer: the caller then
 * pulls by its planned mode.
 */
export async function pullEmptyByQuery(
  ctx: PullContext,
  calendar: CalendarRecord,
  remote: RemoteCalendar,
  previous: SyncStateRecord | undefined,
): Promise<CalendarPullResult | undefined> {
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
  // Rows already here are this replica's own creates. Pending ones stay as they are (a pull
  // never clobbers a row with an outbox entry, even if the server already has that href);
  // pushed ones take the server's version, or go if the server no longer lists them (the
  // answer is complete: a truncated one came back undefined above).
  const listed = new Set(items.map((item) => item.href));
  const local = await ctx.store.objectsOfCalendar(calendar.id);
  const pending = local.filter((row) => row.pending);
  const pendingHrefs = new Set(pending.map((row) => row.href));
  const swept = local.filter((row) => !row.pending && !listed.has(row.href)).map((row) => row.href);
  const downloaded: ObjectRecord[] = [];
  const fetched = await storeChanges(ctx, calendar, items, downloaded);
  const contents = [...pending, ...downloaded.filter((row) => !pendingHrefs.has(row.href))];
  await ctx.store.applyObjects(calendar.id, {
    puts: [],
    deletes: swept,
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
    deleted: swept.length,
    invalid: fetched.invalid,
    touched: [...items.map((item) => item.href), ...swept],
    contents,
    unavailable: fetched.unavailable,
  };
}
