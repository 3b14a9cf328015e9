import { describe, expect, it } from 'vitest';
import { prepareObject } from '../read/prepare.ts';
import { calendar, utc, vevent } from '../test-ics.ts';
import { expandObject } from './expand.ts';

const starts = (ics: string, from: number, to: number) => expandObject(ics, from, to).map((o) => o.start);

describe('expandObject: weekly series with exceptions', () => {
  // Mondays 10:00Z from 5 Jan 2026; 12 Jan excluded; 19 Jan moved within its week;
  // 9 Feb moved back into the week of 19 Jan; 26 Jan moved out to March; 2 Feb cancelled.
  const series = calendar(
    vevent(
      'UID:weekly',
      'SUMMARY:Weekly',
      'DTSTART:20260105T100000Z',
      'DTEND:20260105T110000Z',
      'RRULE:FREQ=WEEKLY',
      'EXDATE:20260112T100000Z',
    ),
    vevent(
      'UID:weekly',
      'RECURRENCE-ID:20260119T100000Z',
      'SUMMARY:Moved within',
      'DTSTART:20260120T120000Z',
      'DTEND:20260120T130000Z',
    ),
    vevent(
      'UID:weekly',
      'RECURRENCE-ID:20260209T100000Z',
      'SUMMARY:Moved in',
      'DTSTART:20260121T150000Z',
      'DTEND:20260121T160000Z',
    ),
    vevent(
      'UID:weekly',
      'RECURRENCE-ID:20260126T100000Z',
      'SUMMARY:Moved out',
      'DTSTART:20260301T100000Z',
      'DTEND:20260301T110000Z',
    ),
    vevent(
      'UID:weekly',
      'RECURRENCE-ID:20260202T100000Z',
      'STATUS:CANCELLED',
      'DTSTART:20260202T100000Z',
      'DTEND:20260202T110000Z',
    ),
  );

  it('applies EXDATE and overrides moved within, into and out of the window', () => {
    // 16 Feb starts exactly at the window end, so it is outside.
    const occurrences = expandObject(series, utc(2026, 1, 1), utc(2026, 2, 16, 10));
    expect(occurrences.map((o) => [o.summary, o.start, o.recurrenceId])).toEqual([
      ['Weekly', '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z'],
      ['Moved within', '2026-01-20T12:00:00.000Z', '2026-01-19T10:00:00.000Z'],
      ['Moved in', '2026-01-21T15:00:00.000Z', '2026-02-09T10:00:00.000Z'],
    ]);
  });

  it('shows an instance moved in from outside the window, and not its original slot', () => {
    const week = expandObject(series, utc(2026, 1, 19), utc(2026, 1, 26));
    expect(week.map((o) => o.summary)).toEqual(['Moved within', 'Moved in']);
    const original = expandObject(series, utc(2026, 2, 9), utc(2026, 2, 10));
    expect(original).toEqual([]);
  });

  it('drops an instance moved out of the window and shows it where it went', () => {
    expect(starts(series, utc(2026, 1, 26), utc(2026, 1, 27))).toEqual([]);
    expect(expandObject(series, utc(2026, 3, 1), utc(2026, 3, 2)).map((o) => o.summary)).toEqual(['Moved out']);
  });

  it('drops a cancelled override and its original instance', () => {
    expect(starts(series, utc(2026, 2, 2), utc(2026, 2, 3))).toEqual([]);
  });

  it('fills the occurrence fields', () => {
    const [first] = expandObject(series, utc(2026, 1, 5), utc(2026, 1, 6));
    expect(first).toEqual({
      uid: 'weekly',
      recurrenceId: '2026-01-05T10:00:00.000Z',
      summary: 'Weekly',
      start: '2026-01-05T10:00:00.000Z',
      end: '2026-01-05T11:00:00.000Z',
      startMs: utc(2026, 1, 5, 10),
      endMs: utc(2026, 1, 5, 11),
      allDay: false,
    });
  });
});

