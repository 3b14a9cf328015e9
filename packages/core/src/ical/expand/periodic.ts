import ICAL from 'ical.js';
import { rulePeriodDays, WEEKDAYS } from './fast-forward.ts';

const DAY_MS = 86_400_000;

/** A rule's candidates, as ical.js's `RecurIterator.next()` gives them: null once done. */
export type NextCandidate = () => ICAL.Time | null;

function wallMsOf(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

/**
 * The candidates of a rule periodic in days (fast-forward.ts: DAILY or WEEKLY, a plain
 * BYDAY that DTSTART matches; COUNT allowed), from the last whole period at or before
 * `skipToWallMs`, computed instead of iterated: ical.js is asked once for the instances of
 * the first period (their offsets from DTSTART), and every later period repeats them. The
 * same wall-clock times in the same order as the iterator, with UNTIL applied as it applies
 * it (`Time.compare`, which for UTC and floating times is their wall clock) and COUNT as it
 * counts (every candidate from DTSTART on, EXDATEs included). An iterator
 * step costs ical.js ~2–5 µs of date arithmetic and rule checks; this is a few additions.
 *
 * `undefined` when the rule is not periodic, `start` is not UTC or floating (a zone's
 * offset would enter the comparison with UNTIL), or ical.js fails on the first period:
 * the caller iterates then.
 */
export function periodicCandidates(
  rule: ICAL.Recur,
  start: ICAL.Time,
  skipToWallMs: number,
  budget: { steps: number },
): NextCandidate | undefined {
  const shape = periodicShape(rule, start, budget);
  if (shape === undefined) return undefined;
  const { periodMs, startWallMs, offsets } = shape;
  const untilS = rule.until === null ? Number.POSITIVE_INFINITY : rule.until.toUnixTime();
  const count = rule.count === null || rule.count === undefined ? Number.POSITIVE_INFINITY : rule.count;
  const { zone, isDate } = start;
  const skipped = Math.floor((skipToWallMs - startWallMs) / periodMs);
  const firstPeriod = Number.isFinite(skipped) && skipped > 0 ? skipped : 0;
  let periodStartMs = startWallMs + firstPeriod * periodMs;
  // The number, counted from DTSTART, of the next candidate.
  let number = firstPeriod * offsets.length;
  let at = 0;
  let done = false;
  return () => {
    if (done) return null;
    if (number >= count) {
      done = true;
      return null;
    }
    number += 1;
    const wallMs = periodStartMs + (offsets[at] as number);
    at += 1;
    if (at === offsets.length) {
      at = 0;
      periodStartMs += periodMs;
    }
    // UTC and floating times compare by their wall clock as seconds (their offset is 0).
    if (wallMs / 1000 > untilS) {
      done = true;
      return null;
    }
    const d = new Date(wallMs);
    return ICAL.Time.fromData(
      {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
        isDate,
      },
      zone,
    );
  };
}

/** A periodic rule's first-period instances: the rest repeat them every `periodMs`. */
interface PeriodicShape {
  readonly periodMs: number;
  /** DTSTART's wall clock, as if it were UTC. */
  readonly startWallMs: number;
  /** Wall-clock ms after DTSTART of the instances in the first period, ascending, never empty. */
  readonly offsets: readonly number[];
}

/** The shape of a rule {@link periodicCandidates} can compute, `undefined` for the others. */
function periodicShape(rule: ICAL.Recur, start: ICAL.Time, budget: { steps: number }): PeriodicShape | undefined {
  if (start.zone !== ICAL.Timezone.utcTimezone && start.zone !== ICAL.Timezone.localTimezone) return undefined;
  const period = rulePeriodDays(rule, start, true);
  if (period === undefined) return undefined;
  const periodMs = period * DAY_MS;
  const startWallMs = wallMsOf(start);
  const offsets = firstPeriodOffsets(rule, start, startWallMs, periodMs, budget);
  if (offsets === undefined || offsets.length === 0) return undefined;
  return { periodMs, startWallMs, offsets };
}

/**
 * The wall clock (as if UTC) of the last candidate of a COUNT rule without UNTIL that
 * {@link periodicCandidates} can compute — the COUNT-th from DTSTART, EXDATEs included —
 * without generating the ones before it; `undefined` for other rules.
 */
export function lastCountedWallMs(rule: ICAL.Recur, start: ICAL.Time, budget: { steps: number }): number | undefined {
  const count = rule.count;
  if (count === null || count === undefined || !(count >= 1) || rule.until !== null) return undefined;
  const shape = periodicShape(rule, start, budget);
  if (shape === undefined) return undefined;
  const { periodMs, startWallMs, offsets } = shape;
  const last = Math.floor(count) - 1;
  return startWallMs + Math.floor(last / offsets.length) * periodMs + (offsets[last % offsets.length] as number);
}

/**
 * Offsets (wall-clock ms after DTSTART) of the rule's instances in its first period, from
 * ical.js itself, UNTIL and COUNT aside (applied per candidate); `undefined` if ical.js
 * fails or the budget runs out.
 */
function firstPeriodOffsets(
  rule: ICAL.Recur,
  start: ICAL.Time,
  startWallMs: number,
  periodMs: number,
  budget: { steps: number },
): number[] | undefined {
  const plain = plainOffsets(rule, start, periodMs);
  if (plain !== undefined) return plain;
  const unbounded = rule.clone();
  unbounded.until = null;
  unbounded.count = null;
  const offsets: number[] = [];
  try {
    const iterator = unbounded.iterator(start.clone());
    // At most one instance per day of the period, plus the one that ends it.
    for (let steps = 0; steps <= periodMs / DAY_MS + 1; steps++) {
      budget.steps -= 1;
      if (budget.steps < 0) return undefined;
      const time = iterator.next();
      if (time === null) return undefined;
      const offset = wallMsOf(time) - startWallMs;
      if (offset >= periodMs) return offsets;
      if (offsets.length > 0 && !(offset > (offsets[offsets.length - 1] as number))) return undefined;
      offsets.push(offset);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The first period's offsets where they follow from the rule's text alone (creating an
 * ical.js iterator costs more than the rest of a month's expansion of a series): one
 * instance per period without BYDAY (DTSTART's weekday), and with BYDAY and INTERVAL=1
 * each listed weekday once a week (week boundaries, WKST, matter only for larger
 * intervals). `undefined`: ask ical.js.
 */
function plainOffsets(rule: ICAL.Recur, start: ICAL.Time, periodMs: number): number[] | undefined {
  const byDay = (rule.parts as Record<string, string[] | undefined>).BYDAY;
  if (byDay === undefined || byDay.length === 0) return [0];
  if ((rule.interval ?? 1) !== 1 || periodMs !== 7 * DAY_MS) return undefined;
  const startDay = start.dayOfWeek() - 1;
  const days = new Set<number>();
  for (const day of byDay) {
    const index = (WEEKDAYS as readonly string[]).indexOf(day);
    if (index < 0) return undefined;
    days.add((index - startDay + 7) % 7);
  }
  return [...days].sort((a, b) => a - b).map((days) => days * DAY_MS);
}
