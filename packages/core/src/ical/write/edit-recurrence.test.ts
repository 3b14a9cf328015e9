import { describe, expect, it } from 'vitest';
import type { EventPatch } from '../../api/types.ts';
import { expandObject } from '../expand/expand.ts';
import { calendar, utc } from '../test-ics.ts';
import { type EditIcsOptions, updateEventIcs } from './edit-recurrence.ts';
import { createEventIcs } from './write-event.ts';

const CREATED = utc(2026, 1, 1);
const NOW = utc(2026, 2, 1, 12);
const WINDOW = [utc(2025, 1, 1), utc(2028, 1, 1)] as const;

/** Weekly on Thursdays 10:00 Berlin, 8 times, across the end of DST on 25 October 2026. */
function berlinSeries(): string {
  const result = createEventIcs(
    {
      summary: 'Weekly',
      start: '2026-10-01T10:00:00',
      end: '2026-10-01T11:00:00',
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;COUNT=8',
    },
    { now: CREATED, uid: 'weekly' },
  );
  if (!result.ok) throw result.error;
  return result.ics;
}

function update(ics: string, patch: EventPatch, options: Partial<EditIcsOptions>) {
  const result = updateEventIcs(ics, patch, { scope: 'all', now: NOW, ...options });
  if (!result.ok) throw result.error;
  return result;
}

function refused(ics: string, patch: EventPatch, options: Partial<EditIcsOptions>): string {
  const result = updateEventIcs(ics, patch, { scope: 'all', now: NOW, ...options });
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.error.code;
}

/** Unfolded lines of the VEVENT with the given RECURRENCE-ID line part (or the master). */
function vevent(ics: string, recurrenceId?: string): string[] {
  const blocks = ics
    .replace(/\r\n[ \t]/g, '')
    .split('BEGIN:VEVENT\r\n')
    .slice(1);
  const block = blocks.find((b) =>
    recurrenceId === undefined ? !b.includes('RECURRENCE-ID') : b.includes(`RECURRENCE-ID${recurrenceId}`),
  );
  return block?.split('END:VEVENT')[0]?.split('\r\n').filter(Boolean) ?? [];
}

/** Berlin wall-clock time of an ISO instant, e.g. `10:00`. */
function berlinTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
}

const OCT29 = utc(2026, 10, 29, 9); // 10:00 CET, after the DST change

