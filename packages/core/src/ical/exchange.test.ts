import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandObject } from './expand/expand.ts';
import { indexObject } from './read/index-object.ts';
import { prepareObject } from './read/prepare.ts';
import { calendar, utc, vevent } from './test-ics.ts';
import { deleteFromEventIcs } from './write/delete-event.ts';
import { type EditIcsOptions, updateEventIcs } from './write/edit-recurrence.ts';

// Exchange/Outlook-style files written for calsync (see test/fixtures/ics/README.md).
const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/ics/${name}`, import.meta.url), 'utf8');
const EXCHANGE = fixture('exchange-allday-series-override.ics');
const RECENT = fixture('exporter-recent-transitions-only.ics');

const NOW = utc(2020, 4, 10, 12);
/** The occurrence id of an all-day instance, as `listEvents` gives it (`recurrenceId`). */
const day = (iso: string): number => Date.parse(iso);

/** Occurrences as the query layer gets them: prepared once, expanded per window. */
function listed(ics: string, from: number, to: number) {
  const prepared = prepareObject(ics);
  if (!prepared.ok) throw prepared.error;
  return expandObject(prepared, from, to).map((o) => [o.start, o.summary, o.recurrenceId]);
}

function edit(ics: string, patch: Parameters<typeof updateEventIcs>[1], options: Partial<EditIcsOptions>) {
  const result = updateEventIcs(ics, patch, { scope: 'all', now: NOW, ...options });
  if (!result.ok) throw result.error;
  return result;
}

function remove(ics: string, options: Partial<EditIcsOptions>): string {
  const result = deleteFromEventIcs(ics, { scope: 'all', now: NOW, ...options });
  if (!result.ok) throw result.error;
  if (result.ics === null) throw new Error('Nothing left');
  return result.ics;
}

const unfolded = (ics: string): string[] => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const overrideCount = (ics: string): number => unfolded(ics).filter((l) => l.startsWith('RECURRENCE-ID')).length;

const APRIL_MAY: [number, number] = [utc(2020, 4, 1), utc(2020, 6, 1)];
const WEEK_OF_16TH: [number, number] = [utc(2020, 4, 13), utc(2020, 4, 20)];

describe('Exchange all-day series: RECURRENCE-ID and EXDATE with TZID at midnight', () => {
  it('the moved occurrence replaces the instance it names', () => {
    expect(listed(EXCHANGE, ...WEEK_OF_16TH)).toEqual([['2020-04-17', 'Teamtag (verschoben)', '2020-04-16']]);
    expect(listed(EXCHANGE, utc(2020, 4, 16), utc(2020, 4, 17))).toEqual([]);
  });

  it('an EXDATE with TZID removes the instance of that date', () => {
    expect(listed(EXCHANGE, ...APRIL_MAY)).toEqual([
      ['2020-04-09', 'Teamtag', '2020-04-09'],
      ['2020-04-17', 'Teamtag (verschoben)', '2020-04-16'],
      ['2020-04-23', 'Teamtag', '2020-04-23'],
      ['2020-05-07', 'Teamtag', '2020-05-07'],
    ]);
  });

  it("deleting the moved occurrence ('this') drops the override and excludes its date", () => {
    const ics = remove(EXCHANGE, { scope: 'this', occurrence: day('2020-04-16') });
    expect(overrideCount(ics)).toBe(0);
    expect(unfolded(ics)).toContain('EXDATE;VALUE=DATE:20200416');
    expect(unfolded(ics)).toContain('X-MICROSOFT-CDO-ALLDAYEVENT:TRUE');
    expect(listed(ics, ...WEEK_OF_16TH)).toEqual([]);
    expect(listed(ics, ...APRIL_MAY).map(([start]) => start)).toEqual(['2020-04-09', '2020-04-23', '2020-05-07']);
  });

  it("deleting from the moved occurrence on ('future') drops the override too", () => {
    const ics = remove(EXCHANGE, { scope: 'future', occurrence: day('2020-04-16') });
    expect(overrideCount(ics)).toBe(0);
    expect(listed(ics, ...APRIL_MAY)).toEqual([['2020-04-09', 'Teamtag', '2020-04-09']]);
  });

  it("editing the moved occurrence ('this') patches its override instead of adding a second one", () => {
    const { ics } = edit(EXCHANGE, { summary: 'Teamtag (Freitag)' }, { scope: 'this', occurrence: day('2020-04-16') });
    expect(overrideCount(ics)).toBe(1);
    // The override keeps its RECURRENCE-ID line as Exchange wrote it.
    expect(unfolded(ics)).toContain('RECURRENCE-ID;TZID=W. Europe Standard Time:20200416T000000');
    expect(listed(ics, ...WEEK_OF_16TH)).toEqual([['2020-04-17', 'Teamtag (Freitag)', '2020-04-16']]);
  });

  it("splitting at the moved occurrence ('future') takes its override into the new series", () => {
    const { ics, split } = edit(
      EXCHANGE,
      { summary: 'Teamtag neu' },
      { scope: 'future', occurrence: day('2020-04-16') },
    );
    expect(overrideCount(ics)).toBe(0);
    expect(listed(ics, ...APRIL_MAY)).toEqual([['2020-04-09', 'Teamtag', '2020-04-09']]);
    const fresh = split?.ics ?? '';
    expect(overrideCount(fresh)).toBe(1);
    expect(listed(fresh, ...APRIL_MAY)).toEqual([
      ['2020-04-17', 'Teamtag (verschoben)', '2020-04-16'],
      ['2020-04-23', 'Teamtag neu', '2020-04-23'],
      ['2020-05-07', 'Teamtag neu', '2020-05-07'],
    ]);
  });
});

describe('RECURRENCE-ID in another value type or zone than DTSTART', () => {
  const allDay = (recurrenceId: string): string =>
    calendar(
      vevent('UID:a', 'SUMMARY:Series', 'DTSTART;VALUE=DATE:20200409', 'RRULE:FREQ=WEEKLY;COUNT=4'),
      vevent('UID:a', recurrenceId, 'SUMMARY:Moved', 'DTSTART;VALUE=DATE:20200417'),
    );

  it.each([
    ['a UTC midnight', 'RECURRENCE-ID:20200416T000000Z'],
    ['a UTC time later that day', 'RECURRENCE-ID:20200416T120000Z'],
    ['a floating midnight', 'RECURRENCE-ID:20200416T000000'],
    ['an IANA-zoned midnight', 'RECURRENCE-ID;TZID=America/New_York:20200416T000000'],
    ['a DATE', 'RECURRENCE-ID;VALUE=DATE:20200416'],
  ])('an all-day series: %s names the instance of its date', (_label, recurrenceId) => {
    const ics = allDay(recurrenceId);
    expect(listed(ics, ...WEEK_OF_16TH)).toEqual([['2020-04-17', 'Moved', '2020-04-16']]);
    const deleted = remove(ics, { scope: 'this', occurrence: day('2020-04-16') });
    expect(overrideCount(deleted)).toBe(0);
    expect(listed(deleted, ...WEEK_OF_16TH)).toEqual([]);
  });

  /** Thursdays 10:00 Europe/Berlin; 29 October 2026 is after the end of DST (09:00Z). */
  const berlin = (recurrenceId: string): string =>
    calendar(
      vevent(
        'UID:t',
        'SUMMARY:Series',
        'DTSTART;TZID=Europe/Berlin:20261022T100000',
        'DTEND;TZID=Europe/Berlin:20261022T110000',
        'RRULE:FREQ=WEEKLY;COUNT=3',
      ),
      vevent(
        'UID:t',
        recurrenceId,
        'SUMMARY:Moved',
        'DTSTART;TZID=Europe/Berlin:20261029T150000',
        'DTEND;TZID=Europe/Berlin:20261029T160000',
      ),
    );
  const OCT29 = utc(2026, 10, 29, 9);

  it.each([
    ['in UTC', 'RECURRENCE-ID:20261029T090000Z'],
    ['floating, read in the series zone', 'RECURRENCE-ID:20261029T100000'],
  ])('a zoned timed series: a RECURRENCE-ID %s names the instance at that instant', (_label, recurrenceId) => {
    const ics = berlin(recurrenceId);
    expect(listed(ics, utc(2026, 10, 20), utc(2026, 11, 10))).toEqual([
      ['2026-10-22T08:00:00.000Z', 'Series', '2026-10-22T08:00:00.000Z'],
      ['2026-10-29T14:00:00.000Z', 'Moved', '2026-10-29T09:00:00.000Z'],
      ['2026-11-05T09:00:00.000Z', 'Series', '2026-11-05T09:00:00.000Z'],
    ]);
    const { ics: edited } = edit(ics, { summary: 'Renamed' }, { scope: 'this', occurrence: OCT29 });
    expect(overrideCount(edited)).toBe(1);
    expect(unfolded(edited)).toContain(recurrenceId);
    const deleted = remove(ics, { scope: 'this', occurrence: OCT29 });
    expect(overrideCount(deleted)).toBe(0);
    expect(listed(deleted, utc(2026, 10, 29), utc(2026, 10, 30))).toEqual([]);
  });

  it("moving a zoned series' time of day moves a floating RECURRENCE-ID along", () => {
    const { ics } = edit(
      berlin('RECURRENCE-ID:20261029T100000'),
      { start: '2026-10-22T11:00:00', end: '2026-10-22T12:00:00' },
      {},
    );
    expect(unfolded(ics)).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20261029T110000');
    expect(listed(ics, utc(2026, 10, 29), utc(2026, 10, 30))).toEqual([
      ['2026-10-29T14:00:00.000Z', 'Moved', '2026-10-29T10:00:00.000Z'],
    ]);
  });

  it('switching a timed series to all-day still drops overrides written for the timed one', () => {
    const { ics } = edit(
      berlin('RECURRENCE-ID;TZID=Europe/Berlin:20261029T100000'),
      {
        allDay: true,
        start: '2026-10-22',
        end: '2026-10-23',
      },
      {},
    );
    expect(overrideCount(ics)).toBe(0);
    expect(listed(ics, utc(2026, 10, 20), utc(2026, 11, 10)).map(([start]) => start)).toEqual([
      '2026-10-22',
      '2026-10-29',
      '2026-11-05',
    ]);
  });
});

describe('VTIMEZONE defining only transitions from 2023 on', () => {
  /** Starts of the half-yearly 10:00 series, January and July 2019–2024. */
  const starts = (ics: string): string[] =>
    listed(ics, utc(2019, 1, 1), utc(2025, 1, 1)).map(([start]) => String(start).slice(0, 16));
  const BERLIN = [2019, 2020, 2021, 2022, 2023, 2024].flatMap((year) => [`${year}-01-15T09:00`, `${year}-07-15T08:00`]);

  it('puts earlier events in the IANA zone of the same name', () => {
    expect(starts(RECENT)).toEqual(BERLIN);
    const index = indexObject(RECENT);
    expect(index.ok && new Date(index.fields.start).toISOString()).toBe('2019-01-15T09:00:00.000Z');
  });

  it('or of the Windows name mapped to it', () => {
    expect(starts(RECENT.replaceAll('Europe/Berlin', 'W. Europe Standard Time'))).toEqual(BERLIN);
  });

  it("or, for a name that is no known zone, at the first observance's TZOFFSETFROM", () => {
    const custom = starts(RECENT.replaceAll('Europe/Berlin', 'Customized Time Zone'));
    // +01:00 until the first transition (26 March 2023), the zone's own rules after it.
    expect(custom.slice(0, 8)).toEqual(BERLIN.slice(0, 8).map((start) => start.replace('T08:', 'T09:')));
    expect(custom.slice(8)).toEqual(BERLIN.slice(8));
  });

  it('edits an early occurrence at its Berlin time', () => {
    const { ics } = edit(RECENT, { summary: 'Sommer 2019' }, { scope: 'this', occurrence: utc(2019, 7, 15, 8) });
    expect(unfolded(ics)).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20190715T100000');
    expect(listed(ics, utc(2019, 7, 1), utc(2019, 8, 1))).toEqual([
      ['2019-07-15T08:00:00.000Z', 'Sommer 2019', '2019-07-15T08:00:00.000Z'],
    ]);
  });
});
