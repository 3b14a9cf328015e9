import { describe, expect, it } from 'vitest';
import { calendar, utc, vevent } from '../test-ics.ts';
import type { IndexedFields } from '../types.ts';
import { indexObject } from './index-object.ts';

function fieldsOf(ics: string): IndexedFields {
  const result = indexObject(ics);
  if (!result.ok) throw result.error;
  return result.fields;
}

function errorOf(ics: string) {
  const result = indexObject(ics);
  if (result.ok) throw new Error('expected a bad-data result');
  return result.error;
}

describe('indexObject: single events', () => {
  it('indexes a timed UTC event', () => {
    const fields = fieldsOf(
      calendar(
        vevent(
          'UID:timed-1',
          'SUMMARY:Standup',
          'LOCATION:Room 1',
          'DESCRIPTION:Daily sync',
          'DTSTART:20260310T090000Z',
          'DTEND:20260310T091500Z',
        ),
      ),
    );
    expect(fields).toEqual({
      uid: 'timed-1',
      componentType: 'VEVENT',
      summary: 'Standup',
      location: 'Room 1',
      description: 'Daily sync',
      start: utc(2026, 3, 10, 9),
      end: utc(2026, 3, 10, 9, 15),
      allDay: false,
      recurring: false,
      rangeStart: utc(2026, 3, 10, 9),
      rangeEnd: utc(2026, 3, 10, 9, 15),
    });
  });

  it('indexes an all-day event at UTC midnights', () => {
    const fields = fieldsOf(
      calendar(vevent('UID:day', 'DTSTART;VALUE=DATE:20260401', 'DTEND;VALUE=DATE:20260403', 'SUMMARY:Trip')),
    );
    expect(fields).toMatchObject({ allDay: true, start: utc(2026, 4, 1), end: utc(2026, 4, 3) });
    expect(fields.timezone).toBeUndefined();
  });

  it('applies RFC 5545 end defaults: +1 day for dates, same instant for date-times', () => {
    expect(fieldsOf(calendar(vevent('UID:d', 'DTSTART;VALUE=DATE:20260401')))).toMatchObject({
      start: utc(2026, 4, 1),
      end: utc(2026, 4, 2),
    });
    const instant = fieldsOf(calendar(vevent('UID:i', 'DTSTART:20260401T120000Z')));
    expect(instant).toMatchObject({ start: utc(2026, 4, 1, 12), end: utc(2026, 4, 1, 12) });
    // The range is never empty, so a window holding the instant finds the event.
    expect(instant.rangeEnd).toBe(utc(2026, 4, 1, 12) + 1);
  });

  it('derives the end from DURATION', () => {
    const fields = fieldsOf(calendar(vevent('UID:dur', 'DTSTART:20260401T120000Z', 'DURATION:PT90M')));
    expect(fields.end).toBe(utc(2026, 4, 1, 13, 30));
  });

  it('reads DTEND before DTSTART as a zero-length event', () => {
    const fields = fieldsOf(calendar(vevent('UID:neg', 'DTSTART:20260401T120000Z', 'DTEND:20260401T100000Z')));
    expect(fields.end).toBe(fields.start);
  });

  it('reads the zone of DTSTART: TZID=America/New_York 10:00 is 15:00Z', () => {
    const fields = fieldsOf(calendar(vevent('UID:ny', 'DTSTART;TZID=America/New_York:20261210T100000')));
    expect(fields).toMatchObject({ start: utc(2026, 12, 10, 15), timezone: 'America/New_York' });
  });

  it('indexes an unknown TZID as floating and flags it', () => {
    const fields = fieldsOf(calendar(vevent('UID:u', 'DTSTART;TZID=Nowhere/Special:20261210T100000')));
    expect(fields).toMatchObject({ start: utc(2026, 12, 10, 10), timezoneUnresolved: true });
  });

  it('indexes a Windows zone name', () => {
    const fields = fieldsOf(calendar(vevent('UID:w', 'DTSTART;TZID=W. Europe Standard Time:20260715T100000')));
    expect(fields).toMatchObject({ start: utc(2026, 7, 15, 8), timezone: 'Europe/Berlin' });
  });
});

