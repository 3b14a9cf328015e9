import { describe, expect, it } from 'vitest';
import { formatIcsTime, readEventFields, unfoldLines } from './ics-fields.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'END:STANDARD',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:x',
  'RECURRENCE-ID;TZID=Europe/Berlin:20261208T090000',
  'SUMMARY:Moved one',
  'DTSTART;TZID=Europe/Berlin:20261208T110000',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:x',
  'SUMMARY:Standup\\, daily',
  'DTSTART;TZID="Europe/Berlin":20261207T090000',
  'DTEND;TZID=Europe/Berlin:20261207T091500',
  'LOCATION;ALTREP="http://example.com/a:b":Room 1',
  'DESCRIPTION:First line\\nsecond line is ',
  ' folded',
  'RRULE:FREQ=WEEKLY;BYDAY=MO',
  'BEGIN:VALARM',
  'DESCRIPTION:Alarm text',
  'END:VALARM',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('readEventFields', () => {
  it('reads the series, not an override, VTIMEZONE or VALARM', () => {
    expect(readEventFields(ICS)).toEqual({
      summary: 'Standup, daily',
      start: { value: '20261207T090000', date: false, utc: false, tzid: 'Europe/Berlin' },
      end: { value: '20261207T091500', date: false, utc: false, tzid: 'Europe/Berlin' },
      location: 'Room 1',
      description: 'First line\nsecond line is folded',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
    });
  });

  it('reads all-day dates and UTC times', () => {
    const fields = readEventFields('BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nDTEND:20261225T100000Z\nEND:VEVENT');
    expect(fields?.start).toEqual({ value: '20261224', date: true, utc: false });
    expect(fields?.end).toEqual({ value: '20261225T100000Z', date: false, utc: true });
  });

  it('is undefined without a VEVENT', () => {
    expect(readEventFields('BEGIN:VCALENDAR\nEND:VCALENDAR')).toBeUndefined();
  });
});

describe('unfoldLines', () => {
  it('joins continuation lines (space or tab) and drops empty lines', () => {
    expect(unfoldLines('A:1\r\n 2\r\n\t3\n\nB:4')).toEqual(['A:123', 'B:4']);
  });
});

describe('formatIcsTime', () => {
  it('shows an all-day end as the last day', () => {
    const end = formatIcsTime({ value: '20261225', date: true, utc: false }, { end: true });
    const start = formatIcsTime({ value: '20261224', date: true, utc: false });
    expect(end.replace(' (last day)', '')).toBe(start.replace(' (all day)', ''));
  });

  it('names the zone of a zoned time', () => {
    expect(formatIcsTime({ value: '20261207T090000', date: false, utc: false, tzid: 'Europe/Berlin' })).toMatch(
      /\(Europe\/Berlin\)$/,
    );
  });
});
