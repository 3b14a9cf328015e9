import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FixtureObject, fixtureObjects, type ReferenceResult, referenceExpand } from './differential-reference.ts';
import { expandObject, prepareObject } from './index.ts';
import { calendar, vevent } from './test-ics.ts';

/**
 * Differential expansion test (issue 9): every recurring VEVENT of the collective/icalendar
 * fixtures is expanded by calsync — `prepareObject` + `expandObject`, what the query layer's
 * `OccurrenceCache` runs for `listEvents` — and by an independent implementation
 * (`differential-reference.ts`: rrule.js + Intl, no ical.js), over DTSTART − 1 day …
 * DTSTART + 3 years. Occurrences are compared as start instants, each with the instance it
 * stands for when that differs (an override moved by RECURRENCE-ID).
 *
 * Files that are bare VEVENTs are wrapped in a VCALENDAR, files with several UIDs are split
 * into one object per UID (a CalDAV resource holds one UID), and a missing UID is injected:
 * calsync itself rejects such files whole, which `fixtures.test.ts` already checks.
 *
 * A second table, SYNTHETIC, runs the RFC 5545 §3.8.5.3 examples and the edge cases the
 * fixtures lack (DST gaps and overlaps, invalid dates, BYSETPOS, overrides, bounds) the same way.
 *
 * Every difference is listed in KNOWN / KNOWN_SYNTHETIC with its RFC reason and the exact
 * difference expected; any other difference, or a listed one that changes or disappears,
 * fails the test. Entries with verdict 'calsync bug' are open bugs found by this test (issue 9):
 * whoever fixes one deletes its entry. `DIFFERENTIAL_REPORT=1` prints one line per object.
 */

const root = new URL('../../../../test/fixtures/ics/icalendar/', import.meta.url).pathname;
const DAY = 86_400_000;
const WINDOW_BEFORE_MS = DAY;
const WINDOW_AFTER_MS = 3 * 365 * DAY;
/** calsync's documented bound per object and query (README "iCalendar"); both sides keep the earliest. */
const LIMIT = 10_000;

/** One occurrence as compared: its start, and the instance it replaces when that differs. */
function label(startMs: number, recurrenceIdMs: number): string {
  const start = new Date(startMs).toISOString();
  return startMs === recurrenceIdMs ? start : `${start} (RECURRENCE-ID ${new Date(recurrenceIdMs).toISOString()})`;
}

type Outcome = { ok: true; occurrences: string[] } | { ok: false; reason: string };

interface Case {
  name: string;
  file: string;
  object: FixtureObject;
  calsync: Outcome;
  reference: ReferenceResult;
}

function expandBoth(file: string, object: FixtureObject, window?: { fromMs: number; toMs: number }): Case {
  const reference = referenceExpand(object, {
    beforeMs: WINDOW_BEFORE_MS,
    afterMs: WINDOW_AFTER_MS,
    limit: LIMIT,
    ...window,
  });
  const prepared = prepareObject(object.ics);
  let calsync: Outcome;
  if (!prepared.ok) {
    calsync = { ok: false, reason: prepared.error.message };
  } else {
    // The window's anchor is the reference's DTSTART; calsync's own when the reference failed.
    const anchorMs = reference.ok
      ? reference.anchorMs
      : (prepared.object.master?.startMs ?? prepared.object.overrides[0]?.startMs ?? 0);
    const from = window?.fromMs ?? anchorMs - WINDOW_BEFORE_MS;
    const to = window?.toMs ?? anchorMs + WINDOW_AFTER_MS;
    // expandObject returns what overlaps the window; compare what starts in it, like the reference.
    const occurrences = expandObject(prepared, from, to, { maxOccurrences: LIMIT })
      .filter((o) => o.startMs >= from && o.startMs < to)
      .map((o) => label(o.startMs, o.recurrenceId === undefined ? o.startMs : Date.parse(o.recurrenceId)));
    calsync = { ok: true, occurrences };
  }
  return { name: `${file}#${object.uid}`, file, object, calsync, reference };
}

interface Difference {
  onlyCalsync: string[];
  onlyReference: string[];
}

function difference(calsync: string[], reference: string[]): Difference {
  const inReference = new Set(reference);
  const inCalsync = new Set(calsync);
  return {
    onlyCalsync: calsync.filter((o) => !inReference.has(o)),
    onlyReference: reference.filter((o) => !inCalsync.has(o)),
  };
}

