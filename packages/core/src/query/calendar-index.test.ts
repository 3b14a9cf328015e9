import { describe, expect, it } from 'vitest';
import { calendar, vevent } from '../ical/test-ics.ts';
import { toObjectRecord } from '../model/object-record.ts';
import { buildIndex, byStartThenSummary, type Found, findInIndex, patchIndex } from './calendar-index.ts';

const CAL = 'https://dav.test/c1/';
const row = (uid: string, summary: string, hour = 9) =>
  toObjectRecord(
    'c1',
    `${CAL}${uid}.ics`,
    `"${uid}"`,
    calendar(
      vevent(
        `UID:${uid}`,
        `DTSTART:20260105T${String(hour).padStart(2, '0')}0000Z`,
        `DTEND:20260105T${String(hour + 1).padStart(2, '0')}0000Z`,
        `SUMMARY:${summary}`,
      ),
    ),
  );
const window = { start: Date.UTC(2026, 0, 5), end: Date.UTC(2026, 0, 6) };

function query(rows: ReturnType<typeof row>[]): string[] {
  const index = buildIndex('c1', rows, undefined);
  const found: Found[] = [];
  findInIndex(index, 'c1', window.start, window.end, found);
  return found.sort(byStartThenSummary).map((f) => f.occurrence.uid);
}

describe('calendar index', () => {
  it('orders by start, then title, then event id — whatever order the rows were stored in', () => {
    const rows = [row('z', 'Budget review'), row('a', 'Budget review'), row('m', 'Audit'), row('b', 'Early', 8)];
    const expected = ['b', 'm', 'a', 'z'];
    expect(query(rows)).toEqual(expected);
    expect(query([...rows].reverse())).toEqual(expected);
  });

  it('a patch replaces changed objects and drops deleted ones, keeping the order valid', () => {
    const index = buildIndex('c1', [row('a', 'One'), row('b', 'Two')], undefined);
    const patched = patchIndex('c1', index, [`${CAL}a.ics`, `${CAL}b.ics`], [row('a', 'One moved', 11), undefined]);
    const found: Found[] = [];
    findInIndex(patched, 'c1', window.start, window.end, found);
    expect(found.map((f) => [f.occurrence.uid, f.occurrence.summary, f.occurrence.startMs])).toEqual([
      ['a', 'One moved', Date.UTC(2026, 0, 5, 11)],
    ]);
  });
});
