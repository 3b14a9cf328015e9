import ICAL from 'ical.js';

/**
 * First year an observance (DTSTART, RDATE) may start in. Outlook/Exchange write
 * 1601-01-01 (the Windows FILETIME epoch) for "always"; IANA-derived full histories start
 * with local mean time in the 1800s. ical.js expands every rule from its DTSTART, so an
 * earlier start only adds work (a rule from year 1 is 2,000 steps per expansion).
 */
export const ZONE_FIRST_YEAR = 1600;
/**
 * Last year an observance may start in, and the last year whose offsets come from the
 * zone's own rules (later years reuse those of a calendar-identical year before it, see
 * `bounded-zone.ts`). tzdata's furthest predictions (Morocco) end in 2087; the index
 * follows series to 2200 too (`RANGE_HORIZON_MS`).
 */
export const ZONE_LAST_YEAR = 2200;
/** ical.js expands a zone 5 years past the year asked for (`Timezone.EXTRA_COVERAGE`). */
export const ZONE_EXPANDED_UNTIL = ZONE_LAST_YEAR + 5;

/**
 * STANDARD/DAYLIGHT components per VTIMEZONE. The largest real ones are full histories
 * (Thunderbird's Europe/London: 85); a current-rules zone has 1 or 2.
 */
const MAX_OBSERVANCES = 200;
/**
 * RDATE values per VTIMEZONE. Full histories list irregular changes as RDATEs (Etar's
 * Europe/London: 144; tzdata's predicted Morocco changes to 2087 add ~120). ical.js turns
 * each RDATE line into one transition and re-sorts them on every expansion.
 */
const MAX_RDATES = 1_000;
/**
 * Years of rule expansion per VTIMEZONE: the sum over its RRULEs of the years each covers
 * between DTSTART and its end (UNTIL, COUNT, or {@link ZONE_EXPANDED_UNTIL}), divided by
 * INTERVAL. ical.js spends ~16 µs per year and rule on each expansion. An Outlook zone
 * (two rules from 1601) needs 1,210, the most of any real zone seen; this allows 2.5×.
 */
const MAX_RULE_YEARS = 3_000;
/** A rule repeating less often than once a century is not a time-zone rule. */
const MAX_INTERVAL = 100;
/** Days a month can have (February in leap years), for BYMONTHDAY values that never occur. */
const MONTH_DAYS: readonly number[] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** "The <weekday> on or after day N": 7 consecutive BYMONTHDAYs with one BYDAY. */
const MAX_MONTH_DAYS = 7;
const BYDAY = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;

/** Rule parts no real zone uses that make ical.js produce many or no transitions a year. */
const UNSUPPORTED_PARTS = ['BYSETPOS', 'BYWEEKNO'] as const;
/** Rule parts that may hold one value: each further value multiplies the transitions. */
const SINGLE_PARTS = ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYMONTH', 'BYDAY', 'BYYEARDAY'] as const;

/** Running totals over the observances of one VTIMEZONE. */
interface Totals {
  rdates: number;
  ruleYears: number;
}

/** Whether a year lies in the range a VTIMEZONE may describe. */
function saneYear(year: number): boolean {
  return Number.isInteger(year) && year >= ZONE_FIRST_YEAR && year <= ZONE_LAST_YEAR;
}

/**
 * Why an RRULE of an observance is refused, if it is. Accepted rules pick at most one day a
 * year, every year or every few years: FREQ=YEARLY with at most one BYMONTH and either no
 * day part (DTSTART's day), one BYDAY with an ordinal (`-1SU`), one BYMONTHDAY, one BYDAY
 * without ordinal within up to 7 consecutive BYMONTHDAYs (`BYMONTHDAY=8,…,14;BYDAY=SU`), or
 * one BYYEARDAY. Measured in ical.js 2.2.1 from DTSTART 1970: FREQ=HOURLY takes 5.6 s and
 * 140 MB, MINUTELY exhausts a 1.5 GB heap; YEARLY;BYDAY=SU (every Sunday) 27,000
 * transitions; a day that never occurs (BYMONTH=4;BYMONTHDAY=31;BYDAY=SU) or BYSETPOS=9
 * makes ical.js search to the year 20000 (1.6 s, 3.3 s).
 */
function ruleProblem(rule: ICAL.Recur): string | undefined {
  if (rule.freq !== 'YEARLY') return `its RRULE has FREQ=${rule.freq}; time-zone rules are YEARLY`;
  // ical.js reads INTERVAL below 1 as 1 while parsing.
  if (!Number.isInteger(rule.interval) || rule.interval < 1 || rule.interval > MAX_INTERVAL) {
    return `its RRULE has INTERVAL=${rule.interval} (at most ${MAX_INTERVAL})`;
  }
  const parts = rule.parts;
  for (const name of UNSUPPORTED_PARTS) {
    if (parts[name] !== undefined) return `its RRULE uses ${name}`;
  }
  for (const name of SINGLE_PARTS) {
    if ((parts[name]?.length ?? 0) > 1) return `its RRULE has several ${name} values`;
  }
  const month = parts.BYMONTH?.[0];
  const day = parts.BYDAY?.[0];
  const monthDays = parts.BYMONTHDAY ?? [];
  if (parts.BYYEARDAY !== undefined) {
    if (month !== undefined || day !== undefined || monthDays.length > 0) {
      return 'its RRULE combines BYYEARDAY with other day parts';
    }
    return parts.BYYEARDAY[0] === 0 ? 'its RRULE has BYYEARDAY=0' : undefined;
  }
  if (day === undefined && monthDays.length === 0) return undefined;
  // Without BYMONTH, BYMONTHDAY and BYDAY pick days in every month or week of the year.
  if (month === undefined) return 'its RRULE picks days without a BYMONTH';
  if (day !== undefined) {
    const match = BYDAY.exec(day);
    if (match === null) return `its RRULE has BYDAY=${day}`;
    const ordinal = Number(match[1] ?? 0);
    if (ordinal === 0 && monthDays.length === 0) return 'its RRULE picks every such weekday of the month';
    if (ordinal !== 0 && (monthDays.length > 0 || Math.abs(ordinal) > 5)) {
      return `its RRULE has BYDAY=${day} (an nth weekday of the month, without BYMONTHDAY)`;
    }
  }
  if (monthDays.length > 1 && day === undefined) return 'its RRULE has several BYMONTHDAY values without a BYDAY';
  if (monthDays.length > MAX_MONTH_DAYS) return `its RRULE has more than ${MAX_MONTH_DAYS} BYMONTHDAY values`;
  const longest = MONTH_DAYS[month - 1] ?? 0;
  if (monthDays.some((value) => value === 0 || Math.abs(value) > longest)) {
    return `its RRULE has a BYMONTHDAY that month ${month} never has`;
  }
  const positive = monthDays.filter((value) => value > 0);
  if (positive.length !== 0 && positive.length !== monthDays.length) {
    return 'its RRULE mixes BYMONTHDAYs from the start and the end of the month';
  }
  if (monthDays.length > 1 && Math.max(...monthDays) - Math.min(...monthDays) >= MAX_MONTH_DAYS) {
    return 'its RRULE has BYMONTHDAYs that span more than a week';
  }
  return undefined;
}

