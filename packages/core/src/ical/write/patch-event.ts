import ICAL from 'ical.js';
import type { EventPatch } from '../../api/types.ts';
import type { JComponent, JProperty } from '../read/document.ts';
import { firstProperty, removeProperties, setProperty, type ValueReader } from '../read/jcal.ts';
import { failInput, type Result } from '../result.ts';
import { addDurationMs, DAY_MS, timeToMs } from '../time/time.ts';
import {
  addDays,
  jcalValue,
  msToWall,
  nominalMsToWall,
  styleOfTime,
  type TimeStyle,
  timeProperty,
  type WallTime,
  wallToMs,
  wallToNominalMs,
} from './event-time.ts';
import { type CurrentTimes, resolveTimes } from './event-times.ts';

/** DTSTART before and after a patch that rewrote it. */
export interface StartChange {
  before: { wall: WallTime; style: TimeStyle; ms: number };
  after: { wall: WallTime; style: TimeStyle; ms: number };
}

/** Outcome of {@link applyPatch}: how DTSTART changed (`undefined`: not rewritten), or an `invalid-input` error. */
export type PatchResult = Result<{ start: StartChange | undefined }>;

/** Reads DTSTART and the end of a component. Fails with `invalid-input` when DTSTART is unusable. */
export function currentTimes(reader: ValueReader, component: JComponent): Result<{ times: CurrentTimes }> {
  const dtstart = firstProperty(component, 'dtstart');
  const start = reader.time(component, 'dtstart');
  if (dtstart === undefined || start === undefined) return failInput('The event has no usable DTSTART.');
  const style = styleOfTime(start, dtstart[1].tzid);
  const startMs = timeToMs(start);
  const startWall = {
    year: start.year,
    month: start.month,
    day: start.day,
    hour: start.hour,
    minute: start.minute,
    second: start.second,
  };
  const known = { startMs, startWall, style };
  const end = reader.time(component, 'dtend');
  if (end !== undefined) return { ok: true, times: { ...known, endMs: timeToMs(end), endKind: 'dtend' } };
  const duration = firstProperty(component, 'duration');
  if (duration !== undefined) {
    const value = reader.property(component, duration).getFirstValue();
    if (value instanceof ICAL.Duration) {
      return { ok: true, times: { ...known, endMs: addDurationMs(start, value), endKind: 'duration' } };
    }
  }
  return { ok: true, times: { ...known, endMs: startMs + (start.isDate ? DAY_MS : 0), endKind: 'none' } };
}

/** Sets a TEXT property, keeping its parameters (but ALTREP, which pointed at the old text). */
function setText(component: JComponent, name: string, value: string): void {
  const existing = firstProperty(component, name);
  if (existing !== undefined && existing.length === 4 && existing[3] === value && existing[2] === 'text') return;
  const { altrep: _altrep, ...params } = existing?.[1] ?? {};
  setProperty(component, [name, params, 'text', value]);
}

/** Replaces a property only when the new one differs, so an unchanged line keeps its text. */
function replaceIfChanged(component: JComponent, property: JProperty): void {
  const existing = firstProperty(component, property[0]);
  if (existing !== undefined && JSON.stringify(existing.slice(1)) === JSON.stringify(property.slice(1))) return;
  setProperty(component, property);
}

function checkTexts(patch: EventPatch): Result {
  if (patch.summary !== undefined && typeof patch.summary !== 'string') return failInput('summary must be a string.');
  for (const name of ['location', 'description'] as const) {
    const value = patch[name];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return failInput(`${name} must be a string or null.`);
    }
  }
  return { ok: true };
}

/**
 * Applies the text and time fields of a patch (not `rrule`) to one component, in place:
 * SUMMARY/LOCATION/DESCRIPTION are set or (for `null`) removed; DTSTART/DTEND follow
 * `resolveTimes`. Lines whose value does not change are not rewritten. Validates
 * everything before changing anything; invalid input is `invalid-input`.
 */
export function applyPatch(reader: ValueReader, component: JComponent, patch: EventPatch): PatchResult {
  const texts = checkTexts(patch);
  if (!texts.ok) return texts;
  let start: StartChange | undefined;
  const timed =
    patch.start !== undefined || patch.end !== undefined || patch.allDay !== undefined || patch.timezone !== undefined;
  if (timed) {
    const read = currentTimes(reader, component);
    if (!read.ok) return read;
    const current = read.times;
    const resolution = resolveTimes(patch, current);
    if (!resolution.ok) return resolution;
    const resolved = resolution.times;
    replaceIfChanged(component, timeProperty('dtstart', [resolved.start], resolved.style));
    if (resolved.end !== 'keep') {
      removeProperties(component, 'duration');
      replaceIfChanged(component, timeProperty('dtend', [resolved.end], resolved.style));
    }
    start = {
      before: { wall: current.startWall, style: current.style, ms: current.startMs },
      after: { wall: resolved.start, style: resolved.style, ms: resolved.startMs },
    };
  }
  if (patch.summary !== undefined) setText(component, 'summary', patch.summary);
  for (const name of ['location', 'description'] as const) {
    const value = patch[name];
    if (value === null) removeProperties(component, name);
    else if (value !== undefined) setText(component, name, value);
  }
  return { ok: true, start };
}

/**
 * Turns `start`/`end` given for one occurrence of a series (scope `'all'` with an
 * occurrence) into those of the series' first instance: the occurrence's move on the wall
 * clock, and its new length, apply to DTSTART. Dragging the fifth occurrence an hour later
 * thus moves every instance an hour, instead of moving the series to the fifth week.
 * Switching between all-day and timed is left as given (start is then the first instance's).
 * Fails with `invalid-input` when DTSTART or the patch's times are unusable.
 */
export function rebasePatch(
  reader: ValueReader,
  master: JComponent,
  patch: EventPatch,
  occurrence: number,
): Result<{ patch: EventPatch }> {
  if (patch.start === undefined && patch.end === undefined) return { ok: true, patch };
  const read = currentTimes(reader, master);
  if (!read.ok) return read;
  const current = read.times;
  if (occurrence === current.startMs) return { ok: true, patch };
  const at = msToWall(occurrence, current.style);
  const length = current.endMs - current.startMs;
  const resolution = resolveTimes(patch, {
    ...current,
    startMs: occurrence,
    startWall: at,
    endMs: occurrence + length,
  });
  if (!resolution.ok) return resolution;
  const resolved = resolution.times;
  const { style } = resolved;
  if ((style.kind === 'date') !== (current.style.kind === 'date')) return { ok: true, patch };
  const delta = wallToNominalMs(resolved.start) - wallToNominalMs(msToWall(occurrence, style));
  const start = nominalMsToWall(wallToNominalMs(msToWall(current.startMs, style)) + delta, style.kind === 'date');
  const rebased: EventPatch = { ...patch, start: jcalValue(start, style) };
  if (patch.end !== undefined && resolved.end !== 'keep') {
    const newLength = wallToMs(resolved.end, style) - resolved.startMs;
    const end =
      style.kind === 'date'
        ? addDays(start, Math.round(newLength / DAY_MS))
        : msToWall(wallToMs(start, style) + newLength, style);
    rebased.end = jcalValue(end, style);
  }
  return { ok: true, patch: rebased };
}
