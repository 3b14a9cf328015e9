import ICAL from 'ical.js';
import { clockOfTime, instanceMs, type SeriesClock } from '../expand/recurrence-id.ts';
import { failData, type Result } from '../result.ts';
import { addDurationMs, DAY_MS, isValidMs, localDateKey, timeToMs } from '../time/time.ts';
import { registerZonesFor, type ZoneInfo, zoneInfoOf } from '../time/timezones.ts';
import { parseCalendar } from './parse.ts';

/** Top-level components that carry calendar data; VTIMEZONE and X- components are skipped. */
const CALENDAR_COMPONENTS: ReadonlySet<string> = new Set(['vevent', 'vtodo', 'vjournal', 'vfreebusy', 'vavailability']);

/** Length of one INTERVAL unit in days, for the rule frequencies ical.js steps through by day. */
const INTERVAL_UNIT_DAYS: Readonly<Record<string, number>> = {
  SECONDLY: 1 / 86_400,
  MINUTELY: 1 / 1_440,
  HOURLY: 1 / 24,
  DAILY: 1,
  WEEKLY: 7,
};
const MAX_INTERVAL_DAYS = 1_000 * 366;

/** What one component (master or override) says about its own instance, as plain values. */
export interface ComponentData extends ZoneInfo {
  /**
   * False for a VTODO/VJOURNAL with neither DTSTART nor DUE: it has no place in time, so
   * `startMs`/`endMs` are 0 and it produces no occurrences.
   */
  dated: boolean;
  startMs: number;
  /** Never before `startMs`: a DTEND before DTSTART is read as a zero-length instance. */
  endMs: number;
  allDay: boolean;
  summary?: string;
  location?: string;
  description?: string;
}

/** How an instance's end follows from its start. */
export type InstanceLength = { kind: 'exact'; ms: number } | { kind: 'nominal'; duration: ICAL.Duration };

/** One RDATE value: a start, and an end when the value was a PERIOD. */
export interface RecurrenceDate {
  time: ICAL.Time;
  endMs?: number;
}

/** The master component (no RECURRENCE-ID) with its recurrence properties decoded once. */
export interface MasterData extends ComponentData {
  /** DTSTART (DUE for a VTODO without DTSTART): the first instance and the RRULE anchor. */
  anchor: ICAL.Time | undefined;
  length: InstanceLength;
  rules: ICAL.Recur[];
  rdates: RecurrenceDate[];
  /**
   * EXDATE values as the starts of the instances they name (see `instanceMs`: an EXDATE
   * with TZID on an all-day series, as Exchange writes them, names that date's instance).
   */
  exdateMs: ReadonlySet<number>;
  /** Date-only EXDATEs, which remove every instance on that wall-clock date. */
  exdateDays: ReadonlySet<string>;
  /** True when the master has RRULE or RDATE. */
  recurring: boolean;
}

/** A component with RECURRENCE-ID: it replaces the instance that starts at `recurrenceIdMs`. */
export interface OverrideData extends ComponentData {
  /**
   * The start of the master's instance the RECURRENCE-ID names, as instances' `startMs`
   * are given (see `instanceMs`: an all-day series' instances are named by date, whatever
   * the value type), or the RECURRENCE-ID's own instant in an object without master.
   */
  recurrenceIdMs: number;
  /** Whether `recurrenceIdMs` is a date: the master is all-day, or (without master) the value is a DATE. */
  recurrenceIdAllDay: boolean;
  /** STATUS:CANCELLED — the instance is removed rather than shown. */
  cancelled: boolean;
}

/**
 * A calendar object read once and kept for repeated expansion: the engine caches one per
 * object. Holds only decoded values (no component tree). Treat as opaque and immutable.
 */
export interface PreparedObject {
  readonly uid: string;
  /** Upper-case component name: 'VEVENT', 'VTODO', 'VJOURNAL' … */
  readonly componentType: string;
  /** Absent when the object holds only overrides (an invitation to single instances). */
  readonly master: MasterData | undefined;
  /** In document order. */
  readonly overrides: readonly OverrideData[];
}

/** Outcome of {@link prepareObject}. */
export type PrepareResult = Result<{ object: PreparedObject }>;

/** What {@link readComponent} gives: the component's data, its anchor and its instance length. */
type ReadComponent = ComponentData & { anchor?: ICAL.Time; length: InstanceLength };

