import { describe, expect, it } from 'vitest';
import { sameContent } from '../read/compare.ts';
import { calendar } from '../test-ics.ts';
import { mergeIcs } from './merge.ts';

const ALARM = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'DESCRIPTION:Reminder', 'END:VALARM'];

/** A weekly series; `changes` replace lines by their name (`NAME` → line, or null to drop). */
function event(changes: Record<string, string | null> = {}, extra: string[] = []): string {
  const lines: Record<string, string> = {
    UID: 'UID:m',
    DTSTAMP: 'DTSTAMP:20260101T000000Z',
    SEQUENCE: 'SEQUENCE:2',
    DTSTART: 'DTSTART:20261203T090000Z',
    DTEND: 'DTEND:20261203T100000Z',
    RRULE: 'RRULE:FREQ=WEEKLY',
    SUMMARY: 'SUMMARY:Planning',
    LOCATION: 'LOCATION:Room 1',
    CATEGORIES: 'CATEGORIES:WORK,TEAM',
    ATTENDEE: 'ATTENDEE;CN="Ann":mailto:ann@example.com',
  };
  for (const [name, line] of Object.entries(changes)) {
    if (line === null) delete lines[name];
    else lines[name] = line;
  }
  return calendar(['BEGIN:VEVENT', ...Object.values(lines), ...extra, 'END:VEVENT'].join('\r\n'));
}

function override(recurrenceId: string, summary: string): string[] {
  return [
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:m',
    'DTSTAMP:20260101T000000Z',
    `RECURRENCE-ID:${recurrenceId}`,
    `DTSTART:${recurrenceId}`,
    `SUMMARY:${summary}`,
  ];
}

function merge(base: string, local: string, server: string) {
  const result = mergeIcs(base, local, server);
  if (!result.ok) throw result.error;
  return { ...result, lines: result.ics.split('\r\n') };
}

const BASE = event();

