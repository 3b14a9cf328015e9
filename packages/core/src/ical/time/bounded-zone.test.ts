import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boundedZone } from './bounded-zone.ts';

// Only zones that pass the check are expanded here (and, for comparison, ical.js's own
// zones from the same definitions, asked for their furthest year first so that they
// expand once): nothing here can hang. Refused and pathological zones are exercised in a
// child process by zone-guard.test.ts.

function component(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text));
}
function library(name: string): ICAL.Component {
  const block = tzlib_get_ical_block(name);
  return component(Array.isArray(block) ? (block[0] ?? '') : '');
}
const OUTLOOK = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
].join('\r\n');
/** Only the transitions from 2023 on, as some exporters write them. */
const RECENT = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'DTSTART:20230326T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'DTSTART:20231029T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');
/** Thunderbird's Europe/London with its full history: 85 observances, 57 RDATEs. */
function thunderbirdLondon(): ICAL.Component {
  const path = new URL(
    '../../../../../test/fixtures/ics/icalendar/tests/calendars/alarm_thunderbird_2_future.ics',
    import.meta.url,
  ).pathname;
  const text = /BEGIN:VTIMEZONE\r?\n[\s\S]*?END:VTIMEZONE/.exec(readFileSync(path, 'utf8'))?.[0] ?? '';
  return component(text);
}
const ZONES: Array<[string, () => ICAL.Component]> = [
  ['Europe/Berlin', () => library('Europe/Berlin')],
  ['America/New_York', () => library('America/New_York')],
  ['Australia/Sydney', () => library('Australia/Sydney')],
  ["Outlook's W. Europe Standard Time", () => component(OUTLOOK)],
  ["Thunderbird's full-history Europe/London", thunderbirdLondon],
];

const at = (year: number, month: number, day: number, hour: number, minute = 30): ICAL.Time =>
  ICAL.Time.fromData({ year, month, day, hour, minute, second: 0, isDate: false });

