import type { CalendarRecord, SyncStateRecord } from '../model/records.ts';
import { fetchObjects, storeRecords } from './fetch-objects.ts';
import type { PullContext } from './pull-context.ts';

// Objects a pull could not read (listed, but their data missing, empty or refused) are
// unknown, never deleted: they wait in `SyncStateRecord.retry`, committed with the token,
// and are asked for again on every pull until read, gone (404/410), or no longer listed.

/**
 * The `retry` list to commit with a pull's token: what was waiting, minus what this pull
 * settled (stored, deleted or, for a complete listing, no longer listed), plus what it
 * could not read. `undefined` when nothing waits.
 */
export function nextRetry(
  previous: SyncStateRecord | undefined,
  settled: ReadonlySet<string>,
  unavailable: Iterable<string>,
  listed?: ReadonlySet<string>,
): { retry?: string[] } {
  const retry = new Set(
    (previous?.retry ?? []).filter((href) => !settled.has(href) && (listed === undefined || listed.has(href))),
  );
  for (const href of unavailable) retry.add(href);
  // Bounded: a server calling everything unavailable must not grow the state or the next
  // pulls without end. What falls off stays stored as it is; the daily full listing
  // fetches it by its changed ETag.
  return retry.size > 0 ? { retry: [...retry].slice(0, MAX_RETRY) } : {};
}

/** Most hrefs kept waiting for a retry per calendar. */
const MAX_RETRY = 1000;

/**
 * Asks again for the objects earlier pulls could not read (`SyncStateRecord.retry`) that
 * this pull did not try already (`due`): stored when readable now, deleted when the server
 * says 404, kept waiting otherwise.
 */
export async function retryUnavailable(
  ctx: PullContext,
  calendar: CalendarRecord,
  due: (href: string) => boolean,
): Promise<{ changed: number; deleted: number; invalid: number; touched: string[] }> {
  const state = await ctx.store.getSyncState(calendar.id);
  const waiting = (state?.retry ?? []).filter(due);
  if (state === undefined || waiting.length === 0) return { changed: 0, deleted: 0, invalid: 0, touched: [] };
  const fetched = await fetchObjects(ctx, calendar, waiting);
  await storeRecords(ctx, calendar.id, fetched.records);
  const done = new Set([...fetched.records.map((r) => r.href), ...fetched.gone]);
  const { retry: _old, ...rest } = state;
  await ctx.store.applyObjects(calendar.id, {
    puts: [],
    deletes: fetched.gone,
    syncState: { ...rest, ...nextRetry(state, done, fetched.unavailable) },
  });
  return {
    changed: fetched.records.length,
    deleted: fetched.gone.length,
    invalid: fetched.records.filter((r) => r.state === 'bad').length,
    touched: [...done],
  };
}