describe('indexObject: recurrence ranges', () => {
  const weekly = (rule: string, ...extra: string[]) =>
    calendar(vevent('UID:series', 'DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z', rule, ...extra));

  it('ends a COUNT series at the end of its last instance', () => {
    const fields = fieldsOf(weekly('RRULE:FREQ=WEEKLY;COUNT=3'));
    expect(fields).toMatchObject({ recurring: true, rangeStart: utc(2026, 1, 5, 10), rangeEnd: utc(2026, 1, 19, 11) });
  });

  it('bounds an UNTIL series by UNTIL without following the rule: past its last instance, within a day', () => {
    const fields = fieldsOf(weekly('RRULE:FREQ=DAILY;UNTIL=20260110T100000Z'));
    expect(fields.rangeEnd).toBeGreaterThanOrEqual(utc(2026, 1, 10, 11));
    expect(fields.rangeEnd).toBeLessThanOrEqual(utc(2026, 1, 11, 11));
  });

  it('keeps RDATEs past UNTIL in the range', () => {
    const fields = fieldsOf(
      calendar(
        vevent(
          'UID:s',
          'DTSTART:20260105T100000Z',
          'DTEND:20260105T110000Z',
          'RRULE:FREQ=DAILY;UNTIL=20260110T100000Z',
          'RDATE:20260301T100000Z',
        ),
      ),
    );
    expect(fields.rangeEnd).toBe(utc(2026, 3, 1, 11));
  });

  it('treats a series without COUNT or UNTIL as unbounded', () => {
    expect(fieldsOf(weekly('RRULE:FREQ=WEEKLY')).rangeEnd).toBe(Number.POSITIVE_INFINITY);
  });

  it('treats a COUNT too long to follow as unbounded', () => {
    expect(fieldsOf(weekly('RRULE:FREQ=MINUTELY;COUNT=5000000')).rangeEnd).toBe(Number.POSITIVE_INFINITY);
  });

  it('treats a computed COUNT series ending past the horizon (or past any date) as unbounded, quickly', () => {
    const started = performance.now();
    expect(fieldsOf(weekly('RRULE:FREQ=DAILY;COUNT=100000')).rangeEnd).toBe(Number.POSITIVE_INFINITY);
    expect(fieldsOf(weekly('RRULE:FREQ=WEEKLY;COUNT=1000000000')).rangeEnd).toBe(Number.POSITIVE_INFINITY);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('bounds a long UNTIL series by UNTIL when iterating would take too long', () => {
    const fields = fieldsOf(weekly('RRULE:FREQ=MINUTELY;UNTIL=20300101T000000Z'));
    expect(fields.rangeEnd).toBeGreaterThanOrEqual(utc(2030, 1, 1));
    expect(fields.rangeEnd).toBeLessThan(utc(2030, 1, 3));
  });

  it('includes RDATEs and overrides moved outside the rule', () => {
    const fields = fieldsOf(
      calendar(
        vevent(
          'UID:s',
          'DTSTART:20260105T100000Z',
          'DTEND:20260105T110000Z',
          'RRULE:FREQ=WEEKLY;COUNT=2',
          'RDATE:20251201T100000Z',
        ),
        vevent('UID:s', 'RECURRENCE-ID:20260112T100000Z', 'DTSTART:20260301T100000Z', 'DTEND:20260301T120000Z'),
      ),
    );
    expect(fields).toMatchObject({ rangeStart: utc(2025, 12, 1, 10), rangeEnd: utc(2026, 3, 1, 12) });
  });

  it('counts an RDATE-only object as recurring', () => {
    const fields = fieldsOf(calendar(vevent('UID:r', 'DTSTART:20260105T100000Z', 'RDATE:20260107T100000Z')));
    expect(fields).toMatchObject({ recurring: true, rangeEnd: utc(2026, 1, 7, 10) + 1 });
  });

  it('does not hang on a rule that can never match', () => {
    const started = performance.now();
    const fields = fieldsOf(weekly('RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5'));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(fields.rangeEnd).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('indexObject: other components and multi-component files', () => {
  it('indexes the first UID of a file holding several, ignoring the others', () => {
    const fields = fieldsOf(
      calendar(
        vevent('UID:first', 'SUMMARY:One', 'DTSTART:20260105T100000Z'),
        vevent('UID:second', 'SUMMARY:Two', 'DTSTART:20200105T100000Z'),
      ),
    );
    expect(fields).toMatchObject({ uid: 'first', summary: 'One', rangeStart: utc(2026, 1, 5, 10) });
  });

  it('uses the master even when an override comes first', () => {
    const fields = fieldsOf(
      calendar(
        vevent('UID:m', 'RECURRENCE-ID:20260112T100000Z', 'DTSTART:20260113T100000Z', 'SUMMARY:Moved'),
        vevent('UID:m', 'DTSTART:20260105T100000Z', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Master'),
      ),
    );
    expect(fields).toMatchObject({ summary: 'Master', start: utc(2026, 1, 5, 10), recurring: true });
  });

  it('indexes an object holding only an override from its first override', () => {
    const fields = fieldsOf(
      calendar(vevent('UID:o', 'RECURRENCE-ID:20260112T100000Z', 'DTSTART:20260113T100000Z', 'SUMMARY:Only')),
    );
    expect(fields).toMatchObject({ uid: 'o', summary: 'Only', start: utc(2026, 1, 13, 10), recurring: false });
  });

  it('starts a VTODO without DTSTART at its DUE', () => {
    const todo = ['BEGIN:VTODO', 'UID:t', 'SUMMARY:File taxes', 'DUE:20260415T170000Z', 'END:VTODO'].join('\r\n');
    expect(fieldsOf(calendar(todo))).toMatchObject({
      componentType: 'VTODO',
      start: utc(2026, 4, 15, 17),
      end: utc(2026, 4, 15, 17),
      rangeStart: utc(2026, 4, 15, 17),
    });
  });

  it('gives an undated VTODO start 0 and an empty range', () => {
    const todo = ['BEGIN:VTODO', 'UID:t0', 'SUMMARY:Someday', 'END:VTODO'].join('\r\n');
    expect(fieldsOf(calendar(todo))).toMatchObject({ start: 0, end: 0, rangeStart: 0, rangeEnd: 0, allDay: false });
  });

  it('indexes a VJOURNAL on a date', () => {
    const journal = ['BEGIN:VJOURNAL', 'UID:j', 'DTSTART;VALUE=DATE:20260301', 'END:VJOURNAL'].join('\r\n');
    expect(fieldsOf(calendar(journal))).toMatchObject({
      componentType: 'VJOURNAL',
      allDay: true,
      end: utc(2026, 3, 2),
    });
  });
});

describe('indexObject: bad data', () => {
  it.each([
    ['missing UID', calendar(vevent('DTSTART:20260105T100000Z'))],
    ['empty UID', calendar(vevent('UID:', 'DTSTART:20260105T100000Z'))],
    ['garbage', 'Hello, world'],
    ['empty text', ''],
    ['a timezone-only calendar', calendar('BEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE')],
    ['a VEVENT without DTSTART', calendar(vevent('UID:x', 'SUMMARY:No start'))],
    ['an unreadable DTSTART', calendar(vevent('UID:x', 'DTSTART:2026-01-0'))],
    ['an unknown RRULE frequency', calendar(vevent('UID:x', 'DTSTART:20260105T100000Z', 'RRULE:FREQ=SOMETIMES'))],
    ['an RRULE ical.js rejects', calendar(vevent('UID:x', 'DTSTART:20260105T100000Z', 'RRULE:FREQ=DAILY;BYYEARDAY=3'))],
    ['an absurd DURATION', calendar(vevent('UID:x', 'DTSTART:20260105T100000Z', 'DURATION:P999999999999999999W'))],
  ])('reports %s as bad-data', (_label, ics) => {
    expect(errorOf(ics).code).toBe('bad-data');
  });
});
