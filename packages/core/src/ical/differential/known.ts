/**
 * The known differences of the differential test, each with its verdict, RFC reason and the exact
 * difference expected: KNOWN for the fixtures, KNOWN_SYNTHETIC for the synthetic cases.
 *
 * Test-only data for `differential.test.ts`; it must never import calsync's own ical code.
 */
import { DAY, WINDOW_AFTER_MS } from './cases.ts';

export type Outcome = { ok: true; occurrences: string[] } | { ok: false; reason: string };

export interface Difference {
  onlyCalsync: string[];
  onlyReference: string[];
}

export type Verdict =
  /** calsync disagrees with RFC 5545 and the reference is right. */
  | 'calsync bug'
  /** calsync stops on purpose at one of its documented bounds (README "iCalendar"). */
  | 'calsync bound'
  /** RFC 5545 does not decide; calsync's documented reading is kept. */
  | 'RFC leaves open'
  /** The data is outside RFC 5545 / an extension; the outcome of each side is pinned. */
  | 'not comparable';

export interface Known {
  verdict: Verdict;
  /** The RFC section and why. */
  reason: string;
  /** The exact difference when both sides expanded the object … */
  difference?: Difference | ((reference: string[]) => Difference);
  /** … or each side's exact outcome when one of them could not. */
  calsync?: Outcome;
  reference?: { ok: false; reason: string };
}

const dates = (...days: string[]): string[] => days.map((day) => `${day}T00:00:00.000Z`);

const RSCALE_UNSUPPORTED = { ok: false, reason: 'RRULE part RSCALE is not supported by the reference' } as const;

/** Every known difference, by `<fixture>#<UID>`. */
export const KNOWN: Record<string, Known> = {
  'tests/calendars/period_with_timezone.ics#1': {
    verdict: 'calsync bug',
    reason:
      'RFC 5545 §3.3.10 COUNT: FREQ=MONTHLY;COUNT=9;BYDAY=+3WE;BYMONTH=1,2,3,4,5,9,10,11,12 from 2023-09-20 has ' +
      'nine instances, the last 2024-05-15 (EXDATE removes 2023-12-20 after COUNT, §3.8.5.3). ical.js 2.2.1 ' +
      'ends one early: RecurIterator.next() lands on the previous instance when BYMONTH wraps into the next ' +
      'year, retries through next(true), and then counts the retried instance a second time.',
    difference: { onlyCalsync: [], onlyReference: ['2024-05-15T19:00:00.000Z'] },
  },
  'tests/calendars/rfc_7529.ics#4.3.1': {
    verdict: 'not comparable',
    reason:
      'RFC 7529 (RSCALE) is not in rrule.js. calsync (ical.js) ignores RSCALE=CHINESE and repeats the Gregorian ' +
      'date, which RFC 7529 §4.3.1 does not mean: Chinese New Year is 2014-01-31 and 2015-02-19.',
    calsync: { ok: true, occurrences: dates('2013-02-10', '2014-02-10', '2015-02-10') },
    reference: RSCALE_UNSUPPORTED,
  },
  'tests/calendars/rfc_7529.ics#4.3.2': {
    verdict: 'not comparable',
    reason: 'RFC 7529 §4.3.2 (RSCALE=ETHIOPIC;BYMONTH=13): calsync rejects the 13th month; rrule.js has no RSCALE.',
    calsync: { ok: false, reason: 'The calendar data cannot be parsed: BYMONTH: invalid value "13" must be < 1' },
    reference: RSCALE_UNSUPPORTED,
  },
  'tests/calendars/rfc_7529.ics#4.3.3': {
    verdict: 'not comparable',
    reason:
      'RFC 7529 §4.3.3 (RSCALE=HEBREW;BYMONTH=5L;BYMONTHDAY=8;SKIP=FORWARD, 8 Adar I): calsync ignores RSCALE ' +
      'and the leap-month suffix and gives Gregorian 8 May each year, which is wrong under RFC 7529.',
    calsync: { ok: true, occurrences: dates('2014-02-08', '2014-05-08', '2015-05-08', '2016-05-08') },
    reference: RSCALE_UNSUPPORTED,
  },
  'tests/calendars/rfc_7529.ics#4.3.4': {
    verdict: 'not comparable',
    reason:
      'RFC 7529 §4.3.4 (RSCALE=GREGORIAN;FREQ=YEARLY;SKIP=FORWARD from 2012-02-29): calsync gives 1 March in ' +
      'common years, as SKIP=FORWARD asks, but only by accident: ical.js ignores SKIP and does the same ' +
      'without it (see "yearly on 29 February", a calsync bug). rrule.js has no RSCALE/SKIP.',
    calsync: { ok: true, occurrences: dates('2012-02-29', '2013-03-01', '2014-03-01') },
    reference: RSCALE_UNSUPPORTED,
  },
};

/** `first` and every later day of `weekdays` (0 = Sunday) at the same UTC time, within the window. */
function daysFrom(first: string, weekdays: number[]): string[] {
  const days: string[] = [];
  const start = Date.parse(first);
  for (let ms = start; ms < start + WINDOW_AFTER_MS; ms += DAY) {
    if (weekdays.includes(new Date(ms).getUTCDay())) days.push(new Date(ms).toISOString());
  }
  return days;
}

const MONDAY = [1];
const WEEKDAYS = [1, 2, 3, 4, 5];