type Verdict =
  /** calsync disagrees with RFC 5545 and the reference is right. */
  | 'calsync bug'
  /** calsync stops on purpose at one of its documented bounds (README "iCalendar"). */
  | 'calsync bound'
  /** RFC 5545 does not decide; calsync's documented reading is kept. */
  | 'RFC leaves open'
  /** The data is outside RFC 5545 / an extension; the outcome of each side is pinned. */
  | 'not comparable';

interface Known {
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
const KNOWN: Record<string, Known> = {
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

const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ics'))
  .sort();
const cases: Case[] = files.flatMap((file) =>
  fixtureObjects(readFileSync(join(root, file), 'utf8')).map((object) => expandBoth(file, object)),
);

function referenceOutcome(reference: ReferenceResult): Outcome {
  return reference.ok
    ? { ok: true, occurrences: reference.occurrences.map((o) => label(o.startMs, o.recurrenceIdMs)) }
    : reference;
}

function describeCase(c: Case, known: Known | undefined): string {
  const side = (o: Outcome): string => (o.ok ? `${o.occurrences.length}` : `rejects (${o.reason})`);
  const reference = referenceOutcome(c.reference);
  const verdict = known?.verdict ?? (!c.calsync.ok && !reference.ok ? 'equal (both reject)' : 'equal');
  let line = `${c.name} [${c.object.source}] calsync=${side(c.calsync)} reference=${side(reference)} → ${verdict}`;
  if (c.calsync.ok && reference.ok) {
    const { onlyCalsync, onlyReference } = difference(c.calsync.occurrences, reference.occurrences);
    if (onlyCalsync.length > 0)
      line += `\n    only calsync (${onlyCalsync.length}): ${onlyCalsync.slice(0, 6).join(', ')}`;
    if (onlyReference.length > 0) {
      line += `\n    only reference (${onlyReference.length}): ${onlyReference.slice(0, 6).join(', ')}`;
    }
  }
  return line;
}

/** The comparison itself: equal, or exactly the documented difference. */
function check(c: Case, known: Known | undefined): void {
  const { calsync } = c;
  const reference = referenceOutcome(c.reference);
  if (calsync.ok && reference.ok) {
    const actual = difference(calsync.occurrences, reference.occurrences);
    const expected =
      known?.difference === undefined
        ? { onlyCalsync: [], onlyReference: [] }
        : typeof known.difference === 'function'
          ? known.difference(reference.occurrences)
          : known.difference;
    expect(actual, known?.reason ?? 'undocumented difference').toEqual(expected);
    // Something was compared: every object here has at least its DTSTART in the window.
    expect(reference.occurrences.length).toBeGreaterThan(0);
  } else if (!calsync.ok && !reference.ok && known === undefined) {
    // Both read the data as invalid (empty or malformed values, no DTSTART …): agreement.
    expect(calsync.reason).not.toBe('');
  } else {
    expect(known, `undocumented: one side does not expand ${c.name}`).toBeDefined();
    expect(calsync).toEqual(known?.calsync);
    expect(reference.ok ? 'reference expanded' : reference).toEqual(known?.reference);
  }
}

describe('differential expansion: calsync vs rrule.js on the fixtures', () => {
  if (process.env.DIFFERENTIAL_REPORT) console.info(cases.map((c) => describeCase(c, KNOWN[c.name])).join('\n'));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c, KNOWN[c.name]));

  it('documents only differences that occur', () => {
    const names = new Set(cases.map((c) => c.name));
    expect(Object.keys(KNOWN).filter((name) => !names.has(name))).toEqual([]);
  });

  it('compares every recurring fixture object', () => {
    const both = cases.filter((c) => c.calsync.ok && c.reference.ok);
    const rejected = cases.filter((c) => !c.calsync.ok && !c.reference.ok);
    expect({
      files: new Set(cases.map((c) => c.file)).size,
      objects: cases.length,
      expandedByBoth: both.length,
      equal: both.filter((c) => KNOWN[c.name] === undefined).length,
      bothReject: rejected.length,
      documented: Object.keys(KNOWN).length,
    }).toEqual({ files: 37, objects: 49, expandedByBoth: 27, equal: 26, bothReject: 19, documented: 5 });
  });
});

// ---------------------------------------------------------------------------------------------
// Beyond the fixtures: the RFC 5545 §3.8.5.3 examples and edge cases the fixtures lack.

/** A synthetic object: VEVENT property lines (several VEVENTs: several arrays), and its window. */
interface Synthetic {
  events: string[][];
  /** A fixed window instead of DTSTART − 1 day … + 3 years. */
  window?: { fromMs: number; toMs: number };
}

const ev = (...lines: string[]): string[][] => [lines];
/**
 * RFC 5545 §3.8.5.3's examples, with DTSTART written floating (the RFC writes
 * TZID=America/New_York): rule arithmetic alone, without zone data (see "zone history").
 */
