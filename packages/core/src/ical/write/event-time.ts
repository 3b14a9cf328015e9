import ICAL from 'ical.js';
import type { JProperty } from '../read/document.ts';
import { failInput, type Result } from '../result.ts';
import { DAY_MS } from '../time/time.ts';

/**
 * How a date value is written: a DATE, a UTC DATE-TIME (`…Z`), a DATE-TIME with TZID
 * (`zone` undefined when the TZID cannot be resolved: it is then read as floating, like
 * `prepareObject` does) or a floating DATE-TIME.
 */
export type TimeStyle =
  | { readonly kind: 'date' }
  | { readonly kind: 'utc' }
  | { readonly kind: 'floating' }
  | { readonly kind: 'zoned'; readonly tzid: string; readonly zone: ICAL.Timezone | undefined };

/** Calendar fields of a wall-clock time (month 1–12). Dates have zero time fields. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The style of an existing value, read from its decoded time and TZID parameter. */
export function styleOfTime(time: ICAL.Time, tzid: unknown): TimeStyle {
  if (time.isDate) return { kind: 'date' };
  if (typeof tzid === 'string' && tzid !== '') {
    const zone = time.zone;
    const resolved = zone !== undefined && zone !== ICAL.Timezone.localTimezone && zone.tzid !== 'floating';
    return { kind: 'zoned', tzid, zone: resolved ? zone : undefined };
  }
  return time.zone === ICAL.Timezone.utcTimezone ? { kind: 'utc' } : { kind: 'floating' };
}

/** True when two styles write values the same way. */
export function sameStyle(a: TimeStyle, b: TimeStyle): boolean {
  return a.kind === b.kind && (a.kind !== 'zoned' || (b.kind === 'zoned' && a.tzid === b.tzid));
}

function utcFields(ms: number, date: boolean): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: date ? 0 : d.getUTCHours(),
    minute: date ? 0 : d.getUTCMinutes(),
    second: date ? 0 : d.getUTCSeconds(),
  };
}

/** Wall-clock fields as if they were UTC: for arithmetic on the wall clock. */
export function wallToNominalMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The inverse of {@link wallToNominalMs}. */
export function nominalMsToWall(ms: number, date = false): WallTime {
  return utcFields(ms, date);
}

/** The wall-clock time (the date, for dates) an instant has when written in `style`. */
export function msToWall(ms: number, style: TimeStyle): WallTime {
  if (style.kind !== 'zoned' || style.zone === undefined) return utcFields(ms, style.kind === 'date');
  const f = utcFields(ms, false);
  const local = ICAL.Time.fromData({ ...f, isDate: false }, ICAL.Timezone.utcTimezone).convertToZone(style.zone);
  return {
    year: local.year,
    month: local.month,
    day: local.day,
    hour: local.hour,
    minute: local.minute,
    second: local.second,
  };
}