/** Every known difference of the synthetic cases, by name. */
export const KNOWN_SYNTHETIC: Record<string, Known> = {
  'rfc5545 20th Monday of the year': {
    verdict: 'calsync bug',
    reason:
      'RFC 5545 §3.3.10 BYDAY=20MO is the 20th Monday of the year (the RFC example: 1997-05-19, 1998-05-18, ' +
      '1999-05-17). ical.js RecurIterator.ruleDayOfWeek reads the ordinal with /([+-]?[0-9])?(MO|…)/, one ' +
      'digit, so "20MO" becomes "0MO": every Monday. Any ordinal beyond ±9 (YEARLY rules) is affected.',
    difference: (reference) => ({
      onlyCalsync: daysFrom('1997-05-19T09:00:00.000Z', MONDAY).filter((day) => !reference.includes(day)),
      onlyReference: [],
    }),
  },
  'rfc5545 Monday of week 20': {
    verdict: 'calsync bug',
    reason:
      'RFC 5545 §3.3.10 FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO is the Monday of ISO week 20 (the RFC example: ' +
      '1997-05-12, 1998-05-11, 1999-05-17). ical.js expand_year_days keeps a day when ' +
      '`this.by_data.BYWEEKNO.indexOf(weekno)` is truthy, i.e. every Monday NOT in week 20.',
    difference: (reference) => ({
      onlyCalsync: daysFrom('1997-05-12T09:00:00.000Z', MONDAY).filter((day) => !reference.includes(day)),
      onlyReference: reference.filter((day) => day !== '1997-05-12T09:00:00.000Z'),
    }),
  },
  'yearly on 29 February': {
    verdict: 'calsync bug',
    reason:
      'RFC 5545 §3.3.10: instances with an invalid date (29 February in a common year) "MUST be ignored and ' +
      'MUST NOT be counted", so COUNT=3 gives 2024-02-29, 2028-02-29, 2032-02-29. ical.js steps the year and ' +
      'normalises to 1 March in common years, and counts those (COUNT=3 ends in 2026); with an explicit ' +
      'BYMONTH=2;BYMONTHDAY=29 it gets it right.',
    difference: { onlyCalsync: ['2025-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'], onlyReference: [] },
  },
  'last weekday of the year (YEARLY BYSETPOS)': {
    verdict: 'calsync bug',
    reason:
      'RFC 5545 §3.3.10 BYSETPOS selects within the set of each YEARLY interval (-1: the last weekday of the ' +
      'year). ical.js expand_year_days applies BYSETPOS only in its BYDAY+BYMONTH branch, so the rule gives ' +
      'every weekday.',
    difference: (reference) => ({
      onlyCalsync: daysFrom('2024-12-31T09:00:00.000Z', WEEKDAYS).filter((day) => !reference.includes(day)),
      onlyReference: [],
    }),
  },
  'MONTHLY BYMONTH wrapping the year with COUNT': {
    verdict: 'calsync bug',
    reason:
      'RFC 5545 §3.3.10 COUNT=5 gives five instances; ical.js stops at four (the RecurIterator.next() ' +
      'double count described for tests/calendars/period_with_timezone.ics).',
    difference: { onlyCalsync: [], onlyReference: ['2025-09-17T12:00:00.000Z'] },
  },
  'EXDATE DATE on a timed series': {
    verdict: 'RFC leaves open',
    reason:
      'RFC 5545 §3.8.5.1 allows EXDATE;VALUE=DATE but does not say what a date excludes from a date-time ' +
      'series. calsync (prepare.ts, exdateDays) removes every instance on that date; rrule.js compares ' +
      'instants (midnight) and removes none.',
    difference: { onlyCalsync: [], onlyReference: ['2024-01-03T10:00:00.000Z'] },
  },
  'overrides: moved, cancelled, UTC RECURRENCE-ID, EXDATE-d, outside the rule': {
    verdict: 'RFC leaves open',
    reason:
      'An override whose RECURRENCE-ID names an instance that EXDATE removed: RFC 5545 §3.8.4.4/§3.8.5.1 do ' +
      'not say which wins. calsync (expandObject) lets the EXDATE win; the reference shows the override.',
    difference: {
      onlyCalsync: [],
      onlyReference: ['2024-01-30T09:00:00.000Z (RECURRENCE-ID 2024-01-29T09:00:00.000Z)'],
    },
  },
  'zone history: America/New_York in 1997': {
    verdict: 'calsync bug',
    reason:
      'A TZID without VTIMEZONE names an IANA zone, whose offsets change over the years. timezones-ical-library ' +
      'holds only the current rules (America/New_York: DST from the 2nd Sunday of March to the 1st Sunday of ' +
      'November since 1970), so before 2007 calsync is an hour off between the old and the new DST dates ' +
      '(1997: DST ended 26 October; 1998: began 5 April). Same for every zone whose rules changed ' +
      '(America/Sao_Paulo before 2019, Mexico before 2022, Europe/Moscow 2011-2014 …).',
    difference: {
      onlyCalsync: [
        '1997-10-28T13:00:00.000Z',
        '1998-03-10T13:00:00.000Z',
        '1998-03-17T13:00:00.000Z',
        '1998-03-24T13:00:00.000Z',
        '1998-03-31T13:00:00.000Z',
      ],
      onlyReference: [
        '1997-10-28T14:00:00.000Z',
        '1998-03-10T14:00:00.000Z',
        '1998-03-17T14:00:00.000Z',
        '1998-03-24T14:00:00.000Z',
        '1998-03-31T14:00:00.000Z',
      ],
    },
  },
};
