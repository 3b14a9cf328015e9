import { toObjectRecord } from '../model/object-record.ts';
import type { CalendarRecord, ObjectRecord } from '../model/records.ts';
import { compareHrefs } from '../transport/href.ts';
import type { RemoteChange } from '../transport/port.ts';
import { fetchObjects, storeRecords } from './fetch-objects.ts';
import { chunk } from './plan.ts';
import type { PullContext } from './pull-context.ts';

/**
 * Stores sync-collection changes: those that came with calendar-data are parsed and
 * written batch by batch, in href order — each batch is parsed while the previous one
 * commits, so the CPU work overlaps IndexedDB's, and each batch fills pages of its own
 * instead of adding to all of them (store/pages.ts) — and the others are fetched by multiget. Items the
 * server no longer has come back in `gone`, those it could not give in `unavailable`.
 */
export async function storeChanges(
  ctx: PullContext,
  calendar: CalendarRecord,
  changes: readonly RemoteChange[],
  /** Receives every record stored, when given. */
  keep?: ObjectRecord[],
  /** Stored ETags: listed objects without data whose ETag matches are not fetched again. */
  known?: ReadonlyMap<string, string | undefined>,
): Promise<{ stored: number; invalid: number; gone: string[]; unavailable: string[] }> {
  const inline = changes.filter((c) => c.data !== undefined).sort(byHref);
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

function byHref(a: RemoteChange, b: RemoteChange): number {
  return compareHrefs(a.href, b.href);
}
