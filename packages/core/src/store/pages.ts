import type { ObjectRecord } from '../model/records.ts';
import { compareHrefs } from '../transport/href.ts';
import { calendarRange } from './tx.ts';

/**
 * A calendar's rows are stored in pages: a page holds the rows whose hrefs lie in
 * `[lower, the next page's lower)`, sorted by href, so a row is found without a directory
 * (the last page whose `lower` is at or below its href). Pages are kept large — ~96 KB of
 * rows when written, split beyond twice that — because IndexedDB's cost is per record and
 * per byte of a small one: Chromium writes 20,000 single-row records in ~1.5 s and the same
 * rows in 50-row records (kept as blob files above ~64 KB) in ~0.1 s, and reads them back
 * 5× faster (test/bench/idb-layout.ts). The row count is part of the key so that counting
 * a calendar's rows reads keys only.
 */
export interface ObjectPage {
  calendarId: string;
  /** The smallest href this page may hold: `''` for the first page. */
  lower: string;
  /** `rows.length`. */
  count: number;
  rows: ObjectRecord[];
}

/** `[calendarId, lower, count]`. */
export type PageKey = [string, string, number];

/** A page is cut when it reaches about this many bytes of rows (estimated)… */
export const FILL_BYTES = 96 * 1024;
/** …or this many rows. */
export const FILL_ROWS = 256;

/** Up to this many hrefs, pages are found one cursor step each instead of by their keys. */
const FEW = 16;

/** What a page store needs to offer (readonly or readwrite, as idb wraps it). */
interface PageReader {
  openCursor(
    range: IDBKeyRange,
    direction: IDBCursorDirection,
  ): Promise<{ readonly value: ObjectPage; readonly key: PageKey } | null>;
  get(key: PageKey): Promise<ObjectPage | undefined>;
  getAll(range: IDBKeyRange): Promise<ObjectPage[]>;
  getAllKeys(range: IDBKeyRange): Promise<PageKey[]>;
}

interface PageWriter extends PageReader {
  put(page: ObjectPage): Promise<unknown>;
  delete(key: PageKey | IDBKeyRange): Promise<unknown>;
}

/** The key range holding the page that may contain `href`: the last page in it. */
function upTo(calendarId: string, href: string): IDBKeyRange {
  // Arrays sort after numbers: [id, href, []] is above [id, href, count].
  return IDBKeyRange.bound([calendarId], [calendarId, href, []]);
}

function keyOf(page: ObjectPage): PageKey {
  return [page.calendarId, page.lower, page.count];
}

/** One stored row, or undefined. */
export async function findRow(pages: PageReader, calendarId: string, href: string): Promise<ObjectRecord | undefined> {
  const cursor = await pages.openCursor(upTo(calendarId, href), 'prev');
  return cursor?.value.rows.find((row) => row.href === href);
}

/** Every row of a calendar, in href order. */
export async function rowsOf(pages: PageReader, calendarId: string): Promise<ObjectRecord[]> {
  const rows: ObjectRecord[] = [];
  for (const page of await pages.getAll(calendarRange(calendarId))) {
    for (const row of page.rows) rows.push(row);
  }
  return rows;
}

/** The number of rows of a calendar (keys only). */
export async function countRows(pages: PageReader, calendarId: string): Promise<number> {
  let count = 0;
  for (const key of await pages.getAllKeys(calendarRange(calendarId))) count += key[2];
  return count;
}

/** Which of `hrefs` the pages of a calendar hold (each page holding one read once). */
export async function hrefsInPages(
  pages: PageReader,
  calendarId: string,
  hrefs: readonly string[],
): Promise<Set<string>> {
  const wanted = new Map<string, ObjectRecord | null>(hrefs.map((href) => [href, null]));
  const groups =
    wanted.size <= FEW ? await groupByCursor(pages, calendarId, wanted) : await groupByKeys(pages, calendarId, wanted);
  const held = new Set<string>();
  for (const { page, changes } of groups) {
    for (const row of page?.rows ?? []) if (changes.has(row.href)) held.add(row.href);
  }
  return held;
}

/** A page as it is, plus the rows to put (a record) or delete (null) in it. */
interface Group {
  readonly page: ObjectPage | undefined;
  readonly changes: Map<string, ObjectRecord | null>;
}

/**
 * Puts and deletes rows of one calendar in its pages, inside the caller's transaction
 * (the pages touched are read and written in it, so concurrent writers — other tabs —
 * are serialised by IndexedDB). Deletes win over puts of the same href. Pages that grow
 * past twice their fill are cut again; pages left empty go.
 */
