/**
 * Test helper for `differential.test.ts`: an independent expansion of recurring iCalendar
 * objects, built on the `rrule` package (jakubroztocil/rrule) for RRULE arithmetic and on the
 * runtime's `Intl` time-zone data for IANA zones. Nothing here uses ical.js or calsync's own
 * parser, zone code or recurrence code, so the two sides share no implementation.
 *
 * What it implements, RFC 5545 by section:
 * - §3.1 content lines: unfolding, parameters (quoted values), BEGIN/END nesting.
 * - §3.3.4/§3.3.5 DATE and DATE-TIME values: UTC (`Z`), zoned (`TZID`) and floating.
 *   Floating times and dates are placed on UTC (calsync's documented convention: floating is
 *   read as UTC, all-day values live on UTC midnights), so both sides talk about the same ms.
 *   A zoned local time that does not exist (DST gap) is read with the offset before the gap;
 *   one that occurs twice (DST overlap) is its first occurrence (§3.3.5).
 * - §3.2.19 TZID: the object's own VTIMEZONE (§3.6.5, interpreted here: observance onsets
 *   from DTSTART/RDATE/RRULE, TZOFFSETFROM/TZOFFSETTO), else a globally unique id (a leading
 *   solidus is the registry prefix) looked up as an IANA name, else unresolved → floating.
 * - §3.3.10/§3.8.5 the recurrence set: DTSTART ∪ RRULE ∪ RDATE − EXDATE, duplicates once,
 *   computed with `RRuleSet` on the series' wall clock (RRULE is defined on local time), then
 *   placed in the series' zone. UNTIL is converted to the series' wall clock first.
 * - §3.8.4.4 RECURRENCE-ID: an override replaces the instance it names (matched after
 *   conversion to the series' clock) and appears at its own DTSTART, unless STATUS:CANCELLED
 *   (RFC 5546 §3.2.5: a cancelled instance is removed).
 *
 * Test-only: this folder (`lines.ts`, `values.ts`, `objects.ts`, `rules.ts`, `zones.ts` and this
 * file, the expansion) is that independent implementation; it must never import calsync's own
 * ical code, and nothing but `differential.test.ts` imports it.
 */
import { RRuleSet } from 'rrule';
import { all, type Component, type ContentLine, first } from './lines.ts';
import type { FixtureObject } from './objects.ts';
import { buildRule } from './rules.ts';
import { fail, UnreadableData, type Value, valuesOf } from './values.ts';
import { DAY, wallToInstant, type Zone, type ZoneResolver, type ZoneSource, zoneResolver } from './zones.ts';

// ---------------------------------------------------------------------------------------------
// Series clock: where a series' rule runs (its wall clock) and how walls become instants

type Clock = { kind: 'date' } | { kind: 'utc' } | { kind: 'floating' } | { kind: 'zoned'; zone: Zone; tzid: string };

function clockOf(value: Value, zones: ZoneResolver): Clock {
  if (value.kind !== 'zoned') return { kind: value.kind };
  const zone = zones.resolve(value.tzid);
  return zone ? { kind: 'zoned', zone, tzid: value.tzid } : { kind: 'floating' };
}

/** The instant a value names on its own (dates and floating times on UTC, see the header). */
function instantOf(value: Value, zones: ZoneResolver): number {
  if (value.kind !== 'zoned') return value.wallMs;
  const zone = zones.resolve(value.tzid);
  return zone ? wallToInstant(zone, value.wallMs) : value.wallMs;
}

/**
 * A value on the series' wall clock. Values of the series' own type map directly; others
 * (RFC 5545 wants RDATE/EXDATE/RECURRENCE-ID in DTSTART's type, so these are out-of-spec)
 * are read by what they mean: an instant is shown on the series' clock, a date on a timed
 * series is its midnight, a date-time on an all-day series is its date as written.
 */
function toSeriesWall(value: Value, clock: Clock, zones: ZoneResolver): number {
  switch (clock.kind) {
    case 'date':
      return Math.floor(value.wallMs / DAY) * DAY;
    case 'utc':
    case 'floating':
      return instantOf(value, zones);
    case 'zoned': {
      // The series' own local time stays as written, even where it does not exist (DST gap):
      // the rule repeats that wall-clock time (§3.3.10), each instance placed by §3.3.5.
      if (value.kind === 'date' || value.kind === 'floating') return value.wallMs;
      if (value.kind === 'zoned' && value.tzid === clock.tzid) return value.wallMs;
      const instant = instantOf(value, zones);
      return instant + clock.zone.offsetAt(instant);
    }
  }
}

function wallToSeriesInstant(wallMs: number, clock: Clock): number {
  return clock.kind === 'zoned' ? wallToInstant(clock.zone, wallMs) : wallMs;
}

// ---------------------------------------------------------------------------------------------
// Expansion

export interface ReferenceOccurrence {
  startMs: number;
  /** The instance it stands for: its own start, or an override's RECURRENCE-ID. */
  recurrenceIdMs: number;
}