/** Years of expansion a rule costs (see {@link MAX_RULE_YEARS}). */
function ruleYears(rule: ICAL.Recur, start: ICAL.Time): number {
  const end = Math.min(rule.until?.year ?? Number.POSITIVE_INFINITY, ZONE_EXPANDED_UNTIL);
  const years = Math.ceil(Math.max(0, end - start.year + 1) / rule.interval);
  return rule.count !== null && rule.count > 0 ? Math.min(years, rule.count) : years;
}

/** Why one STANDARD/DAYLIGHT component is refused, if it is; adds to the totals. */
function observanceProblem(observance: ICAL.Component, totals: Totals): string | undefined {
  const name = observance.name.toUpperCase();
  if (name !== 'STANDARD' && name !== 'DAYLIGHT') return `it holds a ${name} component`;
  const start = observance.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time)) return `a ${name} has no DTSTART`;
  if (!saneYear(start.year)) {
    return `a ${name} starts in ${start.year} (observances start from ${ZONE_FIRST_YEAR} to ${ZONE_LAST_YEAR})`;
  }
  // Without either, ical.js skips the observance. (It wraps offsets into -12:00…+14:00 itself.)
  for (const offsetName of ['tzoffsetfrom', 'tzoffsetto']) {
    const offset = observance.getFirstPropertyValue(offsetName);
    if (!(offset instanceof ICAL.UtcOffset)) return `a ${name} has no ${offsetName.toUpperCase()}`;
  }
  const rdates = observance.getAllProperties('rdate');
  // Counted from the raw values before any is decoded: a huge list stays cheap to refuse.
  for (const rdate of rdates) totals.rdates += Math.max(0, rdate.jCal.length - 3);
  if (totals.rdates > MAX_RDATES) return `it has more than ${MAX_RDATES} RDATE values`;
  for (const rdate of rdates) {
    for (const value of rdate.getValues()) {
      // ical.js reads an RDATE PERIOD as a date without fields.
      if (!(value instanceof ICAL.Time)) return `a ${name} has an RDATE that is not a date or date-time`;
      if (!saneYear(value.year)) return `a ${name} has an RDATE in ${value.year}`;
    }
  }
  const rules = observance.getAllProperties('rrule');
  // ical.js reads only the first RRULE; the zone would silently lose the others.
  if (rules.length > 1) return `a ${name} has several RRULEs`;
  const rule = rules[0]?.getFirstValue();
  if (rule === undefined) return undefined;
  if (!(rule instanceof ICAL.Recur)) return `a ${name} has an unreadable RRULE`;
  const problem = ruleProblem(rule);
  if (problem !== undefined) return `a ${name}: ${problem}`;
  totals.ruleYears += ruleYears(rule, start);
  if (totals.ruleYears > MAX_RULE_YEARS) return `its rules cover more than ${MAX_RULE_YEARS} years`;
  return undefined;
}

/**
 * Why an embedded VTIMEZONE cannot be used, or undefined when it can. Checked before
 * ical.js ever expands it: ical.js steps through each observance's RRULE from its DTSTART
 * up to the year converted (plus 5) and keeps every transition, with no limit of its own,
 * so a sub-daily rule hangs the thread or exhausts the heap. Accepts what real zones look
 * like (Outlook/Exchange, Apple, Google, Thunderbird, and tzdata as in
 * timezones-ical-library): STANDARD/DAYLIGHT observances with DTSTART, TZOFFSETFROM and
 * TZOFFSETTO, no RRULE, RDATEs, or one yearly RRULE picking one day a year. Cheap: it
 * decodes the zone's properties but expands nothing. Never throws.
 */
export function vtimezoneProblem(vtimezone: ICAL.Component): string | undefined {
  try {
    // Counted from the raw component before anything is decoded.
    const count = Array.isArray(vtimezone.jCal[2]) ? vtimezone.jCal[2].length : 0;
    if (count === 0) return 'it has no STANDARD or DAYLIGHT component';
    if (count > MAX_OBSERVANCES) return `it has ${count} observances (at most ${MAX_OBSERVANCES})`;
    const totals: Totals = { rdates: 0, ruleYears: 0 };
    for (const observance of vtimezone.getAllSubcomponents()) {
      const problem = observanceProblem(observance, totals);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } catch (cause) {
    return `it cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}
