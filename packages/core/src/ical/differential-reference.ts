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
 */
import { RRule, RRuleSet } from 'rrule';

// ---------------------------------------------------------------------------------------------
// Content lines and components (§3.1, §3.4, §3.6)

export interface ContentLine {
  /** Upper-case property name. */
  name: string;
  /** Parameters by upper-case name, quotes removed. */
  params: Record<string, string>;
  value: string;
  /** The whole unfolded line, as written. */
  raw: string;
}

export interface Component {
  /** Upper-case component name. */
  name: string;
  lines: ContentLine[];
  children: Component[];
}

function parseLine(raw: string): ContentLine | undefined {
  let i = 0;
  while (i < raw.length && raw[i] !== ';' && raw[i] !== ':') i++;
  if (i >= raw.length) return undefined;
  const name = raw.slice(0, i).trim().toUpperCase();
  const params: Record<string, string> = {};
  while (raw[i] === ';') {
    i++;
    const eq = raw.indexOf('=', i);
    if (eq < 0) return undefined;
    const key = raw.slice(i, eq).trim().toUpperCase();
    i = eq + 1;
    const values: string[] = [];
    for (;;) {
      let value = '';
      if (raw[i] === '"') {
        const close = raw.indexOf('"', i + 1);
        if (close < 0) return undefined;
        value = raw.slice(i + 1, close);
        i = close + 1;
      } else {
        const start = i;
        while (i < raw.length && raw[i] !== ';' && raw[i] !== ':' && raw[i] !== ',') i++;
        value = raw.slice(start, i);
      }
      values.push(value);
      if (raw[i] !== ',') break;
      i++;
    }
    params[key] = values.join(',');
  }
  if (raw[i] !== ':') return undefined;
  return { name, params, value: raw.slice(i + 1), raw };
}

/** Reads iCalendar text into its top-level components (VCALENDARs, or bare fragments). */
export function readComponents(text: string): Component[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const top: Component[] = [];
  const stack: Component[] = [];
  for (const raw of lines) {
    const line = parseLine(raw);
    if (line === undefined) continue;
    if (line.name === 'BEGIN') {
      const component: Component = { name: line.value.trim().toUpperCase(), lines: [], children: [] };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(component);
      else top.push(component);
      stack.push(component);
    } else if (line.name === 'END') {
      const name = line.value.trim().toUpperCase();
      const at = stack.map((c) => c.name).lastIndexOf(name);
      if (at >= 0) stack.length = at;
    } else {
      stack[stack.length - 1]?.lines.push(line);
    }
  }
  return top;
}

function first(component: Component, name: string): ContentLine | undefined {
  return component.lines.find((line) => line.name === name);
}

function all(component: Component, name: string): ContentLine[] {
  return component.lines.filter((line) => line.name === name);
}