export async function writeRows(
  pages: PageWriter,
  calendarId: string,
  puts: readonly ObjectRecord[],
  deletes: readonly string[],
): Promise<void> {
  const changes = new Map<string, ObjectRecord | null>();
  for (const row of puts) {
    if (row.calendarId !== calendarId) throw new Error('object of another calendar in batch');
    // The href is the row's key: IndexedDB would refuse a row without one (DataError).
    if (typeof row.href !== 'string' || row.href === '') throw new Error('object without an href in batch');
    changes.set(row.href, row);
  }
  for (const href of deletes) changes.set(href, null);
  if (changes.size === 0) return;
  const groups =
    changes.size <= FEW
      ? await groupByCursor(pages, calendarId, changes)
      : await groupByKeys(pages, calendarId, changes);
  const requests: Promise<unknown>[] = [];
  try {
    for (const group of groups) rewrite(pages, calendarId, group, requests);
  } finally {
    // If a write throws, the transaction aborts and the earlier requests reject: they are
    // handled here, the first error is what the caller sees.
    for (const request of requests) request.catch(() => undefined);
  }
  await Promise.all(requests);
}

/** Few hrefs: each one's page by one cursor step. */
async function groupByCursor(
  pages: PageReader,
  calendarId: string,
  changes: Map<string, ObjectRecord | null>,
): Promise<Group[]> {
  const cursors = await Promise.all(
    [...changes.keys()].map((href) => pages.openCursor(upTo(calendarId, href), 'prev')),
  );
  const groups = new Map<string | undefined, Group>();
  let i = 0;
  for (const [href, change] of changes) {
    const page = cursors[i++]?.value;
    let group = groups.get(page?.lower);
    if (!group) {
      group = { page, changes: new Map() };
      groups.set(page?.lower, group);
    }
    group.changes.set(href, change);
  }
  return [...groups.values()];
}

/** Many hrefs: pages found by a binary search over the calendar's page keys. */
async function groupByKeys(
  pages: PageReader,
  calendarId: string,
  changes: Map<string, ObjectRecord | null>,
): Promise<Group[]> {
  const keys = await pages.getAllKeys(calendarRange(calendarId));
  const touched = new Map<number, Map<string, ObjectRecord | null>>();
  for (const [href, change] of changes) {
    const at = lastAtOrBelow(keys, href);
    let group = touched.get(at);
    if (!group) {
      group = new Map();
      touched.set(at, group);
    }
    group.set(href, change);
  }
  const entries = [...touched];
  const read = await Promise.all(entries.map(([at]) => (at < 0 ? undefined : pages.get(keys[at] as PageKey))));
  return entries.map(([, group], i) => ({ page: read[i], changes: group }));
}

/** Index of the last key whose lower bound is ≤ href, or -1. */
function lastAtOrBelow(keys: readonly PageKey[], href: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] as PageKey)[1] <= href) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Adds to `requests` those that store a group's page with its changes applied. */
function rewrite(pages: PageWriter, calendarId: string, { page, changes }: Group, requests: Promise<unknown>[]): void {
  const rows = new Map<string, ObjectRecord>();
  for (const row of page?.rows ?? []) rows.set(row.href, row);
  for (const [href, change] of changes) {
    if (change) rows.set(href, change);
    else rows.delete(href);
  }
  const next = pagesOf(calendarId, [...rows.values()].sort(byHref), page?.lower ?? '');
  // The old record goes unless its first piece keeps its key (same lower, same count).
  const kept = page !== undefined && next[0] !== undefined && next[0].count === page.count;
  if (page && !kept) requests.push(pages.delete(keyOf(page)));
  for (const piece of next) requests.push(pages.put(piece));
}

/**
 * The pages holding `sorted` (rows in href order, none of them empty) from `lower` on:
 * one page when under twice a fill, else fill-sized pages, each after the first starting
 * at its first row's href.
 */
export function pagesOf(calendarId: string, sorted: readonly ObjectRecord[], lower = ''): ObjectPage[] {
  const page = (rows: ObjectRecord[], first: boolean): ObjectPage => ({
    calendarId,
    lower: first ? lower : (rows[0] as ObjectRecord).href,
    count: rows.length,
    rows,
  });
  if (sorted.length === 0) return [];
  let bytes = 0;
  for (const row of sorted) bytes += rowBytes(row);
  if (sorted.length <= 2 * FILL_ROWS && bytes <= 2 * FILL_BYTES) return [page([...sorted], true)];
  const pages: ObjectPage[] = [];
  let piece: ObjectRecord[] = [];
  let size = 0;
  for (const row of sorted) {
    piece.push(row);
    size += rowBytes(row);
    if (piece.length >= FILL_ROWS || size >= FILL_BYTES) {
      pages.push(page(piece, pages.length === 0));
      piece = [];
      size = 0;
    }
  }
  if (piece.length > 0) pages.push(page(piece, pages.length === 0));
  return pages;
}

/** A row's approximate stored size: its texts, which are nearly all of it. */
function rowBytes(row: ObjectRecord): number {
  return (
    200 +
    row.href.length +
    row.ics.length +
    (row.summary?.length ?? 0) +
    (row.description?.length ?? 0) +
    (row.location?.length ?? 0)
  );
}

/** Rows in the store's href order. */
export function byHref(a: ObjectRecord, b: ObjectRecord): number {
  return compareHrefs(a.href, b.href);
}
