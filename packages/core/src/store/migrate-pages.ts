import type { IDBPDatabase } from 'idb';
import type { ObjectRecord } from '../model/records.ts';
import type { UpgradeTransaction } from './migrations.ts';
import { pagesOf } from './pages.ts';
import type { UpgradeDB } from './schema.ts';

/**
 * Schema 7: every row of `objects` moves, unchanged, into its calendar's pages (pages.ts);
 * then `objects` goes. Rows come in key order ([calendarId, href]), which is the pages'.
 */
export async function movePagesIn(db: IDBPDatabase<UpgradeDB>, tx: UpgradeTransaction): Promise<void> {
  const rows = await tx.objectStore('objects').getAll();
  const pages = tx.objectStore('pages');
  let start = 0;
  while (start < rows.length) {
    const calendarId = (rows[start] as ObjectRecord).calendarId;
    let end = start;
    while (end < rows.length && (rows[end] as ObjectRecord).calendarId === calendarId) end++;
    for (const page of pagesOf(calendarId, rows.slice(start, end))) await pages.put(page);
    start = end;
  }
  db.deleteObjectStore('objects');
}