function serialize(component: Component): string[] {
  return [
    `BEGIN:${component.name}`,
    ...component.lines.map((line) => line.raw),
    ...component.children.flatMap(serialize),
    `END:${component.name}`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Calendar objects: one UID each, as a CalDAV server stores them (RFC 4791 §4.1)

const CALENDAR_COMPONENTS = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY']);

/** One UID's components from a fixture file, with the text handed to calsync for it. */
export interface FixtureObject {
  /** The UID, or a synthetic `x-differential-<n>` one injected where the file had none. */
  uid: string;
  /** True when the UID was injected. */
  syntheticUid: boolean;
  /** The VCALENDAR the components came from (synthetic for bare fragments). */
  calendar: Component;
  components: Component[];
  /** ICS text for calsync: the file unchanged when it already is one object, else rebuilt. */
  ics: string;
  /** How `ics` was obtained (`synthetic`: built by a test, not read from a file). */
  source: 'file' | 'split' | 'wrapped' | 'synthetic';
}

function isRecurring(components: Component[]): boolean {
  return components.some((c) => c.name === 'VEVENT' && c.lines.some((l) => l.name === 'RRULE' || l.name === 'RDATE'));
}

/**
 * The calendar objects of a fixture file that hold a recurring VEVENT (RRULE or RDATE). A
 * file that is one VCALENDAR with one UID is used as it is; a file with several UIDs is split
 * into one object per UID (VTIMEZONEs and calendar properties copied to each); a bare
 * VEVENT fragment is wrapped in a VCALENDAR; a component without UID gets `x-differential-<n>`.
 */
export function fixtureObjects(text: string): FixtureObject[] {
  const top = readComponents(text);
  const calendars = top.filter((c) => c.name === 'VCALENDAR');
  const wrapped = calendars.length === 0;
  const roots: Component[] = wrapped
    ? [
        {
          name: 'VCALENDAR',
          lines: ['VERSION:2.0', 'PRODID:-//calsync//differential test//EN'].map(
            (raw) => parseLine(raw) as ContentLine,
          ),
          children: top,
        },
      ]
    : calendars;
  const result: FixtureObject[] = [];
  let synthetic = 0;
  for (const calendar of roots) {
    const groups = new Map<string, Component[]>();
    const injected = new Set<string>();
    for (const child of calendar.children) {
      if (!CALENDAR_COMPONENTS.has(child.name)) continue;
      let uid = first(child, 'UID')?.value.trim() ?? '';
      if (uid === '') {
        uid = `x-differential-${synthetic++}`;
        injected.add(uid);
      }
      const group = groups.get(uid) ?? [];
      group.push(child);
      groups.set(uid, group);
    }
    const single = groups.size === 1 && injected.size === 0 && calendars.length === 1;
    for (const [uid, components] of groups) {
      if (!isRecurring(components)) continue;
      const syntheticUid = injected.has(uid);
      let ics: string;
      let source: FixtureObject['source'];
      if (single && !wrapped) {
        ics = text;
        source = 'file';
      } else {
        const body = components.map((c) =>
          syntheticUid ? { ...c, lines: [parseLine(`UID:${uid}`) as ContentLine, ...c.lines] } : c,
        );
        const zones = calendar.children.filter((c) => c.name === 'VTIMEZONE');
        const rebuilt: Component = { name: 'VCALENDAR', lines: calendar.lines, children: [...zones, ...body] };
        ics = `${serialize(rebuilt).join('\r\n')}\r\n`;
        source = wrapped ? 'wrapped' : 'split';
      }
      result.push({ uid, syntheticUid, calendar, components, ics, source });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Values (§3.3.4, §3.3.5, §3.3.9)

/** A DATE or DATE-TIME as written. `wallMs`: its fields read as if they were UTC. */
type Value =
  | { kind: 'date'; wallMs: number }
  | { kind: 'utc'; wallMs: number }
  | { kind: 'floating'; wallMs: number }
  | { kind: 'zoned'; wallMs: number; tzid: string };

class UnreadableData extends Error {}

function fail(message: string): never {
  throw new UnreadableData(message);
}

function validWall(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  // RFC 5545 §3.3.4/§3.3.12: seconds 60 is a leap second; anything else must be a real date.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return Number.NaN;
  if (h > 23 || mi > 59 || s > 60) return Number.NaN;
  return ms;
}

/** One DATE or DATE-TIME text; a TZID applies to a local (non-UTC) date-time. */
function parseValue(text: string, tzid: string | undefined, what: string): Value {
  const value = text.trim();
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (date) {
    const ms = validWall(Number(date[1]), Number(date[2]), Number(date[3]), 0, 0, 0);
    if (Number.isNaN(ms)) fail(`${what}: invalid date ${value}`);
    return { kind: 'date', wallMs: ms };
  }
  const dateTime = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/i.exec(value);
  if (!dateTime) fail(`${what}: not a DATE or DATE-TIME: "${value}"`);
  const [, y, mo, d, h, mi, s, z] = dateTime;
  const ms = validWall(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) fail(`${what}: invalid date-time ${value}`);
  if (z) return { kind: 'utc', wallMs: ms };
  if (tzid !== undefined && tzid !== '') return { kind: 'zoned', wallMs: ms, tzid };
  return { kind: 'floating', wallMs: ms };
}

/** The values of a DTSTART/RDATE/EXDATE/RECURRENCE-ID line; PERIODs give their start. */
function valuesOf(line: ContentLine): Value[] {
  const type = line.params.VALUE?.toUpperCase();
  if (type !== undefined && !['DATE', 'DATE-TIME', 'PERIOD'].includes(type)) {
    fail(`${line.name}: unsupported VALUE=${type}`);
  }
  const parts = line.value.split(',');
  if (parts.length === 1 && parts[0]?.trim() === '') fail(`${line.name}: empty value`);
  return parts.map((part) => {
    const start = type === 'PERIOD' || part.includes('/') ? (part.split('/')[0] ?? '') : part;
    if (type === 'PERIOD') {
      const end = part.split('/')[1] ?? '';
      if (!/^(\d{8}T\d{6}Z?|[+-]?P[\dWDTHMS]+)$/i.test(end.trim())) fail(`${line.name}: invalid PERIOD ${part}`);
      if (/^\d{8}$/.test(start.trim())) fail(`${line.name}: PERIOD of dates ${part}`);
    }
    const value = parseValue(start, line.params.TZID, line.name);
    if (type === 'DATE' && value.kind !== 'date') fail(`${line.name}: VALUE=DATE with a date-time`);
    return value;
  });
}

// ---------------------------------------------------------------------------------------------
// Zones (§3.2.19, §3.6.5)

/** A zone: its UTC offset (ms, local − UTC) at an instant. */
interface Zone {
  offsetAt(ms: number): number;
}

const intlFormats = new Map<string, Intl.DateTimeFormat | null>();

function intlFormat(name: string): Intl.DateTimeFormat | null {
  let format = intlFormats.get(name);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      format = null;
    }
    intlFormats.set(name, format);
  }
  return format;
}

function ianaZone(name: string): Zone | undefined {
  // Only real region names: Intl also accepts offsets and abbreviations on some runtimes.
  if (!/^[A-Za-z]+(\/[A-Za-z0-9_+-]+)+$|^(UTC|GMT)$/.test(name)) return undefined;
  const format = intlFormat(name);
  if (format === null) return undefined;
  return {
    offsetAt(ms: number): number {
      const seconds = Math.floor(ms / 1000) * 1000;
      const parts: Record<string, number> = {};
      for (const part of format.formatToParts(new Date(seconds))) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
      }
      const wall = Date.UTC(
        parts.year ?? 0,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour ?? 0,
        parts.minute ?? 0,
        parts.second ?? 0,
      );
      return wall - seconds;
    },
  };
}

/** UTC offset (ms) of an IANA zone at an instant, from the runtime's Intl data. */
export function ianaOffsetMs(name: string, ms: number): number {
  const zone = ianaZone(name);
  if (!zone) throw new Error(`unknown IANA zone ${name}`);
  return zone.offsetAt(ms);
}

function parseOffset(text: string | undefined): number {
  const match = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec((text ?? '').trim());
  if (!match) fail(`VTIMEZONE: invalid UTC offset "${text}"`);
  const [, sign, h, m, s] = match;
  return (sign === '-' ? -1 : 1) * ((Number(h) * 60 + Number(m)) * 60 + Number(s ?? 0)) * 1000;
}

/** Observance onsets are generated up to this year; windows of the tests stay well before. */
const ZONE_HORIZON_MS = Date.UTC(2200, 0, 1);

/** §3.6.5: a VTIMEZONE's offset at an instant is the TZOFFSETTO of the latest onset before it. */
function vtimezoneZone(vtimezone: Component): Zone {
  const onsets: { ms: number; to: number; from: number }[] = [];
  for (const observance of vtimezone.children) {
    if (observance.name !== 'STANDARD' && observance.name !== 'DAYLIGHT') continue;
    const from = parseOffset(first(observance, 'TZOFFSETFROM')?.value);
    const to = parseOffset(first(observance, 'TZOFFSETTO')?.value);
    const dtstartLine = first(observance, 'DTSTART');
    if (!dtstartLine) fail('VTIMEZONE: observance without DTSTART');
    const [start] = valuesOf(dtstartLine);
    if (!start) fail('VTIMEZONE: empty DTSTART');
    const walls = [start.wallMs];
    for (const line of all(observance, 'RDATE')) {
      for (const value of valuesOf(line)) walls.push(value.kind === 'utc' ? value.wallMs + from : value.wallMs);
    }
    for (const line of all(observance, 'RRULE')) {
      // UNTIL of an observance is UTC (§3.6.5); onsets are local times in TZOFFSETFROM.
      const rule = buildRule(line.value, start.wallMs, (until) =>
        until.kind === 'utc' ? until.wallMs + from : until.wallMs,
      );
      rule.between(new Date(start.wallMs), new Date(ZONE_HORIZON_MS), true, (date, count) => {
        walls.push(date.getTime());
        return count < 3_000;
      });
    }
    for (const wall of walls) onsets.push({ ms: wall - from, to, from });
  }
  if (onsets.length === 0) fail('VTIMEZONE without observances');
  onsets.sort((a, b) => a.ms - b.ms);
  const earliest = onsets[0] as { from: number };
  return {
    offsetAt(ms: number): number {
      let lo = 0;
      let hi = onsets.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((onsets[mid] as { ms: number }).ms <= ms) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? earliest.from : (onsets[lo - 1] as { to: number }).to;
    },
  };
}

/** How a TZID was resolved, for the report. */
export type ZoneSource = 'vtimezone' | 'iana' | 'unresolved';

interface ZoneResolver {
  resolve(tzid: string): Zone | undefined;
  sources: Map<string, ZoneSource>;
}

function zoneResolver(calendar: Component): ZoneResolver {
  const cache = new Map<string, Zone | undefined>();
  const sources = new Map<string, ZoneSource>();
  return {
    sources,
    resolve(tzid: string): Zone | undefined {
      if (cache.has(tzid)) return cache.get(tzid);
      let zone: Zone | undefined;
      const vtimezone = calendar.children.find((c) => c.name === 'VTIMEZONE' && first(c, 'TZID')?.value === tzid);
      if (vtimezone) {
        zone = vtimezoneZone(vtimezone);
        sources.set(tzid, 'vtimezone');
      } else {
        // §3.2.19: a leading solidus marks an id from a globally defined registry.
        zone = ianaZone(tzid.replace(/^\//, ''));
        sources.set(tzid, zone ? 'iana' : 'unresolved');
      }
      cache.set(tzid, zone);
      return zone;
    },
  };
}

const DAY = 86_400_000;

/**
 * §3.3.5: the instant of a local time in a zone. A nonexistent local time (in a DST gap) is
 * read with the offset before the gap; an ambiguous one (DST overlap) is its first occurrence.
 */
function wallToInstant(zone: Zone, wallMs: number): number {
  const before = zone.offsetAt(wallMs - DAY);
  const after = zone.offsetAt(wallMs + DAY);
  const candidates = [...new Set([wallMs - before, wallMs - after])].filter(
    (instant) => zone.offsetAt(instant) === wallMs - instant,
  );
  if (candidates.length === 0) return wallMs - before;
  return Math.min(...candidates);
}

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
// Rules (§3.3.10)

/** RRULE parts rrule.js accepts. Others (RFC 7529 RSCALE/SKIP …) make the rule unsupported. */
const RRULE_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'WKST',
  'BYSETPOS',
  'BYMONTH',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
]);

/** An RRule on the wall clock from `dtstartWall`; `untilWall` converts UNTIL to that clock. */
function buildRule(text: string, dtstartWall: number, untilWall: (until: Value) => number): RRule {
  const kept: string[] = [];
  let until: number | undefined;
  for (const part of text.split(';')) {
    if (part.trim() === '') continue; // a trailing ';' (tests/events/issue_157…)
    const [key = '', value = ''] = part.split('=');
    const name = key.trim().toUpperCase();
    if (name === 'UNTIL') {
      until = untilWall(parseValue(value, undefined, 'UNTIL'));
    } else if (RRULE_PARTS.has(name)) {
      kept.push(`${name}=${value.trim()}`);
    } else {
      fail(`RRULE part ${name} is not supported by the reference`);
    }
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(kept.join(';'));
  } catch (cause) {
    fail(`RRULE rejected by rrule.js: ${(cause as Error).message}`);
  }
  if (options.freq === undefined) fail('RRULE without FREQ');
  const rule = new RRule({
    ...options,
    dtstart: new Date(dtstartWall),
    until: until === undefined ? null : new Date(until),
  });
  return rule;
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