/** The instant (UTC midnight for dates) a wall-clock time written in `style` stands for. */
export function wallToMs(wall: WallTime, style: TimeStyle): number {
  if (style.kind === 'date') return Date.UTC(wall.year, wall.month - 1, wall.day);
  if (style.kind !== 'zoned' || style.zone === undefined) return wallToNominalMs(wall);
  return ICAL.Time.fromData({ ...wall, isDate: false }, style.zone).toUnixTime() * 1000;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The jCal value text of a wall time in `style` (`2026-12-10T10:00:00`, `…Z`, `2026-12-10`). */
export function jcalValue(wall: WallTime, style: TimeStyle): string {
  const date = `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
  if (style.kind === 'date') return date;
  const time = `${date}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
  return style.kind === 'utc' ? `${time}Z` : time;
}

/** The iCalendar text of a value (`20261210T100000`, `…Z`, `20261210`), e.g. for UIDs. */
export function icalValue(wall: WallTime, style: TimeStyle): string {
  return jcalValue(wall, style).replace(/[-:]/g, '');
}

/** A date or date-time property (`DTSTART;TZID=…:…`) with the given values in `style`. */
export function timeProperty(name: string, walls: readonly WallTime[], style: TimeStyle): JProperty {
  const params: Record<string, unknown> = style.kind === 'zoned' ? { tzid: style.tzid } : {};
  const type = style.kind === 'date' ? 'date' : 'date-time';
  return [name, params, type, ...walls.map((wall) => jcalValue(wall, style))];
}

/** A UTC DATE-TIME property for `ms` (DTSTAMP, LAST-MODIFIED, CREATED). */
export function stampProperty(name: string, ms: number): JProperty {
  return timeProperty(name, [utcFields(ms, false)], { kind: 'utc' });
}

/** Adds whole days to a date on the wall clock. */
export function addDays(wall: WallTime, days: number): WallTime {
  return utcFields(wallToNominalMs(wall) + days * DAY_MS, true);
}

/** A time the caller gave: an instant, or a wall-clock time/date without UTC offset. */
export type TimeInput = { kind: 'instant'; ms: number } | { kind: 'wall'; wall: WallTime; dateOnly: boolean };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/**
 * Reads an ISO 8601 string or a Date. Strings with `Z` or an offset, and Dates, are instants
 * (fractions of a second are dropped); strings without offset are wall-clock times, or dates
 * (`YYYY-MM-DD`). Fails with `invalid-input` for anything else, including impossible dates.
 */
export function parseTimeInput(value: unknown, what: string): Result<{ input: TimeInput }> {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) return failInput(`${what} is an invalid Date.`);
    return { ok: true, input: { kind: 'instant', ms: Math.floor(ms / 1000) * 1000 } };
  }
  if (typeof value !== 'string') return failInput(`${what} must be an ISO 8601 string or a Date.`);
  const match = ISO.exec(value.trim());
  if (match === null) return failInput(`${what} is not an ISO 8601 date or date-time: "${value}".`);
  const num = (i: number): number => Number(match[i] ?? 0);
  const wall: WallTime = { year: num(1), month: num(2), day: num(3), hour: num(4), minute: num(5), second: num(6) };
  const ms = wallToNominalMs(wall);
  const back = utcFields(ms, false);
  if (
    wall.year < 1 ||
    back.year !== wall.year ||
    back.month !== wall.month ||
    back.day !== wall.day ||
    back.hour !== wall.hour ||
    back.minute !== wall.minute
  ) {
    return failInput(`${what} is not a valid date: "${value}".`);
  }
  if (match[4] === undefined) return { ok: true, input: { kind: 'wall', wall, dateOnly: true } };
  if (match[7] !== undefined) return { ok: true, input: { kind: 'instant', ms } };
  if (match[8] !== undefined) {
    const offset = (num(9) * 60 + num(10)) * 60_000;
    return { ok: true, input: { kind: 'instant', ms: match[8] === '+' ? ms - offset : ms + offset } };
  }
  return { ok: true, input: { kind: 'wall', wall, dateOnly: false } };
}

/**
 * Places a parsed input in `style`: dates take a `YYYY-MM-DD` or an instant's UTC date;
 * zoned times take an instant (converted) or a wall time; UTC takes only instants and
 * floating only wall times. Fails with `invalid-input` when the input does not fit.
 */
export function resolveInput(input: TimeInput, style: TimeStyle, what: string): Result<{ wall: WallTime }> {
  if (style.kind === 'date') {
    if (input.kind === 'instant') return { ok: true, wall: utcFields(input.ms, true) };
    if (input.dateOnly) return { ok: true, wall: input.wall };
    return failInput(`${what} of an all-day event must be a date (YYYY-MM-DD) or a Date.`);
  }
  if (input.kind === 'wall' && input.dateOnly) return failInput(`${what} needs a time of day (YYYY-MM-DDTHH:mm:ss…).`);
  if (input.kind === 'instant') {
    return { ok: true, wall: style.kind === 'floating' ? utcFields(input.ms, false) : msToWall(input.ms, style) };
  }
  if (style.kind === 'utc') return failInput(`${what} has no UTC offset; add one (Z, +01:00) or give a timezone.`);
  return { ok: true, wall: input.wall };
}