const SYNTHETIC: Record<string, Synthetic> = {
  'rfc5545 daily for 10': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=DAILY;COUNT=10') },
  'rfc5545 daily until': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=DAILY;UNTIL=19971224T000000') },
  'rfc5545 every other day': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=DAILY;INTERVAL=2') },
  'rfc5545 every 10 days, 5': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=DAILY;INTERVAL=10;COUNT=5') },
  'rfc5545 every day in January (yearly)': {
    events: ev(
      'DTSTART:19980101T090000',
      'RRULE:FREQ=YEARLY;UNTIL=20000131T140000;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
    ),
  },
  'rfc5545 every day in January (daily)': {
    events: ev('DTSTART:19980101T090000', 'RRULE:FREQ=DAILY;UNTIL=20000131T140000;BYMONTH=1'),
  },
  'rfc5545 weekly for 10': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=WEEKLY;COUNT=10') },
  'rfc5545 weekly until': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=WEEKLY;UNTIL=19971224T000000') },
  'rfc5545 every other week, WKST=SU': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU'),
  },
  'rfc5545 TU,TH for five weeks (UNTIL)': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=WEEKLY;UNTIL=19971007T000000;WKST=SU;BYDAY=TU,TH'),
  },
  'rfc5545 TU,TH for five weeks (COUNT)': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH'),
  },
  'rfc5545 every other week MO,WE,FR': {
    events: ev('DTSTART:19970901T090000', 'RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000;WKST=SU;BYDAY=MO,WE,FR'),
  },
  'rfc5545 every other week TU,TH, 8': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH'),
  },
  'rfc5545 first Friday, 10': { events: ev('DTSTART:19970905T090000', 'RRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR') },
  'rfc5545 first and last Sunday every other month': {
    events: ev('DTSTART:19970907T090000', 'RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU'),
  },
  'rfc5545 second-to-last Monday, 6': {
    events: ev('DTSTART:19970922T090000', 'RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO'),
  },
  'rfc5545 third-to-last day': { events: ev('DTSTART:19970928T090000', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=-3') },
  'rfc5545 2nd and 15th, 10': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15') },
  'rfc5545 first and last day, 10': {
    events: ev('DTSTART:19970930T090000', 'RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1'),
  },
  'rfc5545 every 18 months 10th-15th': {
    events: ev('DTSTART:19970910T090000', 'RRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15'),
  },
  'rfc5545 Tuesdays every other month': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU'),
  },
  'rfc5545 June and July, 10': { events: ev('DTSTART:19970610T090000', 'RRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7') },
  'rfc5545 Jan-Mar every other year': {
    events: ev('DTSTART:19970310T090000', 'RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3'),
  },
  'rfc5545 days 1, 100, 200 every third year': {
    events: ev('DTSTART:19970101T090000', 'RRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200'),
  },
  'rfc5545 20th Monday of the year': { events: ev('DTSTART:19970519T090000', 'RRULE:FREQ=YEARLY;BYDAY=20MO') },
  'rfc5545 Monday of week 20': { events: ev('DTSTART:19970512T090000', 'RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO') },
  'rfc5545 Thursdays in March': { events: ev('DTSTART:19970313T090000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH') },
  'rfc5545 Thursdays in summer': { events: ev('DTSTART:19970605T090000', 'RRULE:FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8') },
  'rfc5545 Friday 13th': {
    events: ev('DTSTART:19970902T090000', 'EXDATE:19970902T090000', 'RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'),
  },
  'rfc5545 Saturday after first Sunday': {
    events: ev('DTSTART:19970913T090000', 'RRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13'),
  },
  'rfc5545 US election day': {
    events: ev('DTSTART:19961105T090000', 'RRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8'),
  },
  'rfc5545 BYSETPOS=3 of TU,WE,TH': {
    events: ev('DTSTART:19970904T090000', 'RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3'),
  },
  'rfc5545 BYSETPOS=-2 weekday': {
    events: ev('DTSTART:19970929T090000', 'RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2'),
  },
  'rfc5545 every 3 hours until': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000'),
  },
  'rfc5545 every 15 minutes, 6': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6') },
  'rfc5545 every 90 minutes, 4': { events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=4') },
  // 24 a day for 3 years: both stop at calsync's 10,000 occurrences.
  'rfc5545 every 20 minutes 9-17 (daily)': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40'),
  },
  'rfc5545 every 20 minutes 9-17 (minutely)': {
    events: ev('DTSTART:19970902T090000', 'RRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16'),
  },
  'rfc5545 WKST=MO': {
    events: ev('DTSTART:19970805T090000', 'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO'),
  },
  'rfc5545 WKST=SU': {
    events: ev('DTSTART:19970805T090000', 'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU'),
  },
  'rfc5545 invalid date skipped (15th, 30th)': {
    events: ev('DTSTART:20070115T090000', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5'),
  },
  // §3.3.10: invalid dates are ignored and not counted.
  'yearly on 29 February': { events: ev('DTSTART:20240229T100000Z', 'RRULE:FREQ=YEARLY;COUNT=3') },
  'monthly on the 31st': { events: ev('DTSTART:20240131T100000Z', 'RRULE:FREQ=MONTHLY;COUNT=5') },
  'last weekday of the year (YEARLY BYSETPOS)': {
    events: ev('DTSTART:20241231T090000Z', 'RRULE:FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'),
  },
  'MONTHLY BYMONTH wrapping the year with COUNT': {
    events: ev('DTSTART:20230920T120000Z', 'RRULE:FREQ=MONTHLY;COUNT=5;BYDAY=+3WE;BYMONTH=1,9'),
  },
  'DTSTART not matching the rule, COUNT': {
    events: ev('DTSTART:20240102T100000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3'),
  },
  'two RRULEs, RDATE duplicate': {
    events: ev(
      'DTSTART:20240101T100000Z',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'RRULE:FREQ=MONTHLY;COUNT=3',
      'RDATE:20240108T100000Z,20240110T100000Z',
    ),
  },
  // UNTIL of DTSTART's type (§3.3.10); a DATE UNTIL on a timed series is out of spec.
  'all-day until DATE': { events: ev('DTSTART;VALUE=DATE:20240101', 'RRULE:FREQ=DAILY;UNTIL=20240105') },
  'UTC series, UNTIL DATE': { events: ev('DTSTART:20240101T100000Z', 'RRULE:FREQ=DAILY;UNTIL=20240105') },
  'zoned series, UNTIL UTC': {
    events: ev('DTSTART;TZID=Europe/Berlin:20240101T100000', 'RRULE:FREQ=DAILY;UNTIL=20240105T090000Z'),
  },
  'all-day, EXDATE and moved override': {
    events: [
      [
        'UID:allday',
        'DTSTART;VALUE=DATE:20240131',
        'RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4',
        'EXDATE;VALUE=DATE:20240331',
      ],
      ['UID:allday', 'RECURRENCE-ID;VALUE=DATE:20240229', 'DTSTART;VALUE=DATE:20240301'],
    ],
  },
  'EXDATE DATE on a timed series': {
    events: ev('DTSTART:20240101T100000Z', 'RRULE:FREQ=DAILY;COUNT=5', 'EXDATE;VALUE=DATE:20240103'),
  },
  'EXDATE in UTC on a zoned series': {
    events: ev('DTSTART;TZID=America/New_York:20240101T100000', 'RRULE:FREQ=DAILY;COUNT=3', 'EXDATE:20240102T150000Z'),
  },
  'overrides: moved, cancelled, UTC RECURRENCE-ID, EXDATE-d, outside the rule': {
    events: [
      [
        'UID:overrides',
        'DTSTART;TZID=Europe/Berlin:20240101T100000',
        'RRULE:FREQ=WEEKLY;COUNT=6',
        'EXDATE;TZID=Europe/Berlin:20240129T100000',
      ],
      [
        'UID:overrides',
        'RECURRENCE-ID;TZID=Europe/Berlin:20240108T100000',
        'DTSTART;TZID=Europe/Berlin:20240109T150000',
      ],
      ['UID:overrides', 'RECURRENCE-ID:20240115T090000Z', 'DTSTART:20240115T090000Z', 'STATUS:CANCELLED'],
      ['UID:overrides', 'RECURRENCE-ID:20240122T090000Z', 'DTSTART;TZID=Europe/Berlin:20240122T180000'],
      [
        'UID:overrides',
        'RECURRENCE-ID;TZID=Europe/Berlin:20240129T100000',
        'DTSTART;TZID=Europe/Berlin:20240130T100000',
      ],
      [
        'UID:overrides',
        'RECURRENCE-ID;TZID=Europe/Berlin:20240103T100000',
        'DTSTART;TZID=Europe/Berlin:20240103T120000',
      ],
    ],
  },
  // §3.3.5: a nonexistent local time takes the offset before the gap; a repeated one is the first.
  'DST gap: DTSTART in the gap (New York)': {
    events: ev('DTSTART;TZID=America/New_York:20240310T023000', 'RRULE:FREQ=DAILY;COUNT=3'),
  },
  'DST gap: daily through the gap (Berlin)': {
    events: ev('DTSTART;TZID=Europe/Berlin:20240329T023000', 'RRULE:FREQ=DAILY;COUNT=5'),
  },
  'DST overlap: daily through the repeated hour (New York)': {
    events: ev('DTSTART;TZID=America/New_York:20241101T013000', 'RRULE:FREQ=DAILY;COUNT=5'),
  },
  'DST overlap: daily through the repeated hour (Berlin)': {
    events: ev('DTSTART;TZID=Europe/Berlin:20241025T023000', 'RRULE:FREQ=DAILY;COUNT=5'),
  },
  'DST overlap: hourly (New York)': {
    events: ev('DTSTART;TZID=America/New_York:20241103T000000', 'RRULE:FREQ=HOURLY;COUNT=6'),
  },
  'DST gap: hourly (New York)': {
    events: ev('DTSTART;TZID=America/New_York:20240310T000000', 'RRULE:FREQ=HOURLY;COUNT=6'),
  },
  'DST through an embedded VTIMEZONE': {
    events: ev('DTSTART;TZID=Europe/CUSTOM:20240329T023000', 'RRULE:FREQ=DAILY;COUNT=5'),
  },
  // The RFC's own zone for its examples, in 1997/98: US DST rules before 2007.
  'zone history: America/New_York in 1997': {
    events: ev('DTSTART;TZID=America/New_York:19970902T090000', 'RRULE:FREQ=WEEKLY;UNTIL=19980430T000000Z'),
  },
  // README "iCalendar": at most 50,000 iteration steps per object and query, from DTSTART on.
  'step budget: daily since 1900, window in 2026': {
    events: ev('DTSTART:19000101T090000Z', 'RRULE:FREQ=DAILY'),
    window: { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 1, 1) },
  },
};

