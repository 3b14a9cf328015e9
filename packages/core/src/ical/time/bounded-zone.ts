import ICAL from 'ical.js';
import { vtimezoneProblem, ZONE_EXPANDED_UNTIL, ZONE_LAST_YEAR } from './vtimezone-check.ts';
import { type ZoneChange, zoneChanges } from './zone-changes.ts';

/**
 * Rule steps (candidate days tested, transitions returned, years searched for a first
 * match) one zone may spend over its lifetime. A zone expands at most twice (see
 * {@link boundFarYears}); the costliest real zones (Outlook's, two rules from 1601) take
 * 3,748 steps for both. Zones passing {@link vtimezoneProblem} stay below ~12,000; the
 * budget only stops what that check did not foresee, after ~0.2 s.
 */
const ZONE_STEP_BUDGET = 20_000;

/** First of the 28 years whose calendars stand in for the years after the last one. */
const FOLD_FROM = ZONE_LAST_YEAR - 28;

interface Budget {
  steps: number;
}

type Next = (again?: boolean) => ICAL.Time | null;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A key for a year's calendar: the weekday of 1 January and whether it is a leap year. */
function calendarKind(year: number): string {
  // The Gregorian calendar repeats every 400 years; Date handles the reduced year.
  const reduced = 2000 + (((year % 400) + 400) % 400);
  return `${new Date(Date.UTC(reduced, 0, 1)).getUTCDay()}${isLeapYear(reduced)}`;
}

/**
 * For each kind of year, one year among the 28 before the last year that has that exact
 * calendar (same weekday for every date). A 28-year run without a skipped leap year holds
 * all 14 kinds.
 */
const standIns = new Map<string, number>();
for (let year = FOLD_FROM; year < ZONE_LAST_YEAR; year++) standIns.set(calendarKind(year), year);

function endOfYear(year: number): ICAL.Time {
  return ICAL.Time.fromData({ year, month: 12, day: 31, hour: 23, minute: 59, second: 59, isDate: false });
}

/**
 * Makes the zone answer offsets of years after {@link ZONE_LAST_YEAR} with those of the
 * calendar-identical year among the 28 before it — the same as the zone's own rules give
 * for every zone whose rules no longer change by then (all real ones) — so that ical.js
 * never expands beyond {@link ZONE_EXPANDED_UNTIL}. And expands at most twice: ical.js
 * expands from DTSTART up to the year asked for plus 5 and, asked for a later year,
 * expands everything again (keeping the earlier transitions), so a yearly series or an
 * RDATE list walking through the years re-expanded every 5 years — 2.6 s for 50 RDATEs
 * between 3000 and 3300 in Europe/Berlin, 30 s for 200, 5.6 s to expand a yearly event
 * to 3000. The first expansion goes to now + 5 as before (cheap, the common case); the
 * first later year expands to the end at once.
 */
function boundFarYears(zone: ICAL.Timezone): void {
  const offset = zone.utcOffset.bind(zone);
  const soon = new Date().getUTCFullYear() + 4;
  let expandedToEnd = false;
  zone.utcOffset = (time: ICAL.Time): number => {
    const year = time.year;
    // ical.js would expand until the year NaN, that is forever.
    if (!Number.isSafeInteger(year)) return 0;
    if (year > soon && !expandedToEnd) {
      expandedToEnd = true;
      offset(ICAL.Time.fromData({ year: ZONE_LAST_YEAR, month: 1, day: 1, isDate: false }));
    }
    if (year <= ZONE_LAST_YEAR) return offset(time);
    const { month, day, hour, minute, second } = time;
    const standIn = standIns.get(calendarKind(year)) ?? FOLD_FROM;
    return offset(ICAL.Time.fromData({ year: standIn, month, day, hour, minute, second, isDate: false }));
  };
}

/** Epoch ms of calendar fields read as UTC, for any year (`Date.UTC` maps 0–99 to 1900–1999). */
function fieldsMs(f: Omit<ZoneChange, 'utcOffset' | 'prevUtcOffset'>): number {
  const date = new Date(0);
  date.setUTCFullYear(f.year, f.month - 1, f.day);
  date.setUTCHours(f.hour, f.minute, f.second, 0);
  return date.getTime();
}

/** The ical.js wall-clock time of epoch ms read as UTC fields. */
function wallAt(ms: number): ICAL.Time {
  const d = new Date(ms);
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const [hour, minute, second] = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  return ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false });
}

/**
 * How to answer times before the zone's earliest transition: with `fallback`'s offsets when
 * it agrees with the zone there (the offset `fallback` has just before that transition is
 * the transition's TZOFFSETFROM: the same zone, not a namesake with other offsets), else
 * with that TZOFFSETFROM.
 */
function earlierOffsets(
  zone: ICAL.Timezone,
  first: ZoneChange,
  fallback: (() => ICAL.Timezone | undefined) | undefined,
): (time: ICAL.Time) => number {
  const own = first.prevUtcOffset;
  try {
    const other = fallback?.();
    if (other !== undefined && other !== zone) {
      // ical.js keeps the transition in UTC; one second earlier, on the wall clock it left.
      const before = wallAt(fieldsMs(first) - 1000 + own * 1000);
      if (other.utcOffset(before) === own) return (time) => other.utcOffset(time);
    }
  } catch {
    // Answered with the zone's own offset below.
  }
  return () => own;
}