describe('updateEventIcs on a weekly Europe/Berlin series across DST', () => {
  it("'this' writes an override in the master's TZID and leaves the rest", () => {
    const { ics, split } = update(berlinSeries(), { summary: 'Special' }, { scope: 'this', occurrence: OCT29 });
    expect(split).toBeUndefined();
    const override = vevent(ics, ';TZID=Europe/Berlin:20261029T100000');
    expect(override).toEqual(
      expect.arrayContaining([
        'UID:weekly',
        'SUMMARY:Special',
        'DTSTART;TZID=Europe/Berlin:20261029T100000',
        'DTEND;TZID=Europe/Berlin:20261029T110000',
        'DTSTAMP:20260201T120000Z',
        'LAST-MODIFIED:20260201T120000Z',
        'SEQUENCE:0',
      ]),
    );
    expect(override.some((l) => l.startsWith('RRULE'))).toBe(false);
    expect(vevent(ics)).toContain('DTSTAMP:20260101T000000Z'); // master untouched
    const occurrences = expandObject(ics, ...WINDOW);
    expect(occurrences).toHaveLength(8);
    expect(occurrences.filter((o) => o.summary === 'Special').map((o) => o.start)).toEqual([
      '2026-10-29T09:00:00.000Z',
    ]);
    expect(occurrences.every((o) => berlinTime(o.start) === '10:00')).toBe(true);
  });

  it("'this' moving the occurrence raises the override's SEQUENCE; a second edit reuses it", () => {
    const first = update(berlinSeries(), { start: '2026-10-29T12:00:00' }, { scope: 'this', occurrence: OCT29 }).ics;
    expect(vevent(first, ';TZID=Europe/Berlin:20261029T100000')).toEqual(
      expect.arrayContaining([
        'DTSTART;TZID=Europe/Berlin:20261029T120000',
        'DTEND;TZID=Europe/Berlin:20261029T130000',
        'SEQUENCE:1',
      ]),
    );
    const second = update(first, { location: 'Room 2' }, { scope: 'this', occurrence: OCT29 }).ics;
    expect(second.match(/RECURRENCE-ID/g)).toHaveLength(1);
    expect(vevent(second, ';TZID=Europe/Berlin:20261029T100000')).toEqual(
      expect.arrayContaining(['LOCATION:Room 2', 'SEQUENCE:1', 'DTSTART;TZID=Europe/Berlin:20261029T120000']),
    );
  });

  it("'future' splits: UNTIL in UTC one second before, the rest with a reduced COUNT", () => {
    const { ics, split } = update(berlinSeries(), { summary: 'Later' }, { scope: 'future', occurrence: OCT29 });
    expect(vevent(ics)).toEqual(
      expect.arrayContaining([
        'RRULE:FREQ=WEEKLY;UNTIL=20261029T085959Z',
        'SEQUENCE:1',
        'SUMMARY:Weekly',
        'DTSTAMP:20260201T120000Z',
      ]),
    );
    expect(split?.uid).toBe('weekly-R20261029T100000');
    const next = split?.ics ?? '';
    expect(vevent(next)).toEqual(
      expect.arrayContaining([
        'UID:weekly-R20261029T100000',
        'DTSTART;TZID=Europe/Berlin:20261029T100000',
        'DTEND;TZID=Europe/Berlin:20261029T110000',
        'RRULE:FREQ=WEEKLY;COUNT=4',
        'SUMMARY:Later',
        'SEQUENCE:0',
        'CREATED:20260201T120000Z',
      ]),
    );
    expect(next).toContain('BEGIN:VTIMEZONE');
    const before = expandObject(ics, ...WINDOW);
    const after = expandObject(next, ...WINDOW);
    expect(before.map((o) => o.start.slice(0, 10))).toEqual(['2026-10-01', '2026-10-08', '2026-10-15', '2026-10-22']);
    expect(after.map((o) => o.start.slice(0, 10))).toEqual(['2026-10-29', '2026-11-05', '2026-11-12', '2026-11-19']);
    expect([...before, ...after].every((o) => berlinTime(o.start) === '10:00')).toBe(true);
    expect(after.every((o) => o.summary === 'Later')).toBe(true);
  });

  it("'future' with a new time moves only the new series, still at a fixed local time", () => {
    const { ics, split } = update(
      berlinSeries(),
      { start: '2026-10-22T11:00:00', end: '2026-10-22T12:00:00' },
      { scope: 'future', occurrence: utc(2026, 10, 22, 8) },
    );
    expect(expandObject(ics, ...WINDOW).every((o) => berlinTime(o.start) === '10:00')).toBe(true);
    const later = expandObject(split?.ics ?? '', ...WINDOW);
    expect(later.map((o) => o.start)).toEqual([
      '2026-10-22T09:00:00.000Z',
      '2026-10-29T10:00:00.000Z',
      '2026-11-05T10:00:00.000Z',
      '2026-11-12T10:00:00.000Z',
      '2026-11-19T10:00:00.000Z',
    ]);
  });

  it("'future' at the first instance is 'all'", () => {
    const result = update(berlinSeries(), { summary: 'All' }, { scope: 'future', occurrence: utc(2026, 10, 1, 8) });
    expect(result.split).toBeUndefined();
    expect(expandObject(result.ics, ...WINDOW).every((o) => o.summary === 'All')).toBe(true);
    expect(vevent(result.ics)).toEqual(expect.arrayContaining(['SEQUENCE:0', 'LAST-MODIFIED:20260201T120000Z']));
  });

  it("'all' moving the time of day shifts overrides and EXDATEs along", () => {
    let ics = update(berlinSeries(), { summary: 'Kept' }, { scope: 'this', occurrence: OCT29 }).ics;
    ics = update(ics, { start: '2026-11-05T15:00:00' }, { scope: 'this', occurrence: utc(2026, 11, 5, 9) }).ics;
    ics = ics.replace(
      'RRULE:FREQ=WEEKLY;COUNT=8',
      'RRULE:FREQ=WEEKLY;COUNT=8\r\nEXDATE;TZID=Europe/Berlin:20261015T100000',
    );
    const moved = update(ics, { start: '2026-10-01T11:30:00' }, { scope: 'all' }).ics;
    const master = vevent(moved);
    expect(master).toEqual(
      expect.arrayContaining([
        'DTSTART;TZID=Europe/Berlin:20261001T113000',
        'DTEND;TZID=Europe/Berlin:20261001T123000',
        'EXDATE;TZID=Europe/Berlin:20261015T113000',
        'SEQUENCE:1',
      ]),
    );
    expect(vevent(moved, ';TZID=Europe/Berlin:20261029T113000')).toEqual(
      expect.arrayContaining(['SUMMARY:Kept', 'DTSTART;TZID=Europe/Berlin:20261029T113000']),
    );
    // The override that had moved its instance keeps its own time.
    expect(vevent(moved, ';TZID=Europe/Berlin:20261105T113000')).toContain(
      'DTSTART;TZID=Europe/Berlin:20261105T150000',
    );
    const occurrences = expandObject(moved, ...WINDOW);
    expect(occurrences).toHaveLength(7);
    expect(occurrences.filter((o) => berlinTime(o.start) !== '11:30').map((o) => berlinTime(o.start))).toEqual([
      '15:00',
    ]);
    expect(occurrences.find((o) => o.summary === 'Kept')?.start).toBe('2026-10-29T10:30:00.000Z');
  });

  it("'all' with a new rule drops overrides that no longer name an instance", () => {
    // 22 October is the fourth instance: not one of a fortnightly rule from 1 October.
    const withOverride = update(
      berlinSeries(),
      { summary: 'Odd' },
      { scope: 'this', occurrence: utc(2026, 10, 22, 8) },
    ).ics;
    const changed = update(withOverride, { rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4' }, { scope: 'all' }).ics;
    expect(changed).not.toContain('RECURRENCE-ID');
    expect(vevent(changed)).toContain('RRULE:FREQ=WEEKLY;COUNT=4;INTERVAL=2');
    const kept = update(withOverride, { rrule: 'FREQ=DAILY;COUNT=60' }, { scope: 'all' }).ics;
    expect(kept).toContain('RECURRENCE-ID');
  });

  it("'all' with rrule null makes a single event", () => {
    const withOverride = update(berlinSeries(), { summary: 'Odd' }, { scope: 'this', occurrence: OCT29 }).ics;
    const single = update(withOverride, { rrule: null }, { scope: 'all' }).ics;
    expect(single).not.toContain('RECURRENCE-ID');
    expect(vevent(single).join('\n')).not.toMatch(/RRULE|EXDATE/);
    expect(expandObject(single, ...WINDOW)).toHaveLength(1);
    expect(vevent(single)).toContain('SEQUENCE:1');
  });

  it('changes the zone keeping the instant, and writes the new VTIMEZONE', () => {
    const ics = update(berlinSeries(), { timezone: 'America/New_York' }, { scope: 'all' }).ics;
    expect(vevent(ics)).toContain('DTSTART;TZID=America/New_York:20261001T040000');
    expect(ics).toContain('TZID:America/New_York');
    expect(ics).toContain('TZID:Europe/Berlin'); // existing VTIMEZONEs stay
  });

  it("'all' with an occurrence moves the series by that occurrence's move", () => {
    const { ics } = update(
      berlinSeries(),
      { start: '2026-10-29T11:15:00', end: '2026-10-29T11:45:00' },
      { scope: 'all', occurrence: OCT29 },
    );
    expect(vevent(ics)).toEqual(
      expect.arrayContaining([
        'DTSTART;TZID=Europe/Berlin:20261001T111500',
        'DTEND;TZID=Europe/Berlin:20261001T114500',
      ]),
    );
    const occurrences = expandObject(ics, ...WINDOW);
    expect(occurrences).toHaveLength(8);
    expect(occurrences.every((o) => berlinTime(o.start) === '11:15' && berlinTime(o.end) === '11:45')).toBe(true);
  });

  it('refuses invalid edits with invalid-input', () => {
    const ics = berlinSeries();
    expect(refused(ics, { summary: 'x' }, { scope: 'this', occurrence: OCT29 + 60_000 })).toBe('invalid-input');
    expect(refused(ics, { summary: 'x' }, { scope: 'this' })).toBe('invalid-input');
    expect(refused(ics, { rrule: 'FREQ=DAILY' }, { scope: 'this', occurrence: OCT29 })).toBe('invalid-input');
    expect(refused(ics, { rrule: 'FREQ=SOMETIMES' }, { scope: 'all' })).toBe('invalid-input');
    expect(refused(ics, { end: '2026-10-01T09:00:00' }, { scope: 'all' })).toBe('invalid-input');
    expect(refused(ics, { timezone: 'Nowhere/Land' }, { scope: 'all' })).toBe('invalid-input');
    expect(refused(ics, { start: '2026-13-01T10:00:00' }, { scope: 'all' })).toBe('invalid-input');
    expect(refused(ics, { summary: 'x' }, { scope: 'sometimes' as 'all' })).toBe('invalid-input');
    expect(refused('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', { summary: 'x' }, {})).toBe('bad-data');
  });
});

describe('updateEventIcs on an all-day daily series with COUNT', () => {
  const daily = calendar(
    [
      'BEGIN:VEVENT',
      'UID:daily',
      'DTSTAMP:20260101T000000Z',
      'SEQUENCE:3',
      'DTSTART;VALUE=DATE:20261201',
      'DTEND;VALUE=DATE:20261202',
      'RRULE:FREQ=DAILY;COUNT=10',
      'SUMMARY:Holiday',
      'END:VEVENT',
    ].join('\r\n'),
  );

  it("'this' writes a VALUE=DATE override", () => {
    const { ics } = update(daily, { summary: 'Off' }, { scope: 'this', occurrence: utc(2026, 12, 3) });
    expect(vevent(ics, ';VALUE=DATE:20261203')).toEqual(
      expect.arrayContaining(['DTSTART;VALUE=DATE:20261203', 'DTEND;VALUE=DATE:20261204', 'SEQUENCE:3']),
    );
    const days = expandObject(ics, ...WINDOW);
    expect(days.find((o) => o.start === '2026-12-03')?.summary).toBe('Off');
    expect(days).toHaveLength(10);
  });

  it("'future' ends the old rule the day before and reduces COUNT", () => {
    const { ics, split } = update(daily, { summary: 'Later' }, { scope: 'future', occurrence: utc(2026, 12, 5) });
    expect(vevent(ics)).toEqual(expect.arrayContaining(['RRULE:FREQ=DAILY;UNTIL=20261204', 'SEQUENCE:4']));
    expect(split?.uid).toBe('daily-R20261205');
    expect(vevent(split?.ics ?? '')).toEqual(
      expect.arrayContaining(['DTSTART;VALUE=DATE:20261205', 'DTEND;VALUE=DATE:20261206', 'RRULE:FREQ=DAILY;COUNT=6']),
    );
    expect(expandObject(ics, ...WINDOW).map((o) => o.start)).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
    const rest = expandObject(split?.ics ?? '', ...WINDOW);
    expect(rest.map((o) => o.start)).toEqual([
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
    ]);
    expect(rest.every((o) => o.allDay && o.summary === 'Later')).toBe(true);
  });
});