describe('mergeIcs', () => {
  it('takes the only side that changed', () => {
    const local = event({ SUMMARY: 'SUMMARY:Local' });
    expect(merge(BASE, local, BASE)).toMatchObject({ conflicts: [] });
    expect(merge(BASE, local, BASE).lines).toContain('SUMMARY:Local');
    const server = event({ SUMMARY: 'SUMMARY:Server' });
    expect(merge(BASE, BASE, server).lines).toContain('SUMMARY:Server');
    expect(merge(BASE, BASE, server).conflicts).toEqual([]);
  });

  it('keeps both sides when they changed different properties', () => {
    const local = event({ SUMMARY: 'SUMMARY:Local' });
    const server = event({ LOCATION: 'LOCATION:Room 9' });
    const { lines, conflicts } = merge(BASE, local, server);
    expect(conflicts).toEqual([]);
    expect(lines).toEqual(expect.arrayContaining(['SUMMARY:Local', 'LOCATION:Room 9', 'SEQUENCE:3']));
  });

  it('gives the server the property both changed, and reports it', () => {
    const local = event({ SUMMARY: 'SUMMARY:Local', DESCRIPTION: 'DESCRIPTION:mine' });
    const server = event({ SUMMARY: 'SUMMARY:Server' });
    const { lines, conflicts } = merge(BASE, local, server);
    expect(conflicts).toEqual(['SUMMARY']);
    expect(lines).toEqual(expect.arrayContaining(['SUMMARY:Server', 'DESCRIPTION:mine']));
    expect(lines).not.toContain('SUMMARY:Local');
  });

  it('merges a local VALARM with a server LOCATION change', () => {
    const local = event({}, ALARM);
    const server = event({ LOCATION: 'LOCATION:Room 9', SEQUENCE: 'SEQUENCE:3' });
    const { ics, lines, conflicts } = merge(BASE, local, server);
    expect(conflicts).toEqual([]);
    expect(lines).toEqual(expect.arrayContaining(['LOCATION:Room 9', ...ALARM, 'SEQUENCE:4']));
    expect(ics.indexOf('LOCATION:Room 9')).toBeLessThan(ics.indexOf('BEGIN:VALARM'));
  });

  it('treats a list property as one unit', () => {
    const local = event({ CATEGORIES: 'CATEGORIES:WORK,TEAM,URGENT' });
    const server = event({ CATEGORIES: 'CATEGORIES:WORK' });
    const { lines, conflicts } = merge(BASE, local, server);
    expect(conflicts).toEqual(['CATEGORIES']);
    expect(lines).toContain('CATEGORIES:WORK');
    const sameLines = merge(BASE, event({ CATEGORIES: 'CATEGORIES:TEAM,WORK' }), BASE);
    expect(sameLines.lines).toContain('CATEGORIES:TEAM,WORK');
  });

  it('takes an override added on one side, and merges overrides by RECURRENCE-ID', () => {
    const local = event({}, override('20261210T090000Z', 'Moved here'));
    const added = merge(BASE, local, BASE);
    expect(added.conflicts).toEqual([]);
    expect(added.lines).toEqual(expect.arrayContaining(['RECURRENCE-ID:20261210T090000Z', 'SUMMARY:Moved here']));
    const server = event({ LOCATION: 'LOCATION:Room 9' }, override('20261210T090000Z', 'Server says'));
    const both = merge(local, event({}, override('20261210T090000Z', 'Local says')), server);
    expect(both.conflicts).toEqual(['RECURRENCE-ID=20261210T090000Z:SUMMARY']);
    expect(both.lines).toEqual(expect.arrayContaining(['SUMMARY:Server says', 'LOCATION:Room 9']));
  });

  it('follows a removal on one side unless the other side changed the thing', () => {
    const removed = merge(BASE, event({ LOCATION: null }), event({ SUMMARY: 'SUMMARY:Server' }));
    expect(removed.conflicts).toEqual([]);
    expect(removed.ics).not.toContain('LOCATION');
    expect(removed.lines).toContain('SUMMARY:Server');
    const contested = merge(BASE, event({ LOCATION: null }), event({ LOCATION: 'LOCATION:Room 9' }));
    expect(contested.conflicts).toEqual(['LOCATION']);
    expect(contested.lines).toContain('LOCATION:Room 9');
    const withOverride = event({}, override('20261210T090000Z', 'x'));
    const droppedOverride = merge(
      withOverride,
      BASE,
      event({ SUMMARY: 'SUMMARY:Server' }, override('20261210T090000Z', 'x')),
    );
    expect(droppedOverride.ics).not.toContain('RECURRENCE-ID');
    expect(droppedOverride.conflicts).toEqual([]);
  });

  it('an occurrence edited on one side and removed on the other is a conflict, not a hidden override', () => {
    // Found by the model-based test (test/integration/model.test.ts): edit 10 Dec here, delete it there.
    const edited = event({}, override('20261210T090000Z', 'Edited here'));
    const deleted = event({}, ['EXDATE:20261210T090000Z']);
    for (const [local, server] of [
      [edited, deleted],
      [deleted, edited],
    ] as const) {
      const result = merge(BASE, local, server);
      expect(result.conflicts).toEqual(['RECURRENCE-ID=20261210T090000Z']);
      expect(result.ics).toContain('EXDATE:20261210T090000Z');
      expect(result.ics).not.toContain('RECURRENCE-ID');
    }
  });

  it('an occurrence edited on one side while the other ended the series before it is a conflict', () => {
    // "This and following" on the other side: the rule now ends before 10 Dec (the rest was split off).
    const edited = event({}, override('20261210T090000Z', 'Edited here'));
    const split = event({ RRULE: 'RRULE:FREQ=WEEKLY;UNTIL=20261210T085959Z' });
    const result = merge(BASE, edited, split);
    expect(result.conflicts).toEqual(['RECURRENCE-ID=20261210T090000Z']);
    expect(result.lines).toContain('RRULE:FREQ=WEEKLY;UNTIL=20261210T085959Z');
    expect(result.ics).not.toContain('RECURRENCE-ID');
  });

  it('an override that was already no instance on its own side is left alone', () => {
    const orphan = event({ RRULE: 'RRULE:FREQ=WEEKLY;COUNT=1' }, override('20261210T090000Z', 'Stray'));
    const result = merge(
      orphan,
      orphan,
      event({ RRULE: 'RRULE:FREQ=WEEKLY;COUNT=1', SUMMARY: 'SUMMARY:Renamed' }, override('20261210T090000Z', 'Stray')),
    );
    expect(result.conflicts).toEqual([]);
    expect(result.ics).toContain('SUMMARY:Stray');
  });

  it('takes the newest DTSTAMP and the larger SEQUENCE without conflict', () => {
    const local = event({ DTSTAMP: 'DTSTAMP:20260301T000000Z', SEQUENCE: 'SEQUENCE:5' });
    const server = event({ DTSTAMP: 'DTSTAMP:20260201T000000Z', SEQUENCE: 'SEQUENCE:3' });
    const { lines, conflicts } = merge(BASE, local, server);
    expect(conflicts).toEqual([]);
    expect(lines).toEqual(expect.arrayContaining(['DTSTAMP:20260301T000000Z', 'SEQUENCE:5']));
  });

  it('keeps the text of lines it takes from either side', () => {
    const local = event({ ATTENDEE: 'ATTENDEE;CN="Ann";PARTSTAT=ACCEPTED:mailto:ann@example.com' });
    const { lines } = merge(BASE, local, event({ SUMMARY: 'SUMMARY:Server' }));
    expect(lines).toContain('ATTENDEE;CN="Ann";PARTSTAT=ACCEPTED:mailto:ann@example.com');
  });

  it('reports unreadable versions as bad-data', () => {
    const result = mergeIcs(BASE, 'garbage', BASE);
    expect(!result.ok && result.error.code).toBe('bad-data');
  });
});

