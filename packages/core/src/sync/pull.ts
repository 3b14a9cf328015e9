import type { CalendarRecord, SyncStateRecord } from '../model/records.ts';
import type { RemoteCalendar } from '../transport/port.ts';
import { holdsServerData, planPull, wantsWholeDownload } from './plan.ts';
import { pullByEtags } from './pull-by-etags.ts';
import { pullEmptyByQuery } from './pull-by-query.ts';
import { pullBySyncCollection } from './pull-by-sync-collection.ts';
import type { CalendarPullResult, PullContext } from './pull-context.ts';
import { retryUnavailable } from './retry.ts';

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
  const full = mode === 'full-sync-collection' || mode === 'etag-listing';
  if (full && wantsWholeDownload(mode, remote, holdsServerData(state, await ctx.store.countObjects(calendar.id)))) {
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
