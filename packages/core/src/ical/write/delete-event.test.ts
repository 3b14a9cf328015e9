import { describe, expect, it } from 'vitest';
import { expandObject } from '../expand/expand.ts';
import { calendar, utc, vevent } from '../test-ics.ts';
import { deleteFromEventIcs } from './delete-event.ts';
import type { EditIcsOptions } from './edit-recurrence.ts';
import { updateEventIcs } from './edit-recurrence.ts';
import { createEventIcs } from './write-event.ts';

const NOW = utc(2026, 2, 1, 12);
const WINDOW = [utc(2025, 1, 1), utc(2028, 1, 1)] as const;
const OCT29 = utc(2026, 10, 29, 9);

function berlinSeries(): string {
  const result = createEventIcs(
    {
      summary: 'Weekly',
      start: '2026-10-01T10:00:00',
      end: '2026-10-01T11:00:00',
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;COUNT=8',
    },
    { now: utc(2026, 1, 1), uid: 'weekly' },
  );
  if (!result.ok) throw result.error;
  return result.ics;
}

function remove(ics: string, options: Partial<EditIcsOptions>): string | null {
  const result = deleteFromEventIcs(ics, { scope: 'all', now: NOW, ...options });
  if (!result.ok) throw result.error;
  return result.ics;
}

const unfolded = (ics: string | null): string[] => (ics ?? '').replace(/\r\n[ \t]/g, '').split('\r\n');

describe('deleteFromEventIcs', () => {
  it("'this' adds an EXDATE in the master's TZID and raises SEQUENCE", () => {
    const ics = remove(berlinSeries(), { scope: 'this', occurrence: OCT29 });
    const lines = unfolded(ics);
    expect(lines).toEqual(
      expect.arrayContaining([
        'EXDATE;TZID=Europe/Berlin:20261029T100000',
        'SEQUENCE:1',
        'DTSTAMP:20260201T120000Z',
        'LAST-MODIFIED:20260201T120000Z',
      ]),
    );
    const starts = expandObject(ics ?? '', ...WINDOW).map((o) => o.start.slice(0, 10));
    expect(starts).toHaveLength(7);
    expect(starts).not.toContain('2026-10-29');
  });

  it("'this' on an overridden instance drops the override too", () => {
    const edited = updateEventIcs(
      berlinSeries(),
      { summary: 'Special' },
      { scope: 'this', occurrence: OCT29, now: NOW },
    );
    if (!edited.ok) throw edited.error;
    const ics = remove(edited.ics, { scope: 'this', occurrence: OCT29 });
    expect(ics).not.toContain('RECURRENCE-ID');
    expect(ics).not.toContain('Special');
    expect(expandObject(ics ?? '', ...WINDOW)).toHaveLength(7);
  });

  it("'this' on all-day series writes VALUE=DATE", () => {
    const daily = calendar(vevent('UID:d', 'DTSTART;VALUE=DATE:20261201', 'RRULE:FREQ=DAILY;COUNT=3', 'SUMMARY:x'));
    const ics = remove(daily, { scope: 'this', occurrence: utc(2026, 12, 2) });
    expect(unfolded(ics)).toContain('EXDATE;VALUE=DATE:20261202');
    expect(expandObject(ics ?? '', ...WINDOW).map((o) => o.start)).toEqual(['2026-12-01', '2026-12-03']);
  });

  it("'this' on the last remaining instance deletes the object", () => {
    const two = calendar(vevent('UID:t', 'DTSTART:20261201T100000Z', 'RRULE:FREQ=DAILY;COUNT=2', 'SUMMARY:x'));
    const one = remove(two, { scope: 'this', occurrence: utc(2026, 12, 1, 10) });
    expect(one).not.toBeNull();
    expect(remove(one ?? '', { scope: 'this', occurrence: utc(2026, 12, 2, 10) })).toBeNull();
  });

  it("'future' ends the rule and drops later overrides and EXDATEs", () => {
    let ics = berlinSeries().replace(
      'RRULE:FREQ=WEEKLY;COUNT=8',
      'RRULE:FREQ=WEEKLY;COUNT=8\r\nEXDATE;TZID=Europe/Berlin:20261008T100000,20261112T100000',
    );
    for (const occurrence of [utc(2026, 10, 15, 8), utc(2026, 11, 5, 9)]) {
      const edited = updateEventIcs(ics, { summary: 'Changed' }, { scope: 'this', occurrence, now: NOW });
      if (!edited.ok) throw edited.error;
      ics = edited.ics;
    }
    const cut = remove(ics, { scope: 'future', occurrence: OCT29 });
    const lines = unfolded(cut);
    expect(lines).toEqual(
      expect.arrayContaining([
        'RRULE:FREQ=WEEKLY;UNTIL=20261029T085959Z',
        'EXDATE;TZID=Europe/Berlin:20261008T100000',
        'RECURRENCE-ID;TZID=Europe/Berlin:20261015T100000',
      ]),
    );
    expect(cut).not.toContain('20261112T100000');
    expect(cut).not.toContain('RECURRENCE-ID;TZID=Europe/Berlin:20261105T100000');
    const starts = expandObject(cut ?? '', ...WINDOW).map((o) => o.start.slice(0, 10));
    expect(starts).toEqual(['2026-10-01', '2026-10-15', '2026-10-22']);
  });

  it("'future' from the first instance, 'all', and single events delete the object", () => {
    expect(remove(berlinSeries(), { scope: 'future', occurrence: utc(2026, 10, 1, 8) })).toBeNull();
    expect(remove(berlinSeries(), { scope: 'all' })).toBeNull();
    const single = calendar(vevent('UID:s', 'DTSTART:20261201T100000Z', 'SUMMARY:x'));
    expect(remove(single, { scope: 'this', occurrence: utc(2026, 12, 1, 10) })).toBeNull();
  });

  it('refuses occurrences that are not instances, and unreadable data', () => {
    const notInstance = deleteFromEventIcs(berlinSeries(), { scope: 'this', occurrence: OCT29 + 1, now: NOW });
    expect(!notInstance.ok && notInstance.error.code).toBe('invalid-input');
    const missing = deleteFromEventIcs(berlinSeries(), { scope: 'future', now: NOW });
    expect(!missing.ok && missing.error.code).toBe('invalid-input');
    const bad = deleteFromEventIcs('nonsense', { scope: 'this', occurrence: OCT29, now: NOW });
    expect(!bad.ok && bad.error.code).toBe('bad-data');
  });
});