describe('sameContent', () => {
  it('ignores DTSTAMP, LAST-MODIFIED, PRODID, order, folding and quoting', () => {
    const other = event({ DTSTAMP: 'DTSTAMP:20270101T000000Z', ATTENDEE: 'ATTENDEE;CN=Ann:mailto:ann@example.com' })
      .replace('PRODID:-//calsync//test//EN', 'PRODID:-//Server//EN')
      .replace('SUMMARY:Planning', 'SUMMARY:Plan\r\n ning\r\nLAST-MODIFIED:20270101T000000Z');
    expect(sameContent(BASE, other)).toBe(true);
    const ordered = calendar(['BEGIN:VEVENT', 'UID:m', 'SEQUENCE:2', 'SUMMARY:Planning', 'END:VEVENT'].join('\r\n'));
    const reordered = calendar(['BEGIN:VEVENT', 'SUMMARY:Planning', 'UID:m', 'SEQUENCE:2', 'END:VEVENT'].join('\r\n'));
    expect(sameContent(ordered, reordered)).toBe(true);
  });

  it('sees real differences', () => {
    expect(sameContent(BASE, event({ SUMMARY: 'SUMMARY:Other' }))).toBe(false);
    expect(sameContent(BASE, event({ SEQUENCE: 'SEQUENCE:3' }))).toBe(false);
    expect(sameContent(BASE, event({}, ALARM))).toBe(false);
    expect(sameContent(BASE, 'garbage')).toBe(false);
  });
});

describe('mergeIcs with overrides written in another value type (Exchange)', () => {
  const allDay = (overrides: string[][]) =>
    calendar(
      [
        'BEGIN:VEVENT',
        'UID:teamtag',
        'DTSTAMP:20200401T000000Z',
        'DTSTART;VALUE=DATE:20200409',
        'DTEND;VALUE=DATE:20200410',
        'RRULE:FREQ=WEEKLY;COUNT=5',
        'SUMMARY:Teamtag',
        'END:VEVENT',
        ...overrides.flat(),
      ].join('\r\n'),
    );
  const moved = (recurrenceId: string, summary: string) => [
    'BEGIN:VEVENT',
    'UID:teamtag',
    'DTSTAMP:20200401T000000Z',
    recurrenceId,
    'DTSTART;VALUE=DATE:20200417',
    'DTEND;VALUE=DATE:20200418',
    `SUMMARY:${summary}`,
    'END:VEVENT',
  ];

  it("treats Exchange's TZID midnight RECURRENCE-ID and a DATE one as the same override", () => {
    const base = allDay([moved('RECURRENCE-ID;TZID=W. Europe Standard Time:20200416T000000', 'Moved')]);
    const server = allDay([moved('RECURRENCE-ID;TZID=W. Europe Standard Time:20200416T000000', 'Moved (room 2)')]);
    // This device rewrote the override with a DATE RECURRENCE-ID (the series' own type).
    const local = allDay([moved('RECURRENCE-ID;VALUE=DATE:20200416', 'Moved')]);
    const merged = mergeIcs(base, local, server);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.ics.match(/^RECURRENCE-ID/gm)).toHaveLength(1);
    expect(merged.ics).toContain('SUMMARY:Moved (room 2)');
  });
});