function text(component: ICAL.Component, name: string): string | undefined {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value : undefined;
}

/** The time of a date property (`undefined` when absent); `bad-data` when it is no usable time. */
function timeValue(property: ICAL.Property | null, what: string): Result<{ time: ICAL.Time | undefined }> {
  if (property === null) return { ok: true, time: undefined };
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Time)) return failData(`${what} is not a date or date-time.`);
  if (!isValidMs(timeToMs(value))) return failData(`${what} is out of range.`);
  return { ok: true, time: value };
}

function readComponent(component: ICAL.Component): Result<{ data: ReadComponent }> {
  const isTodo = component.name === 'vtodo';
  const label = component.name.toUpperCase();
  const dtstartProperty = component.getFirstProperty('dtstart');
  const dueProperty = isTodo ? component.getFirstProperty('due') : null;
  const dtstartValue = timeValue(dtstartProperty, `DTSTART of ${label}`);
  if (!dtstartValue.ok) return dtstartValue;
  const dueValue = timeValue(dueProperty, `DUE of ${label}`);
  if (!dueValue.ok) return dueValue;
  const dtstart = dtstartValue.time;
  const due = dueValue.time;
  const anchor = dtstart ?? due;
  const texts: Pick<ComponentData, 'summary' | 'location' | 'description'> = {};
  for (const name of ['summary', 'location', 'description'] as const) {
    const value = text(component, name);
    if (value !== undefined) texts[name] = value;
  }
  if (anchor === undefined) {
    if (component.name === 'vevent') return failData('VEVENT without DTSTART.');
    return {
      ok: true,
      data: { dated: false, startMs: 0, endMs: 0, allDay: false, length: { kind: 'exact', ms: 0 }, ...texts },
    };
  }
  const startMs = timeToMs(anchor);
  const allDay = anchor.isDate;
  let end: ICAL.Time | undefined;
  if (dtstart !== undefined && isTodo) end = due;
  else if (dtstart !== undefined) {
    const dtend = timeValue(component.getFirstProperty('dtend'), 'DTEND');
    if (!dtend.ok) return dtend;
    end = dtend.time;
  }
  const duration = component.getFirstPropertyValue('duration');
  let length: InstanceLength;
  let endMs: number;
  if (end !== undefined) {
    // RFC 5545: a DTEND/DUE-given length is an exact duration for every instance.
    length = { kind: 'exact', ms: Math.max(0, timeToMs(end) - startMs) };
    endMs = startMs + length.ms;
  } else if (duration instanceof ICAL.Duration) {
    length = { kind: 'nominal', duration };
    endMs = Math.max(startMs, addDurationMs(anchor, duration));
  } else {
    // RFC 5545 3.6.1: no DTEND/DURATION — a date lasts one day, a date-time is an instant.
    length = { kind: 'exact', ms: allDay ? DAY_MS : 0 };
    endMs = startMs + length.ms;
  }
  if (!isValidMs(endMs)) return failData(`The end of ${label} is out of range.`);
  const zone = zoneInfoOf(anchor, (dtstart === undefined ? dueProperty : dtstartProperty)?.getParameter('tzid'));
  return { ok: true, data: { dated: true, startMs, endMs, allDay, anchor, length, ...zone, ...texts } };
}

function readMaster(component: ICAL.Component): Result<{ master: MasterData }> {
  const read = readComponent(component);
  if (!read.ok) return read;
  const base = read.data;
  const rules: ICAL.Recur[] = [];
  for (const property of component.getAllProperties('rrule')) {
    const rule = property.getFirstValue();
    if (!(rule instanceof ICAL.Recur)) return failData('RRULE is not a recurrence rule.');
    // ical.js advances day-based rules one day at a time, so a huge INTERVAL would spin for
    // ages; a rule whose first step outlasts any window adds nothing beyond DTSTART.
    if ((INTERVAL_UNIT_DAYS[rule.freq] ?? 0) * rule.interval > MAX_INTERVAL_DAYS) continue;
    // Rule parts ical.js rejects only surface when iterating (it throws); fail here, once, instead.
    if (base.anchor !== undefined) rule.iterator(base.anchor.clone());
    rules.push(rule);
  }
  const rdates: RecurrenceDate[] = [];
  for (const property of component.getAllProperties('rdate')) {
    for (const value of property.getValues()) {
      if (value instanceof ICAL.Time) rdates.push({ time: value });
      else if (value instanceof ICAL.Period) {
        const endMs = value.end ? timeToMs(value.end) : addDurationMs(value.start, value.getDuration());
        rdates.push({ time: value.start, endMs });
      }
    }
  }
  const exdateMs = new Set<number>();
  const exdateDays = new Set<string>();
  const clock = base.anchor === undefined ? undefined : clockOfTime(base.anchor);
  for (const property of component.getAllProperties('exdate')) {
    for (const value of property.getValues()) {
      if (!(value instanceof ICAL.Time)) continue;
      exdateMs.add(instanceMs(value, clock));
      if (value.isDate) exdateDays.add(localDateKey(value));
    }
  }
  const recurring = component.hasProperty('rrule') || component.hasProperty('rdate');
  return { ok: true, master: { ...base, anchor: base.anchor, rules, rdates, exdateMs, exdateDays, recurring } };
}

