import { failInput, type Result } from '../result.ts';
import { DAY_MS } from '../time/time.ts';
import { ensureZone } from '../time/timezones.ts';
import {
  addDays,
  msToWall,
  parseTimeInput,
  resolveInput,
  type TimeInput,
  type TimeStyle,
  type WallTime,
  wallToMs,
} from './event-time.ts';

/** Start and end of an existing component, as read by the caller. */
export interface CurrentTimes {
  startMs: number;
  startWall: WallTime;
  style: TimeStyle;
  /** End instant (DTEND, DTSTART+DURATION, or the RFC 5545 default). */
  endMs: number;
  /** How the end is written: DTEND, DURATION, or not at all. */
  endKind: 'dtend' | 'duration' | 'none';
}

/** What the caller asked for; `undefined` means "unchanged". */
export interface TimeRequest {
  start?: unknown;
  end?: unknown;
  allDay?: unknown;
  timezone?: unknown;
}

/** New DTSTART and DTEND; `end: 'keep'` leaves DURATION (or the absent end) as it is. */
export interface ResolvedTimes {
  style: TimeStyle;
  start: WallTime;
  startMs: number;
  end: WallTime | 'keep';
}

const HOUR_MS = 3_600_000;

function targetStyle(
  request: TimeRequest,
  current: CurrentTimes | undefined,
  allDay: boolean,
  inputs: TimeInput[],
): Result<{ style: TimeStyle }> {
  if (allDay) return { ok: true, style: { kind: 'date' } };
  if (request.timezone !== undefined && request.timezone !== null) {
    if (typeof request.timezone !== 'string') return failInput('timezone must be a string or null.');
    const zone = ensureZone(request.timezone);
    // Only zones timezones-ical-library knows (by IANA, alias or Windows name) are written,
    // under their canonical IANA name, so that a VTIMEZONE can be emitted for them.
    if (zone === undefined || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone.tzid)) {
      return failInput(`Unknown time zone "${request.timezone}".`);
    }
    ensureZone(zone.tzid);
    return { ok: true, style: { kind: 'zoned', tzid: zone.tzid, zone } };
  }
  const style = current?.style;
  if (request.timezone === undefined && style?.kind === 'zoned') return { ok: true, style };
  const anyInstant = inputs.some((input) => input.kind === 'instant');
  if (request.timezone === undefined && style?.kind === 'floating' && !anyInstant) return { ok: true, style };
  return { ok: true, style: { kind: 'utc' } };
}

function startOf(
  input: TimeInput | undefined,
  current: CurrentTimes | undefined,
  style: TimeStyle,
  allDay: boolean,
): Result<{ start: WallTime }> {
  if (input !== undefined) {
    const placed = resolveInput(input, style, 'start');
    return placed.ok ? { ok: true, start: placed.wall } : placed;
  }
  if (current === undefined) return failInput('start is required.');
  const wasAllDay = current.style.kind === 'date';
  if (wasAllDay && !allDay) return failInput('start is required when an all-day event becomes timed.');
  if (allDay) return { ok: true, start: { ...current.startWall, hour: 0, minute: 0, second: 0 } };
  return { ok: true, start: msToWall(current.startMs, style) };
}

/** The new end; `'keep'` when DURATION (or the absent end) stays as it is. */
function endOf(
  input: TimeInput | undefined,
  current: CurrentTimes | undefined,
  style: TimeStyle,
  start: WallTime,
  startMs: number,
): Result<{ end: WallTime | 'keep' }> {
  if (input !== undefined) {
    const placed = resolveInput(input, style, 'end');
    return placed.ok ? { ok: true, end: placed.wall } : placed;
  }
  if (current === undefined) return failInput('end is required.');
  const allDay = style.kind === 'date';
  if (allDay !== (current.style.kind === 'date')) {
    // Switching between all-day and timed without an end: one day, or one hour.
    return { ok: true, end: allDay ? addDays(start, 1) : msToWall(startMs + HOUR_MS, style) };
  }
  // DURATION moves with DTSTART; an event without end stays without one.
  if (current.endKind !== 'dtend') return { ok: true, end: 'keep' };
  const lengthMs = current.endMs - current.startMs;
  if (allDay) return { ok: true, end: addDays(start, Math.max(1, Math.round(lengthMs / DAY_MS))) };
  return { ok: true, end: msToWall(startMs + lengthMs, style) };
}

/**
 * Works out DTSTART/DTEND from a create input or a patch over the current values.
 *
 * - `allDay` (default: as now) gives DATE values; otherwise `timezone` (default: the
 *   current TZID; `null` drops it) gives TZID wall times, and without one, UTC.
 * - Without a new start, the start instant stays (re-expressed in a new zone); a timed
 *   event becoming all-day keeps its date. Without a new end, the length stays; switching
 *   all-day ↔ timed without an end gives one day / one hour.
 * - End must be after start (all-day: a later date; DTEND is exclusive).
 *
 * Fails with `invalid-input` for invalid input.
 */
export function resolveTimes(
  request: TimeRequest,
  current: CurrentTimes | undefined,
): Result<{ times: ResolvedTimes }> {
  if (request.allDay !== undefined && typeof request.allDay !== 'boolean') {
    return failInput('allDay must be a boolean.');
  }
  const allDay = request.allDay ?? current?.style.kind === 'date';
  const inputs: Array<TimeInput | undefined> = [];
  for (const [value, what] of [
    [request.start, 'start'],
    [request.end, 'end'],
  ] as const) {
    if (value === undefined) {
      inputs.push(undefined);
      continue;
    }
    const parsed = parseTimeInput(value, what);
    if (!parsed.ok) return parsed;
    inputs.push(parsed.input);
  }
  const [startInput, endInput] = inputs;
  const target = targetStyle(
    request,
    current,
    allDay,
    inputs.filter((i) => i !== undefined),
  );
  if (!target.ok) return target;
  const { style } = target;
  const startResult = startOf(startInput, current, style, allDay);
  if (!startResult.ok) return startResult;
  const { start } = startResult;
  const startMs = wallToMs(start, style);
  const endResult = endOf(endInput, current, style, start, startMs);
  if (!endResult.ok) return endResult;
  const { end } = endResult;
  if (end !== 'keep' && !(wallToMs(end, style) > startMs)) {
    return failInput(
      allDay ? 'end must be a date after start (the end date is exclusive).' : 'end must be after start.',
    );
  }
  return { ok: true, times: { style, start, startMs, end } };
}
