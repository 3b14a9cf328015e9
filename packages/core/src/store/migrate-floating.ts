import { indexObject } from '../ical/index.ts';
import type { UpgradeTransaction } from './migrations.ts';

/** A timed DTSTART without `Z` and without TZID, on its own (unfolded) line. */
const FLOATING_START = /^DTSTART(?:;VALUE=DATE-TIME)?:\d{8}T\d{6}\r?$/m;

/**
 * Schema 5: rows indexed before `floating` existed get it. Only rows that can be floating
 * — timed, no zone, and a floating DTSTART in their text or an unresolved TZID — are
 * indexed again (most timed events are UTC or zoned: they are not parsed); the fields of
 * the new index replace the old ones, nothing else of the row changes.
 */
export async function markFloatingRows(tx: UpgradeTransaction): Promise<void> {
  const objects = tx.objectStore('objects');
  let cursor = await objects.openCursor();
  while (cursor) {
    const row = cursor.value;
    const candidate =
      row.state === 'ok' &&
      row.allDay !== true &&
      row.timezone === undefined &&
      row.floating === undefined &&
      (row.timezoneUnresolved === true || FLOATING_START.test(row.ics));
    if (candidate) {
      const indexed = indexObject(row.ics);
      if (indexed.ok && indexed.fields.floating === true) await cursor.update({ ...row, floating: true });
    }
    cursor = await cursor.continue();
  }
}
