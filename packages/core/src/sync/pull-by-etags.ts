import type { CalendarRecord } from '../model/records.ts';
import type { RemoteCalendar } from '../transport/port.ts';
import { fetchObjects, storeRecords } from './fetch-objects.ts';
import { diffEtags } from './plan.ts';
import type { CalendarPullResult, PullContext } from './pull-context.ts';
import { nextRetry } from './retry.ts';

export async function pullByEtags(
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
