import type ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { CalsyncError } from '../../api/errors.ts';
import { calendar, vevent } from '../test-ics.ts';
import { parseCalendar } from './parse.ts';

describe('parseCalendar', () => {
  it('parses a VCALENDAR', () => {
    const result = parseCalendar(calendar(vevent('UID:a', 'DTSTART:20260101T100000Z')));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.calendar.getAllSubcomponents('vevent')).toHaveLength(1);
  });

  it.each([
    ['empty text', ''],
    ['whitespace', '  \r\n '],
    ['garbage', 'this is not a calendar'],
    ['a bare VEVENT', vevent('UID:a', 'DTSTART:20260101T100000Z')],
    ['an unterminated component', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\n'],
    ['binary noise', '\u0000\u0001BEGIN:\u0002'],
    ['a lone END', 'END:VCALENDAR'],
  ])('returns bad-data for %s without throwing', (_label, text) => {
    const result = parseCalendar(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(CalsyncError);
      expect(result.error.code).toBe('bad-data');
    }
  });

  it('returns bad-data for a non-string argument', () => {
    const result = parseCalendar(undefined as unknown as string);
    expect(result.ok).toBe(false);
  });

  it('ignores a leading byte-order mark', () => {
    const result = parseCalendar(`\uFEFF${calendar(vevent('UID:a', 'DTSTART:20260101T100000Z'))}`);
    expect(result.ok).toBe(true);
  });

  it('uses the first VCALENDAR when there are several', () => {
    const two = calendar(vevent('UID:first', 'DTSTART:20260101T100000Z')) + calendar(vevent('UID:second'));
    const result = parseCalendar(two);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.calendar.getFirstSubcomponent('vevent')?.getFirstPropertyValue('uid')).toBe('first');
    }
  });
});

describe('embedded VTIMEZONEs', () => {
  const zone = (tzid: string, offset: string) =>
    [
      'BEGIN:VTIMEZONE',
      `TZID:${tzid}`,
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${offset}`,
      `TZOFFSETTO:${offset}`,
      'END:STANDARD',
      'END:VTIMEZONE',
    ].join('\r\n');
  const withZone = (uid: string, tzid: string, offset: string) =>
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      zone(tzid, offset),
      'BEGIN:VEVENT',
      `UID:${uid}`,
      `DTSTART;TZID=${tzid}:20260310T090000`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
  const start = (ics: string) => {
    const result = parseCalendar(ics);
    if (!result.ok) throw result.error;
    return result.calendar.getFirstSubcomponent('vevent')?.getFirstPropertyValue('dtstart') as ICAL.Time;
  };

  it('resolve to one shared zone per identical definition', () => {
    const a = start(withZone('a', 'Test/Shared', '+0300'));
    const b = start(withZone('b', 'Test/Shared', '+0300'));
    expect(a.zone).toBe(b.zone);
    expect(a.toUnixTime()).toBe(Date.UTC(2026, 2, 10, 6) / 1000);
  });

  it('keep two different definitions under one TZID apart', () => {
    const a = start(withZone('a', 'Test/Differs', '+0300'));
    const b = start(withZone('b', 'Test/Differs', '-0500'));
    expect(a.zone).not.toBe(b.zone);
    expect(a.toUnixTime()).toBe(Date.UTC(2026, 2, 10, 6) / 1000);
    expect(b.toUnixTime()).toBe(Date.UTC(2026, 2, 10, 14) / 1000);
  });
});
