import type ICAL from 'ical.js';
import { countedRulesTailMs, masterInstances } from '../expand/recurrence.ts';
import type { Result } from '../result.ts';
import { DAY_MS } from '../time/time.ts';
import type { IndexedFields } from '../types.ts';
import { readPlainEvent, rememberZone } from './plain-index.ts';
import { type MasterData, type PreparedObject, prepareObject } from './prepare.ts';
import { prepareRecent } from './prepared-cache.ts';

/** Outcome of {@link indexObject}. */
export type IndexResult = Result<{ fields: IndexedFields }>;

/** Series are followed to this instant at most; anything later counts as unbounded. */
const RANGE_HORIZON_MS = Date.UTC(2200, 0, 1);
/** Rule-evaluation steps spent at most on finding the end of a COUNT/UNTIL series. */
const RANGE_MAX_STEPS = 20_000;

/** Span of one instance for range indexing: never empty, so an instant still matches. */
function touchEnd(startMs: number, endMs: number): number {
  return Math.max(endMs, startMs + 1);
}

/**
 * When every RRULE has an UNTIL: an instant no instance of the rules outlasts — the latest
 * UNTIL plus the instance length and a day of slack (date-only UNTILs, nominal durations
 * across DST changes). Following the rules to their last instance gives a tighter end but
 * costs ~1 ms for a two-year daily series (a third of a first sync's indexing time): the
 * range only has to contain every instance, so the bound is used instead.
 */
function untilBoundOf(master: MasterData): number | undefined {
  if (master.rules.length === 0 || master.rules.some((rule) => rule.until === null)) return undefined;
  const untils = master.rules.map((rule) => (rule.until as ICAL.Time).toUnixTime() * 1000);
  const bound = Math.max(...untils) + (master.endMs - master.startMs) + DAY_MS;
  return Number.isFinite(bound) ? bound : Number.POSITIVE_INFINITY;
}

/**
 * The span [rangeStart, rangeEnd) all instances of the object may touch: a superset, not
 * necessarily tight. Series bounded by UNTIL end at that bound, series bounded by COUNT
 * are followed to their last instance (a COUNT series too long to follow, and any series
 * with an unbounded rule, count as unbounded).
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
    const untilBound = untilBoundOf(master);
    if (!bounded) rangeEnd = Number.POSITIVE_INFINITY;
    else if (untilBound !== undefined) rangeEnd = Math.max(rangeEnd, untilBound);
    // Rules are followed only for COUNT series (their end is known no other way); unbounded
    // and UNTIL series still need their RDATEs for rangeStart and rangeEnd.
    const followRules = bounded && untilBound === undefined;
    const query = {
      fromMs: Number.NEGATIVE_INFINITY,
      toMs: RANGE_HORIZON_MS,
      limit: Number.POSITIVE_INFINITY,
      maxSteps: RANGE_MAX_STEPS,
    };
    // Computed COUNT rules are followed from just before their last instance only (the
    // rules' instances never start before DTSTART, which is included already); if the
    // EXDATEs remove every instance found there, from DTSTART.
    const tailMs = followRules ? countedRulesTailMs(master) : undefined;
    const tail =
      tailMs === undefined ? undefined : masterInstances({ ...master, rdates: [] }, { ...query, fromMs: tailMs });
    const fromTail = tail !== undefined && tail.instances.length > 0;
    const set = masterInstances(followRules && !fromTail ? master : { ...master, rules: [] }, query);
    for (const instance of [...set.instances, ...(fromTail ? tail.instances : [])]) {
      include(instance.startMs, instance.endMs);
    }
    // A COUNT series too long to follow counts as unbounded.
    if (followRules && !(fromTail ? tail.complete : set.complete)) rangeEnd = Number.POSITIVE_INFINITY;
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
  if (primary.floating === true && !primary.allDay) fields.floating = true;
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
  // Plain single events are read by a line scanner (plain-index.ts), the rest by ical.js.
  const plain = readPlainEvent(ics);
  if (plain.kind === 'fields') return { ok: true, fields: plain.fields };
  // Kept: the first query that shows the series expands it from the same preparation.
  const prepared = prepareRecent(ics);
  if (!prepared.ok) return prepared;
  if (plain.kind === 'zone') rememberZone(plain.zoneKey, prepared.object.master?.anchor?.zone);
  return { ok: true, fields: indexPrepared(prepared.object) };
}

/** {@link indexObject} through ical.js only: the reference the plain scanner is checked against. */
export function indexObjectByIcalJs(ics: string): IndexResult {
  const prepared = prepareObject(ics);
  if (!prepared.ok) return prepared;
  return { ok: true, fields: indexPrepared(prepared.object) };
}