export type ReferenceResult =
  | {
      ok: true;
      /** DTSTART of the master (or of the first override) as an instant: the window's anchor. */
      anchorMs: number;
      occurrences: ReferenceOccurrence[];
      zones: Record<string, ZoneSource>;
    }
  | { ok: false; reason: string };

/** Instants are filtered to starts in [fromMs, toMs); at most `limit`, the earliest. */
export interface ReferenceWindow {
  fromMs?: number;
  toMs?: number;
  /** Window relative to the anchor when from/to are not given. */
  beforeMs?: number;
  afterMs?: number;
  limit: number;
}

/** The occurrences of one object, computed independently of calsync. Never throws. */
export function referenceExpand(object: FixtureObject, window: ReferenceWindow): ReferenceResult {
  try {
    return expand(object, window);
  } catch (cause) {
    if (cause instanceof UnreadableData) return { ok: false, reason: cause.message };
    return { ok: false, reason: `reference failed: ${(cause as Error).message}` };
  }
}

function expand(object: FixtureObject, window: ReferenceWindow): ReferenceResult {
  const zones = zoneResolver(object.calendar);
  const vevents = object.components.filter((c) => c.name === 'VEVENT');
  const master = vevents.find((c) => first(c, 'RECURRENCE-ID') === undefined);
  const overrides = vevents.filter((c) => first(c, 'RECURRENCE-ID') !== undefined);
  const dtstartOf = (component: Component): Value | undefined => {
    const line = first(component, 'DTSTART');
    if (!line) return undefined;
    const values = valuesOf(line);
    if (values.length !== 1) fail('DTSTART with several values');
    return values[0];
  };

  const masterStart = master ? dtstartOf(master) : undefined;
  if (master && !masterStart) fail('master VEVENT without DTSTART');
  const firstOverride = overrides[0];
  const anchorValue = masterStart ?? (firstOverride ? dtstartOf(firstOverride) : undefined);
  if (!anchorValue) fail('no DTSTART');
  const anchorMs = instantOf(anchorValue, zones);
  const fromMs = window.fromMs ?? anchorMs - (window.beforeMs ?? DAY);
  const toMs = window.toMs ?? anchorMs + (window.afterMs ?? 3 * 365 * DAY);

  // The master's recurrence set, keyed by instant.
  const instances = new Map<number, ReferenceOccurrence>();
  let clock: Clock | undefined;
  if (master && masterStart) {
    clock = clockOf(masterStart, zones);
    const seriesClock = clock;
    const startWall = toSeriesWall(masterStart, seriesClock, zones);
    const set = new RRuleSet();
    // §3.8.2.4/§3.8.5.3: DTSTART is the first instance of the set, matching the rule or not.
    set.rdate(new Date(startWall));
    for (const line of all(master, 'RRULE')) {
      // §3.3.10: UNTIL is UTC for a zoned DTSTART, and of DTSTART's type otherwise.
      set.rrule(buildRule(line.value, startWall, (until) => toSeriesWall(until, seriesClock, zones)));
    }
    for (const line of all(master, 'RDATE')) {
      for (const value of valuesOf(line)) set.rdate(new Date(toSeriesWall(value, seriesClock, zones)));
    }
    for (const line of all(master, 'EXDATE')) {
      for (const value of valuesOf(line)) set.exdate(new Date(toSeriesWall(value, seriesClock, zones)));
    }
    // Rules run on wall time; ±2 days of slack covers any UTC offset around the window.
    const walls = set.between(new Date(fromMs - 2 * DAY), new Date(toMs + 2 * DAY), true, (_date, count) => {
      return count < window.limit + overrides.length + 200;
    });
    for (const wall of walls) {
      const startMs = wallToSeriesInstant(wall.getTime(), seriesClock);
      instances.set(startMs, { startMs, recurrenceIdMs: startMs });
    }
  }

  // §3.8.4.4 overrides: each replaces the instance it names, and shows at its own DTSTART.
  const occurrences: ReferenceOccurrence[] = [];
  const replaced = new Set<number>();
  const moved: ReferenceOccurrence[] = [];
  for (const override of overrides) {
    const ridLine = first(override, 'RECURRENCE-ID') as ContentLine;
    const [rid] = valuesOf(ridLine);
    if (!rid) fail('empty RECURRENCE-ID');
    const recurrenceIdMs = clock ? wallToSeriesInstant(toSeriesWall(rid, clock, zones), clock) : instantOf(rid, zones);
    replaced.add(recurrenceIdMs);
    if (first(override, 'STATUS')?.value.trim().toUpperCase() === 'CANCELLED') continue;
    const start = dtstartOf(override) ?? rid;
    moved.push({ startMs: instantOf(start, zones), recurrenceIdMs });
  }
  for (const instance of instances.values()) {
    if (!replaced.has(instance.recurrenceIdMs)) occurrences.push(instance);
  }
  occurrences.push(...moved);
  const inWindow = occurrences
    .filter((o) => o.startMs >= fromMs && o.startMs < toMs)
    .sort((a, b) => a.startMs - b.startMs || a.recurrenceIdMs - b.recurrenceIdMs)
    .slice(0, window.limit);
  return { ok: true, anchorMs, occurrences: inWindow, zones: Object.fromEntries(zones.sources) };
}
