import ICAL from 'ical.js';
import { zoneChanges } from './zone-changes.ts';

/** One day in ms; all-day values live on UTC midnights, so day arithmetic is exact. */
export const DAY_MS = 86_400_000;

/** Longest day count added with wall-clock (nominal) arithmetic. */
const MAX_NOMINAL_DAYS = 400 * 366;

/** Largest |epoch ms| a JS Date accepts; beyond it `toISOString` throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * Epoch ms of an ical.js time. Date values map to UTC midnight; floating times are read
 * as UTC. `toUnixTime` uses ical.js's own zone math, unlike `toJSDate`, which reads
 * floating times in the process's local zone.
 */
export function timeToMs(time: ICAL.Time): number {
  if (time.isDate) return Date.UTC(time.year, time.month - 1, time.day);
  const zone = time.zone;
  if (!zone || zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) {
    return time.toUnixTime() * 1000;
  }
  return zonedWallMs(zone, time, () => time.toUnixTime() * 1000);
}

/** A wall-clock date-time in a real zone, as {@link timeToMs} reads it (`fallback`: ical.js's own conversion). */
export function zonedWallMs(
  zone: ICAL.Timezone,
  wall: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  fallback: () => number,
): number {
  const day = zoneDay(zone, wall.year, wall.month, wall.day);
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  if (typeof day === 'number') return wallMs - day;
  if (day === undefined) return fallback();
  return onChangeDay(wallMs, day);
}

/** A day on which a zone's offset changes: the offsets before and after (ms), and when (epoch ms). */
interface ChangeDay {
  readonly before: number;
  readonly after: number;
  readonly at: number;
}

/**
 * A wall-clock time on a day the offset changes, as RFC 5545 §3.3.5 reads it: a time that
 * does not exist (skipped by a spring-forward) takes the offset before the gap — New York
 * 2007-03-11 02:30 is 07:30Z (03:30 EDT); a time that occurs twice (a fall-back) is its first
 * occurrence — 2007-11-04 01:30 is 05:30Z (EDT). ical.js gets both the other way round
 * (its `utcOffset` has `want_daylight = false; // TODO`).
 */
function onChangeDay(wall: number, day: ChangeDay): number {
  if (day.after > day.before) {
    const after = wall - day.after;
    return after >= day.at ? after : wall - day.before;
  }
  const before = wall - day.before;
  return before < day.at ? before : wall - day.after;
}

/** Per zone: the UTC offset (ms) of each wall-clock day seen, or how it changes that day. */
const zoneDays = new WeakMap<ICAL.Timezone, Map<number, number | ChangeDay | null>>();

/**
 * The zone's UTC offset on a whole day, when it holds all day long; on a day the offset
 * changes (DST), the offsets around the change and its instant; undefined when the change
 * cannot be located (then ical.js's own rules apply). ical.js finds an offset by searching
 * the zone's transitions and building `Time` objects (~13 µs); converting 10,000 DTSTARTs
 * and DTENDs of a first sync spends ~135 ms there, while they fall on a few hundred
 * distinct days.
 */
function zoneDay(zone: ICAL.Timezone, year: number, month: number, day: number): number | ChangeDay | undefined {
  let days = zoneDays.get(zone);
  if (!days) {
    days = new Map();
    zoneDays.set(zone, days);
  }
  const key = (year * 100 + month) * 100 + day;
  let known = days.get(key);
  if (known === undefined) {
    const at = (hour: number, minute: number, second: number) =>
      zone.utcOffset(ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false })) * 1000;
    const before = at(0, 0, 0);
    const after = at(23, 59, 59);
    if (before === after) known = before;
    else {
      const change = changeInstant(zone, Date.UTC(year, month - 1, day), before, after);
      known = change === undefined ? null : { before, after, at: change };
    }
    days.set(key, known);
  }
  return known ?? undefined;
}

/** The instant (epoch ms) of the zone's change from `before` to `after` on the local day starting at `dayStart`. */
function changeInstant(zone: ICAL.Timezone, dayStart: number, before: number, after: number): number | undefined {
  // `changes` is ical.js's list of expanded transitions, filled for this year by the
  // `utcOffset` calls just made.
  for (const change of zoneChanges(zone)) {
    if (change.prevUtcOffset * 1000 !== before || change.utcOffset * 1000 !== after) continue;
    const instant = Date.UTC(change.year, change.month - 1, change.day, change.hour, change.minute, change.second);
    const local = instant + before;
    if (local >= dayStart && local < dayStart + DAY_MS) return instant;
  }
  return undefined;
}

/** True when `ms` can be turned into an ISO string. */
export function isValidMs(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

/** `YYYY-MM-DD` for all-day values, full UTC ISO otherwise. Callers check `isValidMs` first. */
export function msToIso(ms: number, allDay: boolean): string {
  const iso = new Date(ms).toISOString();
  return allDay ? iso.slice(0, 10) : iso;
}

/** The wall-clock date of a time in its own zone, as `YYYY-MM-DD` (for date-only EXDATEs). */
export function localDateKey(time: ICAL.Time): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(time.year, 4)}-${pad(time.month, 2)}-${pad(time.day, 2)}`;
}

/**
 * Adds an RFC 5545 duration: weeks and days are nominal (same wall-clock time on the
 * target day, so a P1D event keeps its local time across a DST change), hours and
 * smaller are exact.
 */
export function addDurationMs(start: ICAL.Time, duration: ICAL.Duration): number {
  const sign = duration.isNegative ? -1 : 1;
  const days = sign * (duration.weeks * 7 + duration.days);
  const exactMs = sign * (duration.hours * 3600 + duration.minutes * 60 + duration.seconds) * 1000;
  // ical.js normalises day overflow one month at a time, so a huge DURATION
  // (P999999999999999999W) would spin for ages; beyond ~400 years DST is noise anyway.
  if (days === 0 || Math.abs(days) > MAX_NOMINAL_DAYS) return timeToMs(start) + days * DAY_MS + exactMs;
  const shifted = start.clone();
  shifted.adjust(days, 0, 0, 0);
  return timeToMs(shifted) + exactMs;
}

/**
 * Whether an instance touches the half-open window [fromMs, toMs). A zero-length instance
 * (a timed event without DTEND) touches the window when its instant lies inside it, so it
 * is not lost between two adjacent windows.
 */
export function overlaps(startMs: number, endMs: number, fromMs: number, toMs: number): boolean {
  if (startMs >= toMs) return false;
  return endMs > fromMs || (endMs === startMs && startMs >= fromMs);
}