describe('expandObject: recurrence sources', () => {
  it('adds RDATEs (and DTSTART) to the rule, once each', () => {
    const ics = calendar(
      vevent(
        'UID:r',
        'DTSTART:20260105T100000Z',
        'DTEND:20260105T110000Z',
        'RRULE:FREQ=DAILY;COUNT=2',
        'RDATE:20260106T100000Z,20260110T100000Z',
        'RDATE;VALUE=PERIOD:20260112T080000Z/PT30M',
      ),
    );
    const occurrences = expandObject(ics, utc(2026, 1, 1), utc(2026, 2, 1));
    expect(occurrences.map((o) => [o.start, o.end])).toEqual([
      ['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z'],
      ['2026-01-06T10:00:00.000Z', '2026-01-06T11:00:00.000Z'],
      ['2026-01-10T10:00:00.000Z', '2026-01-10T11:00:00.000Z'],
      ['2026-01-12T08:00:00.000Z', '2026-01-12T08:30:00.000Z'],
    ]);
  });

  it('keeps DTSTART as the first instance of an RDATE-only object', () => {
    const ics = calendar(vevent('UID:r', 'DTSTART:20260105T100000Z', 'RDATE:20260107T100000Z'));
    expect(starts(ics, utc(2026, 1, 1), utc(2026, 2, 1))).toEqual([
      '2026-01-05T10:00:00.000Z',
      '2026-01-07T10:00:00.000Z',
    ]);
  });

  it('expands all-day yearly and daily series as dates', () => {
    const yearly = calendar(vevent('UID:y', 'DTSTART;VALUE=DATE:20200315', 'RRULE:FREQ=YEARLY', 'SUMMARY:Birthday'));
    const [birthday] = expandObject(yearly, utc(2026, 1, 1), utc(2027, 1, 1));
    expect(birthday).toMatchObject({
      start: '2026-03-15',
      end: '2026-03-16',
      startMs: utc(2026, 3, 15),
      endMs: utc(2026, 3, 16),
      allDay: true,
      recurrenceId: '2026-03-15',
    });
    const daily = calendar(
      vevent(
        'UID:d',
        'DTSTART;VALUE=DATE:20260301',
        'DTEND;VALUE=DATE:20260302',
        'RRULE:FREQ=DAILY;COUNT=4',
        'EXDATE;VALUE=DATE:20260303',
      ),
    );
    expect(starts(daily, utc(2026, 1, 1), utc(2027, 1, 1))).toEqual(['2026-03-01', '2026-03-02', '2026-03-04']);
  });

  it('keeps a weekly Europe/Berlin 10:00 meeting at 10:00 local across both DST changes', () => {
    const ics = calendar(
      vevent(
        'UID:b',
        'DTSTART;TZID=Europe/Berlin:20260316T100000',
        'DTEND;TZID=Europe/Berlin:20260316T110000',
        'RRULE:FREQ=WEEKLY',
      ),
    );
    const occurrences = expandObject(ics, utc(2026, 3, 16), utc(2026, 10, 27));
    const utcHours = occurrences.map((o) => new Date(o.startMs).getUTCHours());
    // CET (UTC+1) until 29 March, CEST (UTC+2) until 25 October, then CET again.
    expect(occurrences[0]?.start).toBe('2026-03-16T09:00:00.000Z');
    expect(occurrences[2]?.start).toBe('2026-03-30T08:00:00.000Z');
    expect(occurrences.at(-2)?.start).toBe('2026-10-19T08:00:00.000Z');
    expect(occurrences.at(-1)?.start).toBe('2026-10-26T09:00:00.000Z');
    expect(utcHours.filter((h) => h === 9)).toHaveLength(3);
    expect(utcHours.filter((h) => h === 8)).toHaveLength(occurrences.length - 3);
    expect(occurrences.every((o) => o.endMs - o.startMs === 3_600_000 && o.timezone === 'Europe/Berlin')).toBe(true);
  });
});

describe('expandObject: UNTIL on a zoned series (iterated in wall-clock time)', () => {
  const weekly = (until: string) =>
    calendar(
      vevent(
        'UID:u',
        'DTSTART;TZID=Europe/Berlin:20260316T100000',
        'DTEND;TZID=Europe/Berlin:20260316T110000',
        `RRULE:FREQ=WEEKLY;UNTIL=${until}`,
      ),
    );

  it('includes the instance at exactly UNTIL, after a DST change (10:00 CEST = 08:00Z)', () => {
    expect(starts(weekly('20260406T080000Z'), utc(2026, 1, 1), utc(2027, 1, 1))).toEqual([
      '2026-03-16T09:00:00.000Z',
      '2026-03-23T09:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-04-06T08:00:00.000Z',
    ]);
  });

  it('excludes the instance one second past UNTIL (UNTIL is an instant, not a wall-clock time)', () => {
    expect(starts(weekly('20260406T075959Z'), utc(2026, 1, 1), utc(2027, 1, 1))).toHaveLength(3);
  });

  it('expands a window far after DTSTART exactly like a window around it', () => {
    const ics = weekly('20271231T000000Z');
    const all = starts(ics, utc(2026, 1, 1), utc(2028, 1, 1));
    const late = starts(ics, utc(2027, 6, 1), utc(2027, 7, 1));
    expect(late.length).toBeGreaterThan(3);
    expect(late).toEqual(all.filter((s) => s >= '2027-06-01' && s < '2027-07-01'));
  });
});

