import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../api/types.ts';
import { expandObject } from '../expand/expand.ts';
import { indexObject } from '../read/index-object.ts';
import { utc } from '../test-ics.ts';
import { createEventIcs } from './write-event.ts';

const NOW = utc(2026, 1, 15, 12);

function create(input: Partial<EventInput>, uid = 'uid-1'): string {
  const result = createEventIcs({ summary: 'Meeting', start: '', end: '', ...input }, { now: NOW, uid });
  if (!result.ok) throw result.error;
  expect(result.uid).toBe(uid);
  return result.ics;
}

function lines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

describe('createEventIcs', () => {
  it('writes wall time in the zone, a VTIMEZONE, and the right instant', () => {
    const ics = create({ start: '2026-12-10T10:00:00', end: '2026-12-10T11:30:00', timezone: 'Europe/Berlin' });
    const all = lines(ics);
    expect(all).toContain('DTSTART;TZID=Europe/Berlin:20261210T100000');
    expect(all).toContain('DTEND;TZID=Europe/Berlin:20261210T113000');
    expect(all.slice(0, 4)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//calsync//calsync//EN',
      'CALSCALE:GREGORIAN',
    ]);
    for (const line of [
      'UID:uid-1',
      'SEQUENCE:0',
      'SUMMARY:Meeting',
      'DTSTAMP:20260115T120000Z',
      'CREATED:20260115T120000Z',
    ]) {
      expect(all).toContain(line);
    }
    expect(all).toContain('LAST-MODIFIED:20260115T120000Z');
    expect(all.filter((l) => l === 'BEGIN:VTIMEZONE')).toHaveLength(1);
    expect(all).toContain('TZID:Europe/Berlin');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const indexed = indexObject(ics);
    expect(indexed.ok && indexed.fields).toMatchObject({
      start: utc(2026, 12, 10, 9),
      end: utc(2026, 12, 10, 10, 30),
      timezone: 'Europe/Berlin',
    });
  });

  it('writes an instant in the zone as wall time, and in UTC without zone', () => {
    const zoned = create({
      start: '2026-07-01T08:00:00Z',
      end: new Date(utc(2026, 7, 1, 9)),
      timezone: 'Europe/Berlin',
    });
    expect(lines(zoned)).toContain('DTSTART;TZID=Europe/Berlin:20260701T100000');
    expect(lines(zoned)).toContain('DTEND;TZID=Europe/Berlin:20260701T110000');
    const plain = create({ start: '2026-07-01T10:00:00+02:00', end: new Date(utc(2026, 7, 1, 9)) });
    expect(lines(plain)).toContain('DTSTART:20260701T080000Z');
    expect(lines(plain)).toContain('DTEND:20260701T090000Z');
    expect(plain).not.toContain('VTIMEZONE');
  });

  it('canonicalises zone aliases', () => {
    const ics = create({ start: '2026-12-10T10:00:00', end: '2026-12-10T11:00:00', timezone: 'US/Eastern' });
    expect(lines(ics)).toContain('DTSTART;TZID=America/New_York:20261210T100000');
    expect(indexObject(ics).ok && indexObject(ics)).toMatchObject({ fields: { start: utc(2026, 12, 10, 15) } });
  });

  it('writes all-day events as VALUE=DATE with an exclusive end', () => {
    const ics = create({ start: '2026-12-24', end: new Date(utc(2026, 12, 26)), allDay: true, location: 'Home' });
    expect(lines(ics)).toContain('DTSTART;VALUE=DATE:20261224');
    expect(lines(ics)).toContain('DTEND;VALUE=DATE:20261226');
    expect(lines(ics)).toContain('LOCATION:Home');
    const [occurrence] = expandObject(ics, utc(2026, 12, 1), utc(2027, 1, 1));
    expect(occurrence).toMatchObject({ start: '2026-12-24', end: '2026-12-26', allDay: true });
  });

  it('writes RRULE, DESCRIPTION and escapes text', () => {
    const ics = create({
      start: '2026-03-02T09:00:00',
      end: '2026-03-02T09:15:00',
      timezone: 'Europe/Berlin',
      rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4',
      summary: 'Stand-up, daily; short',
      description: 'Line 1\nLine 2',
    });
    // ical.js writes rule parts in its own order.
    expect(lines(ics)).toContain('RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE');
    expect(lines(ics)).toContain('SUMMARY:Stand-up\\, daily\\; short');
    expect(lines(ics)).toContain('DESCRIPTION:Line 1\\nLine 2');
    const starts = expandObject(ics, utc(2026, 1, 1), utc(2027, 1, 1)).map((o) => o.start);
    // Across the DST change of 29 March: 09:00 local stays 09:00 local.
    expect(starts).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-04T08:00:00.000Z',
      '2026-03-09T08:00:00.000Z',
      '2026-03-11T08:00:00.000Z',
    ]);
    expect(expandObject(ics, utc(2026, 1, 1), utc(2027, 1, 1))[0]?.summary).toBe('Stand-up, daily; short');
  });

  it('generates a UID when none is given', () => {
    const result = createEventIcs(
      { summary: 'x', start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' },
      { now: NOW },
    );
    expect(result.ok && result.uid).toMatch(/^[0-9a-f-]{36}$/);
    const withInputUid = createEventIcs(
      { summary: 'x', start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z', uid: 'mine' },
      { now: NOW },
    );
    expect(withInputUid.ok && withInputUid.uid).toBe('mine');
  });

  const timed = { summary: 'x', start: '2026-12-10T10:00:00Z', end: '2026-12-10T11:00:00Z' };
  it.each([
    ['end before start', { end: '2026-12-10T09:00:00Z' }],
    ['end equal to start', { end: '2026-12-10T10:00:00Z' }],
    ['all-day end not after start', { allDay: true, start: '2026-12-10', end: '2026-12-10' }],
    ['all-day with a time', { allDay: true, start: '2026-12-10T10:00:00', end: '2026-12-11' }],
    ['unknown FREQ', { rrule: 'FREQ=SOMETIMES' }],
    ['bad BYDAY', { rrule: 'FREQ=WEEKLY;BYDAY=XX' }],
    ['negative COUNT', { rrule: 'FREQ=DAILY;COUNT=-3' }],
    ['zero INTERVAL', { rrule: 'FREQ=DAILY;INTERVAL=0' }],
    ['COUNT and UNTIL', { rrule: 'FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z' }],
    ['unknown rule part', { rrule: 'FREQ=DAILY;FOO=BAR' }],
    ['rule text without FREQ', { rrule: 'garbage' }],
    ['unknown zone', { timezone: 'Mars/Olympus_Mons' }],
    ['impossible date', { start: '2026-02-30T10:00:00Z' }],
    ['not a date', { start: 'tomorrow' }],
    ['invalid Date', { start: new Date(Number.NaN) }],
    ['wall time without zone', { start: '2026-12-10T10:00:00' }],
    ['date-only for a timed event', { start: '2026-12-10', end: '2026-12-11' }],
    ['summary not a string', { summary: 42 }],
    ['location not a string', { location: ['x'] }],
  ])('refuses %s with invalid-input', (_, override) => {
    const input = { ...timed, ...override } as unknown as EventInput;
    const result = createEventIcs(input, { now: NOW, uid: 'u' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('invalid-input');
  });
});
