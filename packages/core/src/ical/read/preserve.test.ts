import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { expandObject } from '../expand/expand.ts';
import { utc } from '../test-ics.ts';
import { updateEventIcs } from '../write/edit-recurrence.ts';
import { readDocument, writeDocument } from './document.ts';

// Real-world files from collective/icalendar (see test/fixtures/ics/README.md).
const root = new URL('../../../../../test/fixtures/ics/icalendar/', import.meta.url).pathname;
const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ics'))
  .sort();
const read = (name: string): string => readFileSync(join(root, name), 'utf8');
const NOW = utc(2030, 1, 1);

/** The source as our writer emits it: CRLF line endings, one final CRLF, no BOM. */
const normalized = (text: string): string =>
  `${text
    .replace(/^\uFEFF/, '')
    .replace(/\r?\n/g, '\r\n')
    .trimEnd()}\r\n`;

/** The lines without the VTIMEZONE blocks after the first `keep` ones (the ones an edit added). */
function withoutAddedZones(lines: string[], keep: number): string[] {
  const kept: string[] = [];
  let seen = 0;
  let dropping = false;
  for (const line of lines) {
    if (line === 'BEGIN:VTIMEZONE') {
      seen += 1;
      dropping = seen > keep;
    }
    if (!dropping) kept.push(line);
    if (line === 'END:VTIMEZONE') dropping = false;
  }
  return kept;
}

const CHANGED = /^(SUMMARY|DTSTAMP|LAST-MODIFIED)[;:]/;

describe('untouched lines survive an edit byte for byte', () => {
  it('reads and writes every readable fixture unchanged', () => {
    let exact = 0;
    for (const name of files) {
      const document = readDocument(read(name));
      if (!document.ok) continue;
      // The one file with two VCALENDARs loses the second; everything else is identical.
      if (name.endsWith('issue_1050_multiple_calendars.ics')) continue;
      expect(writeDocument(document.calendar), name).toBe(normalized(read(name)));
      exact += 1;
    }
    expect(exact).toBeGreaterThan(100);
  });

  const outcomes: string[] = [];
  it.each(files)('%s: a SUMMARY change leaves every other line as it was', (name) => {
    const source = read(name);
    const result = updateEventIcs(source, { summary: 'Changed' }, { scope: 'all', now: NOW });
    if (!result.ok) {
      expect(result.error.code).toBe('bad-data');
      return;
    }
    outcomes.push(name);
    const before = normalized(source).split('\r\n');
    const after = result.ics.split('\r\n');
    // Same lines in the same order, except SUMMARY/DTSTAMP/LAST-MODIFIED (added where missing)
    // and VTIMEZONEs added after the existing ones for TZIDs that had none.
    const zones = before.filter((l) => l === 'BEGIN:VTIMEZONE').length;
    const unchanged = (lines: string[]) => lines.filter((l) => !CHANGED.test(l));
    expect(unchanged(withoutAddedZones(after, zones))).toEqual(unchanged(before));
    expect(after.filter((l) => /^SUMMARY[;:](.*:)?Changed$/.test(l)).length).toBeGreaterThanOrEqual(1);
  });

  it('edited enough fixtures to mean something', () => {
    expect(outcomes.length).toBeGreaterThan(50);
  });

  it.each([
    [
      'tests/calendars/property_params.ics',
      'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="RembrandXS":MAILTO:rembrand@xs4all.nl',
    ],
    [
      'tests/calendars/x_location.ics',
      'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS="Röadstar 16\\n12764 Happyvi\r\n lle',
    ],
    [
      'tests/calendars/issue_156_RDATE_with_PERIOD_TZID_khal_2.ics',
      'ATTENDEE;CN="(omitted)";PARTSTAT=ACCEPTED;ROLE=CHAIR;RSVP=FAL\r\n SE:',
    ],
    [
      'tests/calendars/issue_156_RDATE_with_PERIOD_TZID_khal_2.ics',
      'DTSTART;TZID="Western/Central Europe";VALUE=DATE-TIME:20211101T160000',
    ],
    ['tests/calendars/timezoned.ics', 'LOCATION:aka bild, wien'],
  ])('%s keeps a line ical.js would rewrite', (name, line) => {
    const source = read(name);
    // What ical.js alone writes: quotes dropped, parameters reordered, \n → ^n, commas escaped.
    expect(new ICAL.Component(ICAL.parse(source)).toString()).not.toContain(line);
    const result = updateEventIcs(source, { summary: 'Changed' }, { scope: 'all', now: NOW });
    expect(result.ok && result.ics).toContain(line);
  });

  it('a new override copies ATTENDEE, VALARMs and X- properties of the master', () => {
    const source = read('tests/calendars/alarm_google_future.ics').replace(
      'SUMMARY:event with alarms',
      'SUMMARY:event with alarms\r\nRRULE:FREQ=DAILY;COUNT=3\r\nX-EXTRA;X-P="a:b":value\r\nATTENDEE;CN="Jane, Doe";ROLE=CHAIR:mailto:jane@example.com',
    );
    const occurrence = utc(2024, 10, 5, 18, 15);
    const result = updateEventIcs(source, { summary: 'Only this one' }, { scope: 'this', occurrence, now: NOW });
    if (!result.ok) throw result.error;
    const override = result.ics.split('BEGIN:VEVENT').find((block) => block.includes('RECURRENCE-ID')) ?? '';
    expect(override).toContain('RECURRENCE-ID:20241005T181500Z');
    expect(override.match(/BEGIN:VALARM/g)).toHaveLength(4);
    expect(override).toContain('X-EXTRA;X-P="a:b":value');
    expect(override).toContain('ATTENDEE;CN="Jane, Doe";ROLE=CHAIR:mailto:jane@example.com');
    expect(override).not.toContain('RRULE');
    const shown = expandObject(result.ics, utc(2024, 10, 1), utc(2024, 11, 1)).map((o) => o.summary);
    expect(shown).toEqual(['event with alarms', 'Only this one', 'event with alarms']);
  });
});
