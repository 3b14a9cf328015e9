/**
 * The synthetic cases of the differential test: the RFC 5545 §3.8.5.3 examples and the edge
 * cases the fixtures lack, as VEVENT property lines, plus the window every case is expanded over.
 *
 * Test-only data for `differential.test.ts`; it must never import calsync's own ical code.
 */

export const DAY = 86_400_000;
export const WINDOW_BEFORE_MS = DAY;
export const WINDOW_AFTER_MS = 3 * 365 * DAY;

/** A synthetic object: VEVENT property lines (several VEVENTs: several arrays), and its window. */
export interface Synthetic {
  events: string[][];
  /** A fixed window instead of DTSTART − 1 day … + 3 years. */
  window?: { fromMs: number; toMs: number };
}

const ev = (...lines: string[]): string[][] => [lines];
/**
 * RFC 5545 §3.8.5.3's examples, with DTSTART written floating (the RFC writes
 * TZID=America/New_York): rule arithmetic alone, without zone data (see "zone history").
 */
export const SYNTHETIC: Record<string, Synthetic> = {
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
  // A periodic rule starts iterating just before the window (expand/fast-forward.ts), so the
  // 50,000-step budget per object and query is not spent on the years before it.
  'step budget: daily since 1900, window in 2026': {
    events: ev('DTSTART:19000101T090000Z', 'RRULE:FREQ=DAILY'),
    window: { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 1, 1) },
  },
};

/** A VTIMEZONE for `Europe/CUSTOM` (EU rules), for the embedded-zone case. */
export const CUSTOM_ZONE = [
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
