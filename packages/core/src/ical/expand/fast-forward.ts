import type ICAL from 'ical.js';

const DAY_MS = 86_400_000;
/** RFC 5545 weekday names in `ICAL.Time#dayOfWeek()` order (1 = Sunday). */
export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/**
 * How far a rule's iteration may start past DTSTART without changing what it generates:
 * a whole number of its periods (in days), or `undefined` when no shift is safe.
 *
 * ical.js's rule iterators can only start at a DTSTART and step through every earlier
 * instance to reach a window: a daily stand-up begun five years ago costs ~1,800 steps for
 * each month shown. A rule whose instances repeat with a fixed period of wall-clock days —
 * DAILY or WEEKLY, no COUNT (it counts from DTSTART), no BY-part but a plain BYDAY, and
 * DTSTART one of its own instances — generates, from DTSTART + k periods, exactly the
 * instances it generates from DTSTART that are not earlier. The period is INTERVAL weeks
 * for WEEKLY (week boundaries move with it, whatever WKST), INTERVAL days for DAILY, and
 * for DAILY with BYDAY the least multiple of INTERVAL days that is whole weeks.
 */
export function rulePeriodDays(rule: ICAL.Recur, start: ICAL.Time, countable = false): number | undefined {
  // COUNT counts from DTSTART: an iteration started later cannot count; computed
  // candidates (periodic.ts) can (`countable`).
  if (!countable && rule.count !== null && rule.count !== undefined) return undefined;
  const interval = rule.interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1) return undefined;
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  for (const [name, values] of Object.entries(parts)) {
    if (values === undefined || values.length === 0) continue;
    if (name !== 'BYDAY') return undefined;
  }
  const byDay = parts.BYDAY as string[] | undefined;
  if (byDay?.length) {
    // Plain weekdays only ("1MO" and the like are not periodic in days), and DTSTART
    // must be one of them: else it is an instance only because it is DTSTART.
    if (!byDay.every((d) => (WEEKDAYS as readonly string[]).includes(d))) return undefined;
    const weekday = WEEKDAYS[start.dayOfWeek() - 1];
    if (weekday === undefined || !byDay.includes(weekday)) return undefined;
  }
  if (rule.freq === 'WEEKLY') return 7 * interval;
  if (rule.freq === 'DAILY') return byDay?.length ? leastCommonMultiple(interval, 7) : interval;
  return undefined;
}

/**
 * The latest start, a whole number of the rule's periods after `start`, whose wall clock
 * is at or before `targetWallMs` — where iteration may begin to reach instances from
 * there on. `undefined`: start at `start` (no safe shift, or not even one period to skip).
 */
export function fastForward(rule: ICAL.Recur, start: ICAL.Time, targetWallMs: number): ICAL.Time | undefined {
  const period = rulePeriodDays(rule, start);
  if (period === undefined) return undefined;
  const startWallMs = Date.UTC(start.year, start.month - 1, start.day, start.hour, start.minute, start.second);
  const periods = Math.floor((targetWallMs - startWallMs) / (period * DAY_MS));
  if (!Number.isFinite(periods) || periods < 1) return undefined;
  const shifted = start.clone();
  shifted.adjust(periods * period, 0, 0, 0);
  return shifted;
}

function leastCommonMultiple(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}
