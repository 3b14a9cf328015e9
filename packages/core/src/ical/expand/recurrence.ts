import ICAL from 'ical.js';
import type { MasterData } from '../read/prepare.ts';
import { addDurationMs, isValidMs, localDateKey, overlaps, timeToMs } from '../time/time.ts';
import { nominalMsToWall, type WallTime } from '../write/event-time.ts';
import { fastForward } from './fast-forward.ts';
import { lastCountedWallMs, type NextCandidate, periodicCandidates } from './periodic.ts';

/** More than any UTC offset (they stay within ±14 h, ±26 h between two zones' wall clocks). */
const ZONE_SLACK_MS = 27 * 3_600_000;
/** Added to a nominal duration's length for DST changes inside it (they shift by ≤ 2 h). */
const DAY_SLACK_MS = 86_400_000;

/** One instance of the master's recurrence set (DTSTART, RRULE, RDATE minus EXDATE). */
export interface BaseInstance {
  /** Start of the instance, which is also its RECURRENCE-ID. */
  startMs: number;
  endMs: number;
}

/** Which instances to generate, and how much work may be spent on it. */
export interface InstanceQuery {
  /** Keep instances overlapping [fromMs, toMs); generation stops at the first start ≥ toMs. */
  fromMs: number;
  toMs: number;
  /** Each source stops after this many kept instances (the caller keeps the earliest). */
  limit: number;
  /** Rule-evaluation steps allowed in total, shared by all RRULEs of the master. */
  maxSteps: number;
}

/** Generated instances, sorted by start. */
export interface InstanceSet {
  instances: BaseInstance[];
  /**
   * True when every RRULE ran to its natural end; false when generation stopped at
   * `toMs`, at `limit`, on the step budget, or because ical.js failed or stalled.
   */
  complete: boolean;
}

/** The zone of a date-time in a real time zone (not UTC, not floating, not a date). */
function zonedIn(time: ICAL.Time): ICAL.Timezone | undefined {
  const zone = time.zone;
  if (time.isDate || !zone || zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) {
    return undefined;
  }
  return zone;
}

/** The same wall-clock date-time in `zone` (floating: `ICAL.Timezone.localTimezone`). */
function withZone(wall: WallTime, zone: ICAL.Timezone): ICAL.Time {
  const { year, month, day, hour, minute, second } = wall;
  return ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false }, zone);
}

/**
 * For a series whose every RRULE has COUNT and is computed (periodic.ts): an instant no
 * later than the start of the rules' last instance, so that generating the rules' instances
 * from there finds where the series ends without placing every earlier instance in its
 * zone (a two-year daily series: ~700 placements, ~0.4 ms). `undefined` for other series.
 */
export function countedRulesTailMs(master: MasterData): number | undefined {
  const anchor = master.anchor;
  if (anchor === undefined || master.rules.length === 0) return undefined;
  // Rules iterate in floating time for zoned series, as in masterInstances.
  const zone = zonedIn(anchor);
  const start = zone === undefined ? anchor : withZone(anchor, ICAL.Timezone.localTimezone);
  const budget = { steps: 1_000 };
  let lastWallMs = Number.NEGATIVE_INFINITY;
  for (const rule of master.rules) {
    let wallMs: number | undefined;
    try {
      wallMs = lastCountedWallMs(rule, start, budget);
    } catch {
      return undefined;
    }
    if (wallMs === undefined || !isValidMs(wallMs)) return undefined;
    lastWallMs = Math.max(lastWallMs, wallMs);
  }
  // A wall clock read as UTC is within a zone's offset of the instant it names.
  return lastWallMs - ZONE_SLACK_MS;
}

/**
 * Caps the work ical.js may do inside one `RecurIterator.next()` call. For rules that can
 * never match (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`) ical.js loops forever inside `next()`,
 * testing one candidate per loop with `check_contracting_rules`; once the budget is spent
 * the wrapper answers "matches", which ends the loop, and the caller discards the value.
 */
function limitSteps(iterator: ICAL.RecurIterator, budget: { steps: number }): void {
  const check = iterator.check_contracting_rules.bind(iterator);
  iterator.check_contracting_rules = (): boolean => {
    budget.steps -= 1;
    return budget.steps < 0 || check();
  };
}

/**
 * Generates the master's instances that overlap the query window. Iteration starts at
 * DTSTART — or, for rules that repeat with a fixed period (fast-forward.ts), a whole number
 * of periods later, just before the window: starting anywhere else would shift the rule —
 * and runs RRULE iterators directly
 * rather than through `ICAL.RecurExpansion`, which drops DTSTART when only RDATEs are
 * given, repeats an RDATE that is also an RRULE instance, returns PERIOD RDATEs as
 * `Period` objects and can miss EXDATEs that follow unmatched ones. Never throws.
 */
