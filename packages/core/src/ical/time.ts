import ICAL from 'ical.js';

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
  const offset = dayOffset(zone, time.year, time.month, time.day);
  if (offset === undefined) return time.toUnixTime() * 1000;
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second) - offset;
}

/** Per zone: the UTC offset (ms) of each wall-clock day seen, or NaN for a day it changes. */
const dayOffsets = new WeakMap<ICAL.Timezone, Map<number, number>>();

/**
 * The zone's UTC offset on a whole day, when it holds all day long; undefined on a day
 * the offset changes (DST), where ical.js's own rules for skipped and repeated hours apply.
 * ical.js finds an offset by searching the zone's transitions and building `Time` objects
 * (~13 µs); converting 10,000 DTSTARTs and DTENDs of a first sync spends ~135 ms there,
 * while they fall on a few hundred distinct days.
 */
function dayOffset(zone: ICAL.Timezone, year: number, month: number, day: number): number | undefined {
  let days = dayOffsets.get(zone);
  if (!days) {
    days = new Map();
    dayOffsets.set(zone, days);
  }
  const key = (year * 100 + month) * 100 + day;
  let offset = days.get(key);
  if (offset === undefined) {
    const at = (hour: number, minute: number, second: number) =>
      zone.utcOffset(ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false }));
    const first = at(0, 0, 0);
    offset = first === at(23, 59, 59) ? first * 1000 : Number.NaN;
    days.set(key, offset);
  }
  return Number.isNaN(offset) ? undefined : offset;
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