/** Times around the year's DST changes and elsewhere: every 5th day at 01:30, 02:30 and 12:30. */
function samples(year: number): ICAL.Time[] {
  const times: ICAL.Time[] = [];
  for (let day = 1; day <= 365; day += 5) {
    const date = new Date(Date.UTC(year, 0, day));
    for (const hour of [1, 2, 12]) times.push(at(year, date.getUTCMonth() + 1, date.getUTCDate(), hour));
  }
  return times;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('boundedZone', () => {
  it('refuses what the check refuses', () => {
    const minutely = OUTLOOK.replace('FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'FREQ=MINUTELY');
    expect(boundedZone(component(minutely), 'W. Europe Standard Time')).toBeUndefined();
    expect(boundedZone(component(OUTLOOK), 'W. Europe Standard Time')).toBeInstanceOf(ICAL.Timezone);
  });

  it.each(ZONES)('gives the offsets ical.js gives up to 2200 for %s', (_label, source) => {
    const bounded = boundedZone(source(), 'Test/Bounded');
    const own = new ICAL.Timezone({ component: source(), tzid: 'Test/Own' });
    own.utcOffset(at(2200, 12, 31, 12));
    expect(bounded).toBeDefined();
    // Before its first observance ical.js answers UTC; see the tests below for those years.
    const firstYear = Math.min(
      ...source()
        .getAllSubcomponents()
        .map((o) => (o.getFirstPropertyValue('dtstart') as ICAL.Time).year),
    );
    const years = [1850, 1916, 1950, 1980, 2026, 2031, 2075, 2150, 2200].filter((year) => year > firstYear);
    expect(years.length).toBeGreaterThan(4);
    for (const year of years) {
      const differ = samples(year).filter((time) => bounded?.utcOffset(time) !== own.utcOffset(time));
      expect(differ.map((time) => time.toString())).toEqual([]);
    }
  });

  it('repeats the calendar-identical year after 2200, as the rules themselves would', () => {
    const bounded = boundedZone(library('Europe/Berlin'), 'Europe/Berlin');
    // ical.js's own zone, expanded once to 3005 (Europe/Berlin's rules no longer change).
    const own = new ICAL.Timezone({ component: library('Europe/Berlin'), tzid: 'Europe/Berlin' });
    own.utcOffset(at(3000, 1, 1, 12));
    for (const year of [2201, 2300, 2399, 2400, 2525, 2999]) {
      const differ = samples(year).filter((time) => bounded?.utcOffset(time) !== own.utcOffset(time));
      expect(differ.map((time) => time.toString())).toEqual([]);
    }
    // The calendar repeats every 400 years: 9999 is 2399, 100399 is 2399 too.
    for (const year of [9999, 100_399]) {
      const differ = samples(2399).filter((time) => {
        const far = at(year, time.month, time.day, time.hour);
        return bounded?.utcOffset(far) !== own.utcOffset(time);
      });
      expect(differ).toEqual([]);
    }
  });

  it('answers times before the first observance with its TZOFFSETFROM, where ical.js answers UTC', () => {
    // timezones-ical-library's Europe/Berlin starts in 1970.
    const bounded = boundedZone(library('Europe/Berlin'), 'Europe/Berlin');
    const own = new ICAL.Timezone({ component: library('Europe/Berlin'), tzid: 'Europe/Berlin' });
    expect(own.utcOffset(at(1965, 7, 1, 12))).toBe(0);
    expect(bounded?.utcOffset(at(1965, 7, 1, 12))).toBe(3600);
    expect(bounded?.utcOffset(at(1, 1, 1, 12))).toBe(3600);
    expect(bounded?.utcOffset(at(1970, 3, 29, 1))).toBe(3600);
    expect(bounded?.utcOffset(at(1970, 3, 29, 3))).toBe(7200);
    const recent = boundedZone(component(RECENT), 'Europe/Berlin');
    expect(new ICAL.Timezone({ component: component(RECENT), tzid: 'x' }).utcOffset(at(2019, 7, 15, 10))).toBe(0);
    expect(recent?.utcOffset(at(2019, 7, 15, 10))).toBe(3600);
    expect(recent?.utcOffset(at(2019, 1, 15, 10))).toBe(3600);
  });

  it('answers times before the first observance with the fallback zone, when it agrees there', () => {
    const berlin = boundedZone(library('Europe/Berlin'), 'Europe/Berlin');
    const fallback = vi.fn(() => berlin);
    const recent = boundedZone(component(RECENT), 'Europe/Berlin', fallback);
    // Not looked up while no earlier time is asked for.
    expect(recent?.utcOffset(at(2024, 7, 15, 10))).toBe(7200);
    expect(fallback).not.toHaveBeenCalled();
    expect(recent?.utcOffset(at(2019, 7, 15, 10))).toBe(7200);
    expect(recent?.utcOffset(at(2019, 1, 15, 10))).toBe(3600);
    expect(recent?.utcOffset(at(2023, 3, 26, 1))).toBe(3600);
    expect(recent?.utcOffset(at(2023, 3, 26, 3))).toBe(7200);
    expect(recent?.utcOffset(at(2023, 12, 1, 10))).toBe(3600);
    expect(fallback).toHaveBeenCalledTimes(1);
    // A namesake with other offsets is not the same zone: its own TZOFFSETFROM applies.
    const other = RECENT.replaceAll('+0100', '+0500').replaceAll('+0200', '+0600');
    const namesake = boundedZone(component(other), 'Europe/Berlin', () => berlin);
    expect(namesake?.utcOffset(at(2019, 7, 15, 10))).toBe(5 * 3600);
    expect(namesake?.utcOffset(at(2024, 7, 15, 10))).toBe(6 * 3600);
  });

  it('expands at most twice, however far the years asked walk', () => {
    const expand = vi.spyOn(ICAL.Timezone.prototype, '_expandComponent');
    const zone = boundedZone(library('Europe/Berlin'), 'Europe/Berlin');
    const observances = library('Europe/Berlin').getAllSubcomponents().length;
    // ical.js alone expands again from DTSTART each time a year past the last expansion
    // is asked for: here every 5 years.
    for (let year = 2026; year <= 2300; year += 1) zone?.utcOffset(at(year, 7, 1, 12));
    zone?.utcOffset(at(9999, 7, 1, 12));
    expect(expand.mock.calls.length).toBe(2 * observances);
  });
});
