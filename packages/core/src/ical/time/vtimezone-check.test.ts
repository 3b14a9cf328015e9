import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { describe, expect, it } from 'vitest';
import { vtimezoneProblem } from './vtimezone-check.ts';

// Only checks here, nothing is expanded: these tests cannot hang. What ical.js does with
// refused zones is tested in a child process by zone-guard.test.ts.

function zone(...components: string[]): ICAL.Component {
  return new ICAL.Component(
    ICAL.parse(['BEGIN:VTIMEZONE', 'TZID:Test/Zone', ...components, 'END:VTIMEZONE'].join('\r\n')),
  );
}
const standard = (...lines: string[]): string => ['BEGIN:STANDARD', ...lines, 'END:STANDARD'].join('\r\n');
const OFFSETS = ['TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100'];
const observance = (dtstart = '19701025T030000', ...lines: string[]): string =>
  standard(`DTSTART:${dtstart}`, ...OFFSETS, ...lines);
const withRule = (rule: string): ICAL.Component => zone(observance(undefined, `RRULE:${rule}`));

describe('vtimezoneProblem on RRULEs', () => {
  it.each([
    ['the last Sunday of a month', 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU'],
    ['the nth Sunday of a month', 'FREQ=YEARLY;BYDAY=2SU;BYMONTH=3'],
    ['the fifth Sunday of February', 'FREQ=YEARLY;BYMONTH=2;BYDAY=5SU'],
    ['the Sunday on or after the 8th', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8,9,10,11,12,13,14;BYDAY=SU'],
    ['the last Sunday, counted from the end', 'FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=-7,-6,-5,-4,-3,-2,-1;BYDAY=SU'],
    ['a fixed date', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=22'],
    ['29 February', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29'],
    ["DTSTART's date", 'FREQ=YEARLY'],
    ['a time of day', 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0'],
    ['an UNTIL', 'FREQ=YEARLY;BYMONTH=4;BYDAY=3SU;UNTIL=19370418T020000'],
    ['a COUNT', 'FREQ=YEARLY;COUNT=15;BYDAY=-1SU;BYMONTH=9'],
    ['a day of the year', 'FREQ=YEARLY;BYYEARDAY=81'],
    ['an INTERVAL', 'FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU'],
    ['INTERVAL=0, which ical.js reads as 1', 'FREQ=YEARLY;INTERVAL=0;BYMONTH=3;BYDAY=-1SU'],
  ])('accepts %s', (_label, rule) => {
    expect(vtimezoneProblem(withRule(rule))).toBeUndefined();
  });

  it.each([
    ['FREQ=SECONDLY', /FREQ=SECONDLY/],
    ['FREQ=MINUTELY', /FREQ=MINUTELY/],
    ['FREQ=HOURLY', /FREQ=HOURLY/],
    ['FREQ=DAILY', /FREQ=DAILY/],
    ['FREQ=DAILY;INTERVAL=0', /FREQ=DAILY/],
    ['FREQ=WEEKLY;BYDAY=SU', /FREQ=WEEKLY/],
    ['FREQ=MONTHLY;BYDAY=-1SU', /FREQ=MONTHLY/],
    ['FREQ=YEARLY;INTERVAL=101', /INTERVAL=101/],
    ['FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU', /several BYMONTH/],
    ['FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1', /several BYMONTH/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU,-1SA', /several BYDAY/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=1,2', /several BYHOUR/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYMINUTE=0,30', /several BYMINUTE/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYSECOND=0,30', /several BYSECOND/],
    ['FREQ=YEARLY;BYYEARDAY=81,82', /several BYYEARDAY/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYSETPOS=-1', /BYSETPOS/],
    ['FREQ=YEARLY;BYWEEKNO=13;BYDAY=SU', /BYWEEKNO/],
    ['FREQ=YEARLY;BYYEARDAY=81;BYDAY=SU', /BYYEARDAY with other/],
    ['FREQ=YEARLY;BYDAY=SU', /without a BYMONTH/],
    ['FREQ=YEARLY;BYMONTHDAY=1', /without a BYMONTH/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=SU', /every such weekday/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=6SU', /BYDAY=6SU/],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=2SU;BYMONTHDAY=8', /BYDAY=2SU/],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1,2', /without a BYDAY/],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1,2,3,4,5,6,7,8;BYDAY=SU', /more than 7 BYMONTHDAY/],
    ['FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;BYDAY=SU', /never has/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /never has/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-30', /never has/],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=0', /never has/],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1,1;BYDAY=SU', /mixes/],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1,8;BYDAY=SU', /more than a week/],
  ])('refuses RRULE:%s', (rule, reason) => {
    expect(vtimezoneProblem(withRule(rule))).toMatch(reason);
  });

  it('refuses a second RRULE, which ical.js would ignore', () => {
    const twice = zone(observance(undefined, 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'RRULE:FREQ=YEARLY;BYMONTH=10'));
    expect(vtimezoneProblem(twice)).toMatch(/several RRULEs/);
  });

  it('accepts rules covering up to 3,000 years of expansion in total, and refuses more', () => {
    // Each open-ended rule from 1601 covers 605 years (to 2205, the last expanded).
    const rules = (count: number) =>
      zone(
        ...Array.from({ length: count }, () => observance('16010101T000000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3')),
      );
    expect(vtimezoneProblem(rules(4))).toBeUndefined();
    expect(vtimezoneProblem(rules(5))).toMatch(/more than 3000 years/);
    // Rules that ended long ago (full histories have dozens) cost only their span.
    const history = Array.from({ length: 150 }, (_, i) =>
      observance(
        `${1900 + (i % 60)}0101T000000`,
        `RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=3SU;UNTIL=${1905 + (i % 60)}0101T000000Z`,
      ),
    );
    expect(vtimezoneProblem(zone(...history))).toBeUndefined();
  });
});

describe('vtimezoneProblem on observances', () => {
  it('refuses a VTIMEZONE without observances', () => {
    expect(vtimezoneProblem(zone())).toMatch(/no STANDARD or DAYLIGHT/);
  });

  it('accepts up to 200 observances and refuses more', () => {
    const many = (count: number) => zone(...Array.from({ length: count }, () => observance()));
    expect(vtimezoneProblem(many(200))).toBeUndefined();
    expect(vtimezoneProblem(many(201))).toMatch(/201 observances/);
  });

  it('refuses components other than STANDARD and DAYLIGHT, which ical.js would expand alike', () => {
    const other = ['BEGIN:X-RULE', 'DTSTART:19700101T000000', ...OFFSETS, 'RRULE:FREQ=MINUTELY', 'END:X-RULE'];
    expect(vtimezoneProblem(zone(observance(), other.join('\r\n')))).toMatch(/X-RULE/);
  });

  it.each([
    ['no DTSTART', standard(...OFFSETS), /no DTSTART/],
    ['no TZOFFSETFROM', standard('DTSTART:19700101T000000', 'TZOFFSETTO:+0100'), /no TZOFFSETFROM/],
    ['no TZOFFSETTO', standard('DTSTART:19700101T000000', 'TZOFFSETFROM:+0100'), /no TZOFFSETTO/],
    ['a start in year 1', observance('00010101T000000'), /starts in 1 /],
    ['a start in 1599', observance('15991231T000000'), /starts in 1599/],
    ['a start in 2201', observance('22010101T000000'), /starts in 2201/],
    ['a start in 9999', observance('99990101T000000'), /starts in 9999/],
    ['an RDATE in 1500', observance(undefined, 'RDATE:15000101T000000'), /RDATE in 1500/],
    ['an RDATE in 9999', observance(undefined, 'RDATE:99990101T000000'), /RDATE in 9999/],
    ['an RDATE PERIOD', observance(undefined, 'RDATE;VALUE=PERIOD:19800101T000000/PT1H'), /not a date/],
  ])('refuses an observance with %s', (_label, text, reason) => {
    expect(vtimezoneProblem(zone(text))).toMatch(reason);
  });

  it.each([
    ['Outlook', '16010101T000000'],
    ['full histories', '18471201T000115'],
    ['the last year allowed', '22001231T235959'],
  ])('accepts a start like %s', (_label, dtstart) => {
    expect(vtimezoneProblem(zone(observance(dtstart)))).toBeUndefined();
  });

  it('accepts up to 1,000 RDATE values in total and refuses more', () => {
    const values = (count: number) => Array.from({ length: count }, (_, i) => `${1800 + (i % 400)}0101T000000`);
    const lines = (count: number) => values(count).map((value) => `RDATE:${value}`);
    expect(vtimezoneProblem(zone(observance(undefined, ...lines(500)), observance(undefined, ...lines(500))))).toBe(
      undefined,
    );
    expect(vtimezoneProblem(zone(observance(undefined, ...lines(1_001))))).toMatch(/more than 1000 RDATE/);
    // Values of one line count one by one, and are counted before any is decoded.
    expect(vtimezoneProblem(zone(observance(undefined, `RDATE:${values(100_000).join(',')}`)))).toMatch(/RDATE/);
  });
});

describe('vtimezoneProblem on real zones', () => {
  it('accepts every zone of timezones-ical-library', () => {
    const names = tzlib_get_timezones();
    const list = Array.isArray(names) ? names : [];
    expect(list.length).toBeGreaterThan(400);
    const refused = list.flatMap((name) => {
      const block = tzlib_get_ical_block(name);
      const text = Array.isArray(block) ? (block[0] ?? '') : '';
      const problem = vtimezoneProblem(new ICAL.Component(ICAL.parse(text)));
      return problem === undefined ? [] : [`${name}: ${problem}`];
    });
    expect(refused).toEqual([]);
  });

  it('accepts every VTIMEZONE of the fixtures but the one without observances', () => {
    // Cut out by text, so that zones in files ical.js cannot parse as a whole are checked too.
    const root = new URL('../../../../../test/fixtures/ics/', import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).filter((name) =>
      name.endsWith('.ics'),
    );
    const refused: string[] = [];
    let checked = 0;
    for (const name of files) {
      for (const [text] of readFileSync(join(root, name), 'utf8').matchAll(
        /BEGIN:VTIMEZONE\r?\n[\s\S]*?END:VTIMEZONE/g,
      )) {
        checked += 1;
        const problem = vtimezoneProblem(new ICAL.Component(ICAL.parse(text)));
        if (problem !== undefined) refused.push(`${name}: ${problem}`);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(refused).toEqual([
      'icalendar/tests/calendars/fuzz_testcase_vtimezone_lone_cr.ics: it has no STANDARD or DAYLIGHT component',
    ]);
  });
});
