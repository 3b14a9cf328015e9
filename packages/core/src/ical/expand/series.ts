import ICAL from 'ical.js';
import type { JComponent, JProperty } from '../read/document.ts';
import { firstProperty, propertiesOf, setProperty, type ValueReader } from '../read/jcal.ts';
import { type MasterData, type PreparedObject, prepareCalendar } from '../read/prepare.ts';
import { calendarComponent } from '../time/embedded-zones.ts';
import { DAY_MS, timeToMs } from '../time/time.ts';
import { nominalMsToWall, styleOfTime, type TimeStyle, timeProperty, type WallTime } from '../write/event-time.ts';
import { masterInstances } from './recurrence.ts';
import { clockOfTime, instanceMs, type SeriesClock } from './recurrence-id.ts';
import { ruleJcal } from './rrule-text.ts';

/** Rule steps spent at most on one question about a series (an instance check, a count). */
const MAX_STEPS = 1_000_000;

/** Re-reads the calendar's object after an edit (or before one). */
export function prepared(calendar: JComponent): PreparedObject | undefined {
  const result = prepareCalendar(calendarComponent(calendar));
  return result.ok ? result.object : undefined;
}

/** The style the `name` property (default DTSTART) of `component` is written in, if it is a time. */
export function startStyle(reader: ValueReader, component: JComponent, name = 'dtstart'): TimeStyle | undefined {
  const time = reader.time(component, name);
  return time === undefined ? undefined : styleOfTime(time, firstProperty(component, name)?.[1].tzid);
}

/** The clock instances of `master` are named in (undefined without master or DTSTART). */
export function seriesClock(master: MasterData | undefined): SeriesClock | undefined {
  return master?.anchor === undefined ? undefined : clockOfTime(master.anchor);
}

/**
 * The start of the instance an override's RECURRENCE-ID names in a series with DTSTART
 * in `series` (see `instanceMs`: by date for all-day series, by instant for timed ones),
 * as epoch ms; NaN when unreadable. Compare it with instance starts and occurrence ms.
 */
export function recurrenceMs(reader: ValueReader, override: JComponent, series: SeriesClock | undefined): number {
  const time = reader.time(override, 'recurrence-id');
  return time === undefined ? Number.NaN : instanceMs(time, series);
}

/** Whether the master's recurrence set (RRULE, RDATE, minus EXDATE) has an instance starting at `ms`. */
export function isMasterInstance(master: MasterData, ms: number): boolean {
  const set = masterInstances(master, { fromMs: ms, toMs: ms + 1, limit: MAX_STEPS, maxSteps: MAX_STEPS });
  return set.instances.some((instance) => instance.startMs === ms);
}

/** Whether the master has an instance starting before `ms`. */
export function hasInstanceBefore(master: MasterData, ms: number): boolean {
  const query = { fromMs: Number.NEGATIVE_INFINITY, toMs: ms, limit: 1, maxSteps: MAX_STEPS };
  return masterInstances(master, query).instances.some((instance) => instance.startMs < ms);
}

/** Whether the master has any instance at all (true when that cannot be decided in budget). */
export function hasAnyInstance(master: MasterData): boolean {
  const query = { fromMs: Number.NEGATIVE_INFINITY, toMs: Number.POSITIVE_INFINITY, limit: 1, maxSteps: MAX_STEPS };
  const set = masterInstances(master, query);
  return set.instances.length > 0 || !set.complete;
}

/** How many instances `rule` produces (DTSTART included, EXDATEs ignored, as COUNT counts) before `ms`. */
export function ruleInstancesBefore(master: MasterData, rule: ICAL.Recur, ms: number): number {
  const alone: MasterData = { ...master, rules: [rule], rdates: [], exdateMs: new Set(), exdateDays: new Set() };
  const query = { fromMs: Number.NEGATIVE_INFINITY, toMs: ms, limit: MAX_STEPS, maxSteps: MAX_STEPS };
  return masterInstances(alone, query).instances.filter((instance) => instance.startMs < ms).length;
}

/**
 * Ends every RRULE of `master` before `ms`: UNTIL becomes one second earlier for date-times
 * (in UTC, as RFC 5545 requires when DTSTART is UTC or has a TZID; floating for floating
 * DTSTARTs) or the previous day for dates; COUNT is dropped. An earlier UNTIL is kept.
 */
