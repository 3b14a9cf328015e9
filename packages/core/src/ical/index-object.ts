import type { CalsyncError } from '../errors.ts';
import { type PreparedObject, prepareObject } from './prepare.ts';
import { masterInstances } from './recurrence.ts';
import { DAY_MS } from './time.ts';
import type { IndexedFields } from './types.ts';

/** Outcome of {@link indexObject}. */
export type IndexResult = { ok: true; fields: IndexedFields } | { ok: false; error: CalsyncError };

/** Series are followed to this instant at most; anything later counts as unbounded. */
const RANGE_HORIZON_MS = Date.UTC(2200, 0, 1);
/** Rule-evaluation steps spent at most on finding the end of a COUNT/UNTIL series. */
const RANGE_MAX_STEPS = 20_000;

/** Span of one instance for range indexing: never empty, so an instant still matches. */
function touchEnd(startMs: number, endMs: number): number {
  return Math.max(endMs, startMs + 1);
}

/**
 * The span [rangeStart, rangeEnd) all instances of the object may touch. Bounded series
 * (every RRULE has COUNT or UNTIL) are iterated to their last instance; when that takes
 * too long, UNTIL still gives a safe bound, and a COUNT-only series counts as unbounded.
 */
function rangeOf(object: PreparedObject): { rangeStart: number; rangeEnd: number } {
  let rangeStart = Number.POSITIVE_INFINITY;
  let rangeEnd = Number.NEGATIVE_INFINITY;
  const include = (startMs: number, endMs: number): void => {
    rangeStart = Math.min(rangeStart, startMs);
    rangeEnd = Math.max(rangeEnd, touchEnd(startMs, endMs));
  };
  const master = object.master;
  if (master?.dated) {
    include(master.startMs, master.endMs);
    const bounded = master.rules.every((rule) => rule.count !== null || rule.until !== null);
    if (!bounded) {
      rangeEnd = Number.POSITIVE_INFINITY;
    }
    const query = { fromMs: Number.NEGATIVE_INFINITY, toMs: RANGE_HORIZON_MS, limit: Number.POSITIVE_INFINITY };
    // Unbounded series still need their RDATEs for rangeStart; rules are skipped for them.
    const set = masterInstances(bounded ? master : { ...master, rules: [] }, { ...query, maxSteps: RANGE_MAX_STEPS });
    for (const instance of set.instances) include(instance.startMs, instance.endMs);
    if (bounded && !set.complete) {
      const untils = master.rules.map((rule) => (rule.until === null ? Number.NaN : rule.until.toUnixTime() * 1000));
      const lengthMs = master.endMs - master.startMs;
      // A day of slack covers date-only UNTILs and nominal durations across DST changes.
      const bound = Math.max(...untils) + lengthMs + DAY_MS;
      rangeEnd = Number.isFinite(bound) ? Math.max(rangeEnd, bound) : Number.POSITIVE_INFINITY;
    }
  }
  for (const override of object.overrides) {
    if (override.dated && !override.cancelled) include(override.startMs, override.endMs);
  }
  // Undated todos/journals: an empty range, so no time-range query returns them.
  if (rangeStart === Number.POSITIVE_INFINITY) return { rangeStart: 0, rangeEnd: 0 };
  return { rangeStart, rangeEnd };
}

/**
 * Derives the {@link IndexedFields} of a prepared object. Start, end, texts and zone come
 * from the master, or from the first override when the object holds only overrides.
 * A VTODO without DTSTART starts at its DUE; a VTODO/VJOURNAL with neither has
 * `start = end = rangeStart = rangeEnd = 0` (undated: list it by `componentType`).
 * `rangeEnd` is at least 1 ms past the last instance's start, so that a zero-length
 * instance still overlaps a window holding it.
 */
export function indexPrepared(object: PreparedObject): IndexedFields {
  const primary = object.master ?? object.overrides[0];
  const fields: IndexedFields = {
    uid: object.uid,
    componentType: object.componentType,
    start: primary?.startMs ?? 0,
    end: primary?.endMs ?? 0,
    allDay: primary?.allDay ?? false,
    recurring: object.master?.recurring ?? false,
    ...rangeOf(object),
  };
  if (primary === undefined) return fields;
  if (primary.summary !== undefined) fields.summary = primary.summary;
  if (primary.location !== undefined) fields.location = primary.location;
  if (primary.description !== undefined) fields.description = primary.description;
  if (primary.timezone !== undefined) fields.timezone = primary.timezone;
  if (primary.timezoneUnresolved === true) fields.timezoneUnresolved = true;
  return fields;
}

/**
 * Reads one calendar object resource and returns the fields the engine indexes it by.
 * Unreadable data — empty or non-ICS text, no VCALENDAR, no component with a UID, a
 * VEVENT without DTSTART, undecodable dates or rules — is a `bad-data` error. When a
 * file holds several UIDs, the first UID is indexed and the others are ignored.
 * Never throws, and does not depend on the process's time zone.
 */
export function indexObject(ics: string): IndexResult {
  const prepared = prepareObject(ics);
  if (!prepared.ok) return prepared;
  return { ok: true, fields: indexPrepared(prepared.object) };
}