export function masterInstances(
  master: MasterData,
  query: InstanceQuery,
  /** `false`: every rule through ical.js's iterator (the reference the tests compare with). */
  computed = true,
): InstanceSet {
  const kept = new Map<number, BaseInstance>();
  const anchor = master.anchor;
  if (!master.dated || anchor === undefined) return { instances: [], complete: true };
  const { length } = master;
  const endOf = (time: ICAL.Time, startMs: number): number =>
    length.kind === 'exact' ? startMs + length.ms : Math.max(startMs, addDurationMs(time, length.duration));
  const excluded = (time: ICAL.Time, startMs: number): boolean =>
    master.exdateMs.has(startMs) || (master.exdateDays.size > 0 && master.exdateDays.has(localDateKey(time)));
  // Returns whether the instance was kept.
  const consider = (time: ICAL.Time, startMs: number, endMs: number): boolean => {
    if (kept.has(startMs) || excluded(time, startMs)) return false;
    if (!isValidMs(endMs) || !overlaps(startMs, endMs, query.fromMs, query.toMs)) return false;
    kept.set(startMs, { startMs, endMs });
    return true;
  };

  // RFC 5545: DTSTART is always the first instance, whether or not a rule produces it.
  consider(anchor, master.startMs, master.endMs);
  for (const rdate of master.rdates) {
    const startMs = timeToMs(rdate.time);
    if (isValidMs(startMs)) consider(rdate.time, startMs, Math.max(startMs, rdate.endMs ?? endOf(rdate.time, startMs)));
  }

  // Longest an instance can last, when known without zone math.
  const reachMs = length.kind === 'exact' ? length.ms : undefined;
  // Instances starting (wall clock) before this cannot reach the window, whatever the zone:
  // periodic rules start iterating there (fast-forward.ts) instead of at DTSTART.
  const boundMs = length.kind === 'exact' ? length.ms : length.duration.toSeconds() * 1000 + DAY_SLACK_MS;
  const skipToWallMs = query.fromMs - Math.max(0, boundMs) - ZONE_SLACK_MS;
  let complete = true;
  const budget = { steps: query.maxSteps };
  const zone = zonedIn(anchor);
  for (const rule of master.rules) {
    let next: NextCandidate;
    // ical.js's iterator compares every candidate with DTSTART, UNTIL and the previous one
    // through `toUnixTime`, which for a zoned time searches the zone's transitions each
    // time. Rules run on wall-clock time anyway (RFC 5545 §3.3.10), so a zoned series is
    // iterated in floating time and only kept instances are placed in their zone. UNTIL
    // (an instant) is given to the iterator with slack and applied exactly here.
    let untilMs = Number.POSITIVE_INFINITY;
    try {
      let iterRule = rule;
      let start = anchor;
      if (zone !== undefined) {
        if (rule.until !== null) {
          untilMs = rule.until.toUnixTime() * 1000;
          iterRule = rule.clone();
          iterRule.until = withZone(nominalMsToWall(untilMs + ZONE_SLACK_MS), ICAL.Timezone.localTimezone);
        }
        start = withZone(anchor, ICAL.Timezone.localTimezone);
      }
      // Rules periodic in days are computed (periodic.ts), the others iterated.
      const computedNext = computed ? periodicCandidates(iterRule, start, skipToWallMs, budget) : undefined;
      if (computedNext) next = computedNext;
      else {
        const iterator = iterRule.iterator(fastForward(iterRule, start, skipToWallMs) ?? start.clone());
        limitSteps(iterator, budget);
        next = () => iterator.next();
      }
    } catch {
      complete = false;
      continue;
    }
    let lastWallMs = Number.NEGATIVE_INFINITY;
    let found = 0;
    for (;;) {
      if (budget.steps <= 0 || found >= query.limit) {
        complete = false;
        break;
      }
      budget.steps -= 1;
      let time: ICAL.Time | null;
      try {
        time = next();
      } catch {
        // ical.js gives up on some rules mid-way ("Same occurrence found twice" …).
        complete = false;
        break;
      }
      if (time === null) break;
      // Rule iterators advance in wall-clock time; the exact instant can repeat (a DST
      // gap maps two wall times to one instant), so progress is judged on the wall clock.
      const wallMs = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
      // A spent budget makes `next()` return a non-matching candidate; a stalled
      // iterator would repeat itself forever.
      if (budget.steps < 0 || !(wallMs > lastWallMs) || !isValidMs(wallMs) || wallMs - ZONE_SLACK_MS >= query.toMs) {
        complete = false;
        break;
      }
      lastWallMs = wallMs;
      // Zone math is the costly part of a step: skip it for instances that end far
      // before the window whatever the zone's offset.
      if (reachMs !== undefined && wallMs + reachMs + ZONE_SLACK_MS < query.fromMs) continue;
      const placed = zone === undefined ? time : withZone(time, zone);
      const startMs = timeToMs(placed);
      if (startMs > untilMs) break;
      if (startMs >= query.toMs) {
        complete = false;
        break;
      }
      // `next()` reuses its Time object, so the end is computed before the next call.
      if (consider(placed, startMs, endOf(placed, startMs))) found += 1;
    }
  }
  const instances = [...kept.values()].sort((a, b) => a.startMs - b.startMs);
  return { instances, complete };
}