describe('expandObject: DST gaps', () => {
  it('keeps iterating past a wall-clock hour that does not exist', () => {
    // 02:00 on 29 March 2026 does not exist in Berlin; ical.js maps it onto 03:00 CEST,
    // the same instant as the next instance, which is kept once.
    const ics = calendar(vevent('UID:h', 'DTSTART;TZID=Europe/Berlin:20260329T000000', 'RRULE:FREQ=HOURLY;COUNT=6'));
    expect(starts(ics, utc(2026, 3, 28), utc(2026, 3, 30))).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
  });
});

describe('expandObject: windows and bounds', () => {
  const single = calendar(vevent('UID:s', 'DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z'));

  it('returns a non-recurring event once, without recurrenceId, when it overlaps', () => {
    const [only, ...rest] = expandObject(single, utc(2026, 1, 1), utc(2026, 2, 1));
    expect(rest).toEqual([]);
    expect(only?.recurrenceId).toBeUndefined();
    expect(only?.summary).toBe('');
  });

  it('treats the window as half-open [start, end)', () => {
    expect(starts(single, utc(2026, 1, 5, 11), utc(2026, 1, 5, 12))).toEqual([]);
    expect(starts(single, utc(2026, 1, 5, 9), utc(2026, 1, 5, 10))).toEqual([]);
    expect(starts(single, utc(2026, 1, 5, 11) - 1, utc(2026, 1, 5, 12))).toHaveLength(1);
    expect(starts(single, utc(2026, 1, 5, 9), utc(2026, 1, 5, 10) + 1)).toHaveLength(1);
  });

  it('finds a zero-length event in the window holding its instant, and only there', () => {
    const instant = calendar(vevent('UID:i', 'DTSTART:20260105T100000Z'));
    expect(starts(instant, utc(2026, 1, 5, 10), utc(2026, 1, 5, 11))).toHaveLength(1);
    expect(starts(instant, utc(2026, 1, 5, 9), utc(2026, 1, 5, 10))).toEqual([]);
  });

  it('returns promptly for a rule ical.js would iterate forever', () => {
    const ics = calendar(vevent('UID:n', 'DTSTART:20260101T100000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'));
    const started = performance.now();
    const occurrences = expandObject(ics, utc(2026, 1, 1), utc(2030, 1, 1));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(occurrences.map((o) => o.start)).toEqual(['2026-01-01T10:00:00.000Z']);
  });

  it('honours maxOccurrences, keeping the earliest', () => {
    const daily = calendar(vevent('UID:d', 'DTSTART:20260101T100000Z', 'RRULE:FREQ=DAILY'));
    const occurrences = expandObject(daily, utc(2026, 1, 10), utc(2027, 1, 1), { maxOccurrences: 5 });
    expect(occurrences.map((o) => o.start.slice(0, 10))).toEqual([
      '2026-01-10',
      '2026-01-11',
      '2026-01-12',
      '2026-01-13',
      '2026-01-14',
    ]);
    expect(expandObject(daily, utc(2026, 1, 10), utc(2027, 1, 1), { maxOccurrences: 0 })).toEqual([]);
  });

  it('stops at maxIterations for series far from their DTSTART', () => {
    const minutely = calendar(vevent('UID:m', 'DTSTART:20200101T000000Z', 'RRULE:FREQ=MINUTELY'));
    expect(expandObject(minutely, utc(2026, 1, 1), utc(2026, 1, 2), { maxIterations: 1_000 })).toEqual([]);
  });

  it('reuses a prepared object across windows', () => {
    const prepared = prepareObject(calendar(vevent('UID:p', 'DTSTART:20260101T100000Z', 'RRULE:FREQ=WEEKLY')));
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(expandObject(prepared.object, utc(2026, 1, 1), utc(2026, 2, 1))).toHaveLength(5);
    expect(expandObject(prepared, utc(2026, 2, 1), utc(2026, 3, 1))).toHaveLength(4);
    expect(expandObject(prepared.object, utc(2026, 1, 1), utc(2026, 2, 1))).toHaveLength(5);
  });

  it('returns nothing for unreadable text or an empty window', () => {
    expect(expandObject('nonsense', 0, utc(2030, 1, 1))).toEqual([]);
    expect(expandObject(prepareObject(''), 0, utc(2030, 1, 1))).toEqual([]);
    expect(expandObject(single, utc(2026, 1, 6), utc(2026, 1, 5))).toEqual([]);
  });
});
