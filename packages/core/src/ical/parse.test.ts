import { describe, expect, it } from 'vitest';
import { CalsyncError } from '../errors.ts';
import { parseCalendar } from './parse.ts';
import { calendar, vevent } from './test-ics.ts';

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
