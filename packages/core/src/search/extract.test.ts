import { describe, expect, it } from 'vitest';
import { calendar, vevent } from '../ical/test-ics.ts';
import { searchableFields } from './extract.ts';
import { MAX_LINE, scanTexts, TEXT_CAPS } from './ics-scan.ts';
import { rowOf } from './test-rows.ts';

const TOTAL_CAP = Object.values(TEXT_CAPS).reduce((a, b) => a + b, 0);

describe('scanTexts', () => {
  it('unfolds CRLF and LF continuations (space or tab), even inside a name', () => {
    const ics = calendar(
      vevent('UID:1', 'SUMMARY:Quarterly bus\r\n iness review', 'LOCATION:Room\n\t Ada', 'DESCRIP\r\n TION:x'),
    );
    const texts = scanTexts(ics);
    expect(texts.summaries).toEqual(['Quarterly business review']);
    expect(texts.locations).toEqual(['Room Ada']);
    expect(texts.descriptions).toEqual(['x']);
  });

  it('reads CN quoted (with a comma, a colon, RFC 6868 escapes) or bare, of ATTENDEE and ORGANIZER', () => {
    const ics = calendar(
      vevent(
        'UID:1',
        'ORGANIZER;CN="Doe, Jane":mailto:jane@example.com',
        'ATTENDEE;ROLE=REQ-PARTICIPANT;CN="Dr. No: the ^\'boss^\'";RSVP=TRUE:mailto:no@example.com',
        'ATTENDEE;DELEGATED-FROM="mailto:a@x.com","mailto:b@x.com";CN=Smith, Bob:mailto:bob@example.com',
        'attendee;cn=lower case:mailto:l@example.com',
        'ATTENDEE:mailto:nameless@example.com',
      ),
    );
    expect(scanTexts(ics).attendees).toEqual(['Doe, Jane', 'Dr. No: the "boss"', 'Smith, Bob', 'lower case']);
  });

  it('splits CATEGORIES on unescaped commas, over several lines', () => {
    const ics = calendar(
      vevent('UID:1', 'CATEGORIES:Work\\,Travel,Family\\;x,a\\\\,b', 'CATEGORIES:Work\\,Travel,Ünï,'),
    );
    expect(scanTexts(ics).categories).toEqual(['Work,Travel', 'Family;x', 'a\\', 'b', 'Ünï']);
  });

  it('unescapes text values and keeps unknown escapes', () => {
    const ics = calendar(vevent('UID:1', 'DESCRIPTION:a\\nb\\Nc\\, d\\; e\\\\n f\\x'));
    expect(scanTexts(ics).descriptions).toEqual(['a\nb\nc, d; e\\n f\\x']);
  });

  it("reads every component's texts once (overrides), not those of alarms or time zones", () => {
    const ics = calendar(
      'BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nTZNAME:Zone summary\r\nEND:STANDARD\r\nEND:VTIMEZONE',
      vevent(
        'UID:1',
        'SUMMARY:Yoga',
        'LOCATION:Studio Mitte',
        'RRULE:FREQ=WEEKLY',
        'BEGIN:VALARM',
        'ACTION:EMAIL',
        'SUMMARY:Alarm subject',
        'DESCRIPTION:Reminder',
        'ATTENDEE;CN=Alarm Mail:mailto:x@example.com',
        'END:VALARM',
        'CATEGORIES:Sport',
      ),
      vevent(
        'UID:1',
        'RECURRENCE-ID:20260112T100000Z',
        'SUMMARY:Yoga (moved)',
        'LOCATION:Studio Mitte',
        'ATTENDEE;CN=Coach:mailto:c@x.com',
      ),
      'BEGIN:VTODO\r\nUID:2\r\nSUMMARY:Buy mats\r\nEND:VTODO',
    );
    const texts = scanTexts(ics);
    expect(texts).toEqual({
      summaries: ['Yoga', 'Yoga (moved)', 'Buy mats'],
      locations: ['Studio Mitte'],
      descriptions: [],
      attendees: ['Coach'],
      categories: ['Sport'],
    });
  });

  it('skips lines that are not content lines and reads on', () => {
    const ics = calendar(
      vevent('UID:1', 'no delimiter here', 'ATTENDEE;CN="unclosed:mailto:x@example.com', ';:', 'SUMMARY:still read'),
    );
    const texts = scanTexts(ics);
    expect(texts.summaries).toEqual(['still read']);
    expect(texts.attendees).toEqual([]);
  });
});

describe('scanTexts on hostile input', () => {
  it('caps a huge folded description', () => {
    const ics = calendar(
      vevent('UID:1', `DESCRIPTION:${'word '.repeat(400_000)}`.replace(/(.{74})/g, '$1\r\n '), 'SUMMARY:after'),
    );
    const started = performance.now();
    const texts = scanTexts(ics);
    expect(performance.now() - started).toBeLessThan(500);
    expect(texts.descriptions[0]?.length).toBe(TEXT_CAPS.descriptions);
    expect(texts.summaries).toEqual(['after']);
  });

  it('caps an unfolded megabyte line', () => {
    const texts = scanTexts(calendar(vevent('UID:1', `SUMMARY:${'x'.repeat(2 * MAX_LINE)}`)));
    expect(texts.summaries[0]?.length).toBe(TEXT_CAPS.summaries);
  });

  it('caps thousands of attendees and stops once every field is full', () => {
    const attendees = Array.from({ length: 20_000 }, (_, i) => `ATTENDEE;CN=Person ${i}:mailto:p${i}@example.com`);
    const texts = scanTexts(calendar(vevent('UID:1', ...attendees)));
    const length = texts.attendees.reduce((sum, name) => sum + name.length + 1, 0);
    expect(length).toBeLessThanOrEqual(TEXT_CAPS.attendees + 1);
    expect(length).toBeGreaterThan(TEXT_CAPS.attendees - 20);
  });

  it('survives deep nesting and binary junk', () => {
    let seed = 7;
    const junk = Array.from({ length: 200_000 }, () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) | 0;
      return String.fromCharCode((seed >>> 8) & 0xffff);
    }).join('');
    const deep = `${'BEGIN:X\r\n'.repeat(10_000)}BEGIN:VEVENT\r\nSUMMARY:deep\r\nEND:VEVENT\r\n`;
    for (const ics of [junk, deep, `BEGIN:VEVENT\r\n${junk}\r\nSUMMARY:ok\r\nEND:VEVENT`, '', '\r\n \r\n\t']) {
      const texts = scanTexts(ics);
      const length = Object.values(texts).reduce((sum, list: string[]) => sum + list.join('').length, 0);
      expect(length).toBeLessThanOrEqual(TOTAL_CAP);
    }
    expect(scanTexts(deep).summaries).toEqual([]);
    expect(scanTexts(`BEGIN:VEVENT\r\n${junk}\r\nSUMMARY:ok\r\nEND:VEVENT`).summaries).toContain('ok');
  });
});

describe('searchableFields', () => {
  it("joins each field's values, the row's title first", () => {
    const ics = calendar(
      vevent('UID:1', 'RECURRENCE-ID:20260112T100000Z', 'SUMMARY:Moved', 'DTSTART:20260112T110000Z'),
      vevent('UID:1', 'SUMMARY:Standup', 'DTSTART:20260105T100000Z', 'RRULE:FREQ=WEEKLY', 'CATEGORIES:Work,Daily'),
    );
    expect(searchableFields(rowOf('cal', 'a.ics', ics, 'Standup'))).toEqual({
      summary: 'Standup\nMoved',
      location: '',
      description: '',
      attendees: '',
      categories: 'Work\nDaily',
    });
  });
});
