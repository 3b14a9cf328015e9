import type { ObjectRecord } from '../model/records.ts';
import { byHref, countRows, findRow, hrefsInPages, rowsOf, writeRows } from './pages.ts';
import { calendarRange } from './tx.ts';

/**
 * A calendar's rows are its pages (pages.ts: many rows to a record, what pulls write) with
 * single rows over them: what local edits and their push outcomes write, one at a time.
 * An edit stores one small record (a page rewrite costs Chromium a large record read and
 * written with strict durability: `updateEvent` p50 5.6 → 11.7 ms at 20,000 events) and
 * the next pull folds the ones without an outbox entry into the pages.
 *
 * A single row wins over the pages; `row` absent marks the object deleted. An edit does
 * not read the pages (that read, of a large record, was most of a page's cost to an edit):
 * whether they hold the href is found out when counting, the one read that needs it. The
 * pages of an href change only in pulls, which fold its single row into them first.
 */
export interface SingleRow {
  calendarId: string;
  href: string;
  /** Absent: the object is deleted. */
  row?: ObjectRecord;
}

/** What a store of single rows needs to offer (readonly or readwrite, as idb wraps it). */
interface SingleReader {
  get(key: [string, string]): Promise<SingleRow | undefined>;
  getAll(range: IDBKeyRange): Promise<SingleRow[]>;
}

interface SingleWriter extends SingleReader {
  put(row: SingleRow): Promise<unknown>;
  delete(key: [string, string]): Promise<unknown>;
}

type PageStore = Parameters<typeof writeRows>[0];

/** The pages and the single rows of a transaction. */
export interface RowStores<P = Parameters<typeof findRow>[0], S = SingleReader> {
  readonly pages: P;
  readonly singles: S;
}

/** One object's row, or undefined. */
export async function readRow(stores: RowStores, calendarId: string, href: string): Promise<ObjectRecord | undefined> {
  const [single, paged] = await Promise.all([
    stores.singles.get([calendarId, href]),
    findRow(stores.pages, calendarId, href),
  ]);
  return single ? single.row : paged;
}

/** Every row of a calendar, in href order. */
export async function readRows(stores: RowStores, calendarId: string): Promise<ObjectRecord[]> {
  const [singles, paged] = await Promise.all([
    stores.singles.getAll(calendarRange(calendarId)),
    rowsOf(stores.pages, calendarId),
  ]);
  if (singles.length === 0) return paged;
  const over = new Map(singles.map((single) => [single.href, single]));
  const rows: ObjectRecord[] = [];
  for (const row of paged) {
    const single = over.get(row.href);
    if (!single) rows.push(row);
    else if (single.row) rows.push(single.row);
  }
  const inPages = new Set(paged.map((row) => row.href));
  let added = false;
  for (const single of singles) {
    if (single.row && !inPages.has(single.href)) {
      rows.push(single.row);
      added = true;
    }
  }
  return added ? rows.sort(byHref) : rows;
}

/** The number of rows of a calendar: page keys, single rows, and the pages those fall in. */
export async function countOf(stores: RowStores, calendarId: string): Promise<number> {
  const [singles, paged] = await Promise.all([
    stores.singles.getAll(calendarRange(calendarId)),
    countRows(stores.pages, calendarId),
  ]);
  if (singles.length === 0) return paged;
  const inPages = await hrefsInPages(
    stores.pages,
    calendarId,
    singles.map((single) => single.href),
  );
  let count = paged;
  for (const single of singles) {
    if (single.row && !inPages.has(single.href)) count++;
    else if (!single.row && inPages.has(single.href)) count--;
  }
  return count;
}

/** The stores a write transaction over rows holds. */
export type WritableRows = RowStores<PageStore, SingleWriter>;

/** Stores one object's row (a local edit, a push outcome), or its deletion when `row` is undefined. */
export async function writeOne(
  stores: Pick<WritableRows, 'singles'>,
  calendarId: string,
  href: string,
  row: ObjectRecord | undefined,
): Promise<void> {
  if (row && (row.calendarId !== calendarId || row.href !== href)) throw new Error('row of another object');
  // A deletion is kept as a single row without one, whether or not the pages hold the href.
  await stores.singles.put(row ? { calendarId, href, row } : { calendarId, href });
}

/**
 * A pull's puts and deletes (rows of objects with an outbox entry already left out by the
 * caller), written to the pages together with the single rows of objects that have no
 * outbox entry (`pending`): those are folded in — the pull's own version wins — and go.
 */
export async function writeMany(
  stores: WritableRows,
  calendarId: string,
  puts: readonly ObjectRecord[],
  deletes: readonly string[],
  pending: ReadonlySet<string>,
): Promise<void> {
  const singles = await stores.singles.getAll(calendarRange(calendarId));
  const folded = singles.filter((single) => !pending.has(single.href));
  if (folded.length === 0) {
    await writeRows(stores.pages, calendarId, puts, deletes);
    return;
  }
  const written = new Set([...puts.map((row) => row.href), ...deletes]);
  const allPuts = [...puts];
  const allDeletes = [...deletes];
  for (const single of folded) {
    if (written.has(single.href)) continue;
    if (single.row) allPuts.push(single.row);
    else allDeletes.push(single.href);
  }
  await writeRows(stores.pages, calendarId, allPuts, allDeletes);
  await Promise.all(folded.map((single) => stores.singles.delete([calendarId, single.href])));
}
