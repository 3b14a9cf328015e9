import { isCalsyncError } from '../api/errors.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { CalendarRecord, ObjectRecord } from '../model/records.ts';
import { compareHrefs } from '../transport/href.ts';
import type { MultigetItem } from '../transport/port.ts';
import { chunk } from './plan.ts';
import type { PullContext } from './pull-context.ts';

/** What a multiget of some hrefs brought back. */
export interface FetchedObjects {
  readonly records: ObjectRecord[];
  /** The server said 404/410 for these. */
  readonly gone: string[];
  /** Listed but not readable now (data missing, empty or refused): keep, ask again later. */
  readonly unavailable: string[];
}

/**
 * Fetches objects by calendar-multiget in batches. A batch whose answer cannot be parsed
 * as a whole (one object's data holds what XML cannot carry, say) is split in halves and
 * fetched again, down to single objects, so one bad object costs a few requests and never
 * the calendar: an object unreadable even alone is stored flagged `bad` (its previous
 * version's ICS kept, the listed ETag taken so it is not fetched again until it changes)
 * and reported. `etags` are the ETags the listing gave, for those placeholders.
 */
export async function fetchObjects(
  ctx: PullContext,
  calendar: CalendarRecord,
  hrefs: readonly string[],
  etags: ReadonlyMap<string, string | undefined> = new Map(),
): Promise<FetchedObjects> {
  const result: FetchedObjects = { records: [], gone: [], unavailable: [] };
  let done = 0;
  for (const batch of chunk(hrefs, ctx.multigetBatch)) {
    ctx.onProgress({ calendarId: calendar.id, phase: 'fetching', done, total: hrefs.length });
    for (const item of await multigetSplitting(ctx, calendar, batch)) {
      if ('unreadable' in item)
        result.records.push(await unreadableRecord(ctx, calendar, item.href, etags.get(item.href)));
      else if (item.ok) result.records.push(toObjectRecord(calendar.id, item.href, item.etag, item.data));
      else if (item.gone) result.gone.push(item.href);
      else result.unavailable.push(item.href);
    }
    // An href the server did not mention at all stays as it is locally; the next full
    // reconciliation settles it. Never infer a deletion from silence.
    done += batch.length;
  }
  return result;
}

/** An object whose multiget answer could not be parsed even when asked for alone. */
interface Unreadable {
  readonly href: string;
  readonly unreadable: true;
}

async function multigetSplitting(
  ctx: PullContext,
  calendar: CalendarRecord,
  hrefs: readonly string[],
): Promise<Array<MultigetItem | Unreadable>> {
  try {
    return await ctx.transport.multiget(calendar.url, hrefs);
  } catch (error) {
    if (!isCalsyncError(error, 'bad-data')) throw error;
    if (hrefs.length === 1) return [{ href: hrefs[0] as string, unreadable: true }];
    const half = Math.ceil(hrefs.length / 2);
    return [
      ...(await multigetSplitting(ctx, calendar, hrefs.slice(0, half))),
      ...(await multigetSplitting(ctx, calendar, hrefs.slice(half))),
    ];
  }
}

async function unreadableRecord(
  ctx: PullContext,
  calendar: CalendarRecord,
  href: string,
  etag: string | undefined,
): Promise<ObjectRecord> {
  const previous = await ctx.store.getObject(calendar.id, href);
  const reason =
    "The server's answer for this object could not be parsed (it holds characters XML cannot carry, or is malformed).";
  ctx.report({
    kind: 'object-unreadable',
    collectionUrl: calendar.url,
    href,
    message: `${reason} Stored as invalid: ${href}`,
  });
  return {
    calendarId: calendar.id,
    href,
    etag,
    ics: previous?.ics ?? '',
    state: 'bad',
    badReason: reason,
    rangeStart: Number.POSITIVE_INFINITY,
    rangeEnd: Number.NEGATIVE_INFINITY,
  };
}

/**
 * Stores records in batches of `ctx.storeBatch`, in href order (each batch then fills pages
 * of its own instead of adding to all of them: store/pages.ts), reporting progress.
 */
export async function storeRecords(
  ctx: PullContext,
  calendarId: string,
  records: readonly ObjectRecord[],
): Promise<void> {
  let done = 0;
  const sorted = records.length > ctx.storeBatch ? [...records].sort((a, b) => compareHrefs(a.href, b.href)) : records;
  for (const batch of chunk(sorted, ctx.storeBatch)) {
    ctx.onProgress({ calendarId, phase: 'storing', done, total: records.length });
    await ctx.store.applyObjects(calendarId, { puts: batch, deletes: [] });
    done += batch.length;
  }
}