/**
 * Makes the zone answer times before its earliest transition — where ical.js answers 0,
 * UTC — with the offsets of `fallback` (the IANA zone of the same or the mapped Windows
 * name), or else the TZOFFSETFROM of that transition: the offset in use before the first
 * observance began (RFC 5545 §3.8.3.3). Outlook and Exchange start their observances in
 * 1601, but other exporters write only recent ones (`DTSTART:20230326T020000`), which put
 * every earlier event in UTC; timezones-ical-library's own zones start in 1970. `fallback`
 * is resolved on first need, once.
 */
function boundEarlyYears(zone: ICAL.Timezone, fallback: (() => ICAL.Timezone | undefined) | undefined): void {
  const offset = zone.utcOffset.bind(zone);
  let earlier: ((time: ICAL.Time) => number) | undefined;
  zone.utcOffset = (time: ICAL.Time): number => {
    // Expands the zone up to `time` first, so that `changes` holds its earliest transition.
    const answer = offset(time);
    const first = zoneChanges(zone)[0];
    // Wall clocks and UTC differ by less than a day: later years need no closer look.
    if (first === undefined || !Number.isSafeInteger(time.year) || time.year > first.year + 1) return answer;
    // ical.js compares the wall time with the transition's UTC time shifted by the smaller
    // of its two offsets, and answers 0 for anything earlier.
    const firstWallMs = fieldsMs(first) + Math.min(first.utcOffset, first.prevUtcOffset) * 1000;
    if (!(fieldsMs(time) < firstWallMs)) return answer;
    earlier ??= earlierOffsets(zone, first, fallback);
    return earlier(time);
  };
}

/**
 * Puts one observance's RRULE on the zone's step budget. ical.js builds an iterator from
 * the rule's `iterator` method for every expansion; this one iterates a copy ending at
 * {@link ZONE_EXPANDED_UNTIL} (ical.js otherwise searches up to the year 20000 for a first
 * match), counts every step, and ends once the budget is spent. It never throws: ical.js
 * gives up on some rules mid-way, which would surface from every offset lookup.
 */
function meterRule(rule: ICAL.Recur, budget: Budget): void {
  rule.iterator = (start: ICAL.Time): ICAL.RecurIterator => {
    const bounded = rule.clone();
    // A spent budget leaves a rule that yields at most its DTSTART, which is then dropped.
    const lastYear = budget.steps > 0 ? ZONE_EXPANDED_UNTIL : start.year;
    if (bounded.until === null || bounded.until.year > lastYear) bounded.until = endOfYear(lastYear);
    let iterator: ICAL.RecurIterator;
    try {
      iterator = bounded.iterator(start);
    } catch {
      // The observance still starts at its DTSTART.
      iterator = ICAL.Recur.fromData({ freq: 'YEARLY', count: 1 }).iterator(start);
    }
    // Years the iterator searched for its first match.
    budget.steps -= Math.max(0, iterator.last.year - start.year);
    const check = iterator.check_contracting_rules.bind(iterator);
    iterator.check_contracting_rules = (): boolean => {
      budget.steps -= 1;
      if (budget.steps >= 0) return check();
      // Ends ical.js's search loop; `next` below drops the candidate.
      iterator.completed = true;
      return true;
    };
    const next = iterator.next.bind(iterator) as Next;
    const metered: Next = (again) => {
      if (budget.steps <= 0) {
        iterator.completed = true;
        return null;
      }
      budget.steps -= 1;
      try {
        const time = next(again);
        return budget.steps < 0 ? null : time;
      } catch {
        iterator.completed = true;
        return null;
      }
    };
    iterator.next = metered as ICAL.RecurIterator['next'];
    return iterator;
  };
}

/**
 * The only way a VTIMEZONE — embedded in an object or from timezones-ical-library — becomes
 * an `ICAL.Timezone` here: undefined when {@link vtimezoneProblem} refuses it; otherwise a
 * zone whose expansion is bounded in years ({@link boundFarYears}) and in steps
 * ({@link meterRule}), so no offset lookup can hang, whatever the definition, and which
 * answers times before its first observance with `fallback`'s offsets or its earliest
 * TZOFFSETFROM ({@link boundEarlyYears}). The zone keeps using `vtimezone` (and patches the
 * RRULE values decoded on it): pass a component that nothing else edits. Never throws.
 */
export function boundedZone(
  vtimezone: ICAL.Component,
  tzid: string,
  fallback?: () => ICAL.Timezone | undefined,
): ICAL.Timezone | undefined {
  if (vtimezoneProblem(vtimezone) !== undefined) return undefined;
  try {
    const zone = new ICAL.Timezone({ component: vtimezone, tzid });
    const budget: Budget = { steps: ZONE_STEP_BUDGET };
    // The same decoded values ical.js reads when it expands (components and values are cached).
    for (const observance of vtimezone.getAllSubcomponents()) {
      const rule = observance.getFirstPropertyValue('rrule');
      if (rule instanceof ICAL.Recur) meterRule(rule, budget);
    }
    boundFarYears(zone);
    boundEarlyYears(zone, fallback);
    return zone;
  } catch {
    return undefined;
  }
}
