import type { ComponentData, PreparedObject, PrepareResult } from '../read/prepare.ts';
import { prepareObject } from '../read/prepare.ts';
import { isValidMs, msToIso, overlaps } from '../time/time.ts';
import type { Occurrence } from '../types.ts';
import { masterInstances } from './recurrence.ts';

/** Limits for {@link expandObject}. */
export interface ExpandOptions {
  /** At most this many occurrences are returned, the earliest ones. Default 10,000. */
  maxOccurrences?: number;
  /**
   * Rule-evaluation steps allowed per call (about one per candidate day of a daily rule
   * since DTSTART). Default 50,000. Bounds the time spent on pathological rules; a series
   * that needs more returns the occurrences found until then.
   */
  maxIterations?: number;
}

const DEFAULT_MAX_OCCURRENCES = 10_000;
const DEFAULT_MAX_ITERATIONS = 50_000;

function occurrence(
  object: PreparedObject,
  data: ComponentData,
  startMs: number,
  endMs: number,
  recurrenceId: string | undefined,
): Occurrence {
  const result: Occurrence = {
    uid: object.uid,
    summary: data.summary ?? '',
    start: msToIso(startMs, data.allDay),
    end: msToIso(endMs, data.allDay),
    startMs,
    endMs,
    allDay: data.allDay,
  };
  if (recurrenceId !== undefined) result.recurrenceId = recurrenceId;
  if (data.timezone !== undefined) result.timezone = data.timezone;
  if (data.floating === true && !data.allDay) result.floating = true;
  if (data.location !== undefined) result.location = data.location;
  if (data.description !== undefined) result.description = data.description;
  return result;
}

/**
 * Expands a calendar object into the occurrences overlapping the half-open window
 * [windowStart, windowEnd) (epoch ms), sorted by start. Pass ICS text, or for repeated
 * windows what `prepareObject` returned (the result or its `object`), which skips parsing.
 *
 * - RRULE, RDATE and EXDATE are applied; DTSTART is always an instance.
 * - A RECURRENCE-ID override replaces its instance, wherever either of them lies: an
 *   instance moved into the window appears, one moved out of it does not. Overrides are
 *   complete replacements (RFC 5545): they do not inherit the master's texts. A
 *   RECURRENCE-ID names its instance whatever its value type (see `instanceMs`): in an
 *   all-day series by its date as written (Exchange's `TZID=…:20200416T000000` names
 *   2020-04-16), in a timed series by instant (a floating one read in the series' zone).
 * - An override with STATUS:CANCELLED removes its instance (like an EXDATE), as does an
 *   EXDATE naming an overridden instance. A cancelled master is still expanded.
 * - `recurrenceId` is set for instances of a series and for overrides; an override's is
 *   that of the instance it replaces (a date in an all-day series).
 * - All-day occurrences have `YYYY-MM-DD` start/end and ms at UTC midnight.
 *
 * Unreadable ICS text (or a failed `prepareObject` result) gives an empty list (`indexObject` reports why). Work is bounded by
 * `options`; never throws and does not depend on the process's time zone.
 */
export function expandObject(
  source: string | PreparedObject | PrepareResult,
  windowStart: number,
  windowEnd: number,
  options: ExpandOptions = {},
): Occurrence[] {
  const prepared = typeof source === 'string' ? prepareObject(source) : source;
  if ('ok' in prepared && !prepared.ok) return [];
  const object = 'ok' in prepared ? prepared.object : prepared;
  const limit = Math.max(0, Math.floor(options.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES));
  if (limit === 0 || !(windowStart < windowEnd)) return [];
  const master = object.master;
  const result: Occurrence[] = [];
  const overridden = new Set(object.overrides.map((override) => override.recurrenceIdMs));

  if (master !== undefined) {
    const set = masterInstances(master, {
      fromMs: windowStart,
      toMs: windowEnd,
      limit: limit + overridden.size,
      maxSteps: options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
    });
    for (const instance of set.instances) {
      if (overridden.has(instance.startMs)) continue;
      const recurrenceId = master.recurring ? msToIso(instance.startMs, master.allDay) : undefined;
      result.push(occurrence(object, master, instance.startMs, instance.endMs, recurrenceId));
    }
  }
  for (const override of object.overrides) {
    if (override.cancelled || !override.dated) continue;
    if (master?.exdateMs.has(override.recurrenceIdMs)) continue;
    if (!isValidMs(override.recurrenceIdMs) || !isValidMs(override.endMs)) continue;
    if (!overlaps(override.startMs, override.endMs, windowStart, windowEnd)) continue;
    const recurrenceId = msToIso(override.recurrenceIdMs, override.recurrenceIdAllDay);
    result.push(occurrence(object, override, override.startMs, override.endMs, recurrenceId));
  }
  result.sort((a, b) => a.startMs - b.startMs);
  return result.length > limit ? result.slice(0, limit) : result;
}