/** Reads an override; `series` is the clock of the master's DTSTART, when there is a master. */
function readOverride(component: ICAL.Component, series: SeriesClock | undefined): Result<{ override: OverrideData }> {
  const read = readComponent(component);
  if (!read.ok) return read;
  const { anchor: _anchor, length: _length, ...base } = read.data;
  const rid = timeValue(component.getFirstProperty('recurrence-id'), 'RECURRENCE-ID');
  if (!rid.ok) return rid;
  const recurrenceId = rid.time;
  if (recurrenceId === undefined) return failData('RECURRENCE-ID is empty.');
  const status = text(component, 'status');
  const override: OverrideData = {
    ...base,
    recurrenceIdMs: instanceMs(recurrenceId, series),
    recurrenceIdAllDay: series === undefined ? recurrenceId.isDate : series.kind === 'date',
    cancelled: status?.toUpperCase() === 'CANCELLED',
  };
  return { ok: true, override };
}

/**
 * Reads a parsed VCALENDAR into a {@link PreparedObject}. The object is the first calendar
 * component with a UID, together with every component of the same type and UID; other
 * UIDs in the same file are ignored (a CalDAV resource holds one UID, so a second one is a
 * malformed resource, not a second event). Unusable data is `bad-data`, including whatever
 * ical.js throws while decoding. Never throws.
 */
export function prepareCalendar(calendar: ICAL.Component): PrepareResult {
  try {
    registerZonesFor(calendar);
    const candidates = calendar.getAllSubcomponents().filter((c) => CALENDAR_COMPONENTS.has(c.name));
    const uidOf = (c: ICAL.Component): string => text(c, 'uid')?.trim() ?? '';
    const first = candidates.find((c) => uidOf(c) !== '');
    if (first === undefined) return failData('The calendar holds no component with a UID.');
    const uid = uidOf(first);
    const related = candidates.filter((c) => c.name === first.name && uidOf(c) === uid);
    const masterComponent = related.find((c) => !c.hasProperty('recurrence-id'));
    let master: MasterData | undefined;
    if (masterComponent !== undefined) {
      const read = readMaster(masterComponent);
      if (!read.ok) return read;
      master = read.master;
    }
    const series = master?.anchor === undefined ? undefined : clockOfTime(master.anchor);
    const overrides: OverrideData[] = [];
    for (const component of related) {
      if (!component.hasProperty('recurrence-id')) continue;
      const read = readOverride(component, series);
      if (!read.ok) return read;
      overrides.push(read.override);
    }
    return { ok: true, object: { uid, componentType: first.name.toUpperCase(), master, overrides } };
  } catch (cause) {
    // ical.js throws on values it cannot decode and on rule parts it rejects.
    const detail = cause instanceof Error ? cause.message : String(cause);
    return failData(`The calendar data cannot be read: ${detail}`, cause);
  }
}

/**
 * Parses ICS text once into a {@link PreparedObject} that `indexObject`-style reads and
 * `expandObject` can reuse for any number of windows. Unreadable data (no VCALENDAR, no
 * UID, a VEVENT without DTSTART, undecodable dates or rules) is a `bad-data` error.
 * Never throws.
 */
export function prepareObject(ics: string): PrepareResult {
  const parsed = parseCalendar(ics);
  return parsed.ok ? prepareCalendar(parsed.calendar) : parsed;
}