export function endRulesBefore(reader: ValueReader, master: JComponent, style: TimeStyle, ms: number): void {
  const untilMs = style.kind === 'date' ? ms - DAY_MS : ms - 1000;
  const fields = nominalMsToWall(untilMs);
  const until =
    style.kind === 'date'
      ? ICAL.Time.fromData({ year: fields.year, month: fields.month, day: fields.day, isDate: true })
      : ICAL.Time.fromData(fields, style.kind === 'floating' ? undefined : ICAL.Timezone.utcTimezone);
  master[1] = master[1].map((property) => {
    if (property[0] !== 'rrule') return property;
    const rule = reader.property(master, property).getFirstValue();
    if (!(rule instanceof ICAL.Recur)) return property;
    if (rule.until !== null && rule.until !== undefined && timeToMs(rule.until) <= untilMs) return property;
    const copy = rule.clone();
    copy.count = null;
    copy.until = until;
    return ['rrule', property[1], 'recur', ruleJcal(copy)];
  });
}

/** Values of a date-list property (EXDATE, RDATE) with the instance starts they name in `series`. */
function datedValues(
  reader: ValueReader,
  component: JComponent,
  property: JProperty,
  series: SeriesClock | undefined,
): Array<{ raw: unknown; ms: number; time?: ICAL.Time }> {
  const values = reader.property(component, property).getValues();
  return property.slice(3).map((raw, i) => {
    const value = values[i];
    if (value instanceof ICAL.Time) return { raw, ms: instanceMs(value, series), time: value };
    if (value instanceof ICAL.Period) return { raw, ms: instanceMs(value.start, series) };
    return { raw, ms: Number.NaN };
  });
}

/**
 * Splits the EXDATE and RDATE lines of `component` at the instance `ms` of a series in
 * `series`: returns the lines (or parts of lines) of values before it and of values at or
 * after it. Lines that fall entirely on one side are returned as they are (their source
 * text survives).
 */
export function partitionDates(
  reader: ValueReader,
  component: JComponent,
  series: SeriesClock | undefined,
  ms: number,
): { before: JProperty[]; after: JProperty[] } {
  const before: JProperty[] = [];
  const after: JProperty[] = [];
  for (const property of component[1]) {
    if (property[0] !== 'exdate' && property[0] !== 'rdate') continue;
    const values = datedValues(reader, component, property, series);
    const early = values.filter((v) => !(v.ms >= ms)).map((v) => v.raw);
    const late = values.filter((v) => v.ms >= ms).map((v) => v.raw);
    const [name, params, type] = property;
    if (late.length === 0) before.push(property);
    else if (early.length === 0) after.push(property);
    else {
      before.push([name, params, type, ...early]);
      after.push([name, structuredClone(params), type, ...late]);
    }
  }
  return { before, after };
}

/** Replaces the EXDATE and RDATE lines of `component` by `lines`, keeping other properties in place. */
export function replaceDates(component: JComponent, lines: JProperty[]): void {
  const isDate = (p: JProperty): boolean => p[0] === 'exdate' || p[0] === 'rdate';
  const at = component[1].findIndex(isDate);
  const rest = component[1].filter((p) => !isDate(p));
  const position = at === -1 ? rest.length : component[1].slice(0, at).filter((p) => !isDate(p)).length;
  rest.splice(position, 0, ...lines);
  component[1] = rest;
}

/**
 * Moves date values of EXDATE/RDATE lines by `map` (the instance they named in the old
 * series' clock `before` → new wall time in `style`). PERIOD values stay. Only lines
 * holding date-times of the master's kind change.
 */
export function mapDates(
  reader: ValueReader,
  component: JComponent,
  before: SeriesClock,
  style: TimeStyle,
  map: (ms: number) => WallTime,
): void {
  component[1] = component[1].map((property) => {
    if (property[0] !== 'exdate' && property[0] !== 'rdate') return property;
    const values = datedValues(reader, component, property, before);
    const times = values.filter((v) => v.time !== undefined && v.time.isDate === (style.kind === 'date'));
    if (times.length !== values.length) return property;
    return timeProperty(
      property[0],
      times.map((v) => map(v.ms)),
      style,
    );
  });
}

/** Sets RECURRENCE-ID (and a property's value in general) to one time in `style`. */
export function setTime(component: JComponent, name: string, wall: WallTime, style: TimeStyle): void {
  setProperty(component, timeProperty(name, [wall], style));
}

/** EXDATE values of a master as the starts of the instances they name in `series`, for checks. */
export function exdateValues(reader: ValueReader, master: JComponent, series: SeriesClock | undefined): number[] {
  return propertiesOf(master, 'exdate').flatMap((p) => datedValues(reader, master, p, series).map((v) => v.ms));
}