/** A VTIMEZONE for `Europe/CUSTOM` (EU rules), for the embedded-zone case. */
const CUSTOM_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/CUSTOM',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'DTSTART:19810329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'DTSTART:19961027T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

function syntheticIcs(name: string, synthetic: Synthetic): string {
  const events = synthetic.events.map((lines) =>
    vevent(...(lines.some((line) => line.startsWith('UID:')) ? lines : [`UID:${name}`, ...lines])),
  );
  const zones = synthetic.events.flat().some((line) => line.includes('Europe/CUSTOM')) ? [CUSTOM_ZONE] : [];
  return calendar(...zones, ...events);
}

const syntheticCases: Case[] = Object.entries(SYNTHETIC).map(([name, synthetic]) => {
  const [object] = fixtureObjects(syntheticIcs(name, synthetic));
  if (!object) throw new Error(`no recurring object in ${name}`);
  const c = expandBoth('synthetic', object, synthetic.window);
  return { ...c, name, object: { ...object, source: 'synthetic' as const } };
});

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
const KNOWN_SYNTHETIC: Record<string, Known> = {
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
  'step budget: daily since 1900, window in 2026': {
    verdict: 'calsync bound',
    reason:
      'README "iCalendar": at most 50,000 iteration steps per object and query, and ical.js iterates from ' +
      'DTSTART, so a daily series begun before about 1956 shows nothing in 2026 (RFC 5545: every day).',
    difference: {
      onlyCalsync: [],
      onlyReference: Array.from({ length: 31 }, (_, i) => new Date(Date.UTC(2026, 0, i + 1, 9)).toISOString()),
    },
  },
};

describe('differential expansion: calsync vs rrule.js on RFC 5545 examples and edge cases', () => {
  if (process.env.DIFFERENTIAL_REPORT) {
    console.info(syntheticCases.map((c) => describeCase(c, KNOWN_SYNTHETIC[c.name])).join('\n'));
  }

  it.each(syntheticCases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c, KNOWN_SYNTHETIC[c.name]));

  it('documents only differences that occur', () => {
    expect(Object.keys(KNOWN_SYNTHETIC).filter((name) => !(name in SYNTHETIC))).toEqual([]);
  });

  it('counts', () => {
    const verdicts = syntheticCases.map((c) => KNOWN_SYNTHETIC[c.name]?.verdict ?? 'equal');
    const count = (verdict: string) => verdicts.filter((v) => v === verdict).length;
    expect({
      cases: syntheticCases.length,
      equal: count('equal'),
      calsyncBug: count('calsync bug'),
      calsyncBound: count('calsync bound'),
      rfcLeavesOpen: count('RFC leaves open'),
    }).toEqual({ cases: 63, equal: 54, calsyncBug: 6, calsyncBound: 1, rfcLeavesOpen: 2 });
  });
});
