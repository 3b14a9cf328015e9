import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { indexObject } from '../ical/index.ts';
import type { ObjectRecord } from '../model/records.ts';
import { CalsyncStore } from './store.ts';
import { oldDatabase } from './test-schema.ts';

const ics = (start: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20260101T000000Z\r\n${start}\r\nDURATION:PT1H\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

/** A row as schema 4 stored it: the index fields of that time (no `floating`). */
function oldRow(href: string, start: string): ObjectRecord {
  const indexed = indexObject(ics(start));
  if (!indexed.ok) throw new Error(indexed.error.message);
  const { floating: _dropped, ...fields } = indexed.fields;
  return { calendarId: 'c1', href, etag: '"1"', ics: ics(start), state: 'ok', ...fields };
}

describe('schema 5: floating times are marked', () => {
  it('marks floating rows (and unresolved TZIDs), leaves UTC, zoned and all-day rows as they were', async () => {
    const factory = new IDBFactory();
    const rows = [
      oldRow('floating.ics', 'DTSTART:20261210T100000'),
      oldRow('unresolved.ics', 'DTSTART;TZID=Nowhere/Special:20261210T100000'),
      oldRow('utc.ics', 'DTSTART:20261210T100000Z'),
      oldRow('zoned.ics', 'DTSTART;TZID=Europe/Berlin:20261210T100000'),
      oldRow('day.ics', 'DTSTART;VALUE=DATE:20261210'),
    ];
    // Schema 4 added no store (a data migration): the rows are written as that release wrote them.
    await oldDatabase(
      factory,
      'floating',
      4,
      (tx) => {
        for (const row of rows) tx.objectStore('objects').put(row);
      },
      3,
    );
    const store = await CalsyncStore.open(factory, 'floating');
    const stored = new Map((await store.objectsOfCalendar('c1')).map((r) => [r.href, r]));
    store.close();
    expect(stored.get('floating.ics')?.floating).toBe(true);
    expect(stored.get('unresolved.ics')?.floating).toBe(true);
    expect(stored.get('utc.ics')?.floating).toBeUndefined();
    expect(stored.get('zoned.ics')?.floating).toBeUndefined();
    expect(stored.get('day.ics')?.floating).toBeUndefined();
    expect(stored.get('utc.ics')).toEqual(rows[2]);
  });
});
