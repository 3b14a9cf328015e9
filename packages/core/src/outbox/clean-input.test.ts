import { describe, expect, it } from 'vitest';
import { assertWritableIcs, cleanEventInput, cleanText } from './clean-input.ts';

describe('user text that calendars cannot carry', () => {
  it('strips control characters pasted from a PDF or terminal, keeping the rest as typed', () => {
    expect(cleanText('pasted\u000bfrom\u0001a PDF')).toBe('pastedfroma PDF');
    expect(cleanText('tab\tstays, emoji 😀 é stay\u007f\uFFFE')).toBe('tab\tstays, emoji 😀 é stay');
    expect(cleanText('line\r\nbreaks\rall\nkinds')).toBe('line\nbreaks\nall\nkinds');
    expect(cleanText('half a pair \uD83D!')).toBe('half a pair !');
  });

  it('cleans summary, location and description of inputs and patches, and refuses such a UID', () => {
    expect(cleanEventInput({ summary: 'a\u0000b', location: 'c\u001fd', description: null })).toEqual({
      summary: 'ab',
      location: 'cd',
      description: null,
    });
    expect(() => cleanEventInput({ summary: 'x', start: '2026-12-01', end: '2026-12-02', uid: 'u\u0002id' })).toThrow(
      expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining('U+0002') }),
    );
  });

  it('refuses ICS holding such characters or a carriage return that ends no line', () => {
    const ics = (summary: string) =>
      `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    expect(() => assertWritableIcs(ics('fine'))).not.toThrow();
    expect(() => assertWritableIcs(ics('bad\u000bone'))).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => assertWritableIcs(ics('lone\rcr'))).toThrow(/carriage return/);
  });
});
