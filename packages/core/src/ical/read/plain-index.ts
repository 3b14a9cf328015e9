import ICAL from 'ical.js';
import { addDurationMs, DAY_MS, isValidMs, zonedWallMs } from '../time/time.ts';
import { zoneInfoFor } from '../time/timezones.ts';
import type { IndexedFields } from '../types.ts';
import { crsEndLines, eachLine, type Line, lineAt, lineNames, SKIPPED, splitLine } from './content-lines.ts';

/**
 * The index fields of a plain single event read by a line scanner, without building an
 * ical.js component tree (which, with its garbage, was ~60% of a first sync's JavaScript
 * time). "Plain": one VCALENDAR holding one VEVENT (VALARMs inside it, VTIMEZONEs beside
 * it) with one UID, one DTSTART, at most one DTEND or DURATION and no RRULE, RDATE, EXDATE
 * or RECURRENCE-ID; dates UTC, floating, all-day or with a TZID; no quoted parameter or
 * unusual value on the lines read. Anything else is left to ical.js (`indexObject`).
 *
 * A TZID's zone is the one ical.js's reading of an earlier object bound for the same TZID
 * and the same VTIMEZONE text (`rememberZone`): the zone depends on nothing else (see
 * time/embedded-zones.ts and time/timezones.ts), so the first object of each zone goes
 * through ical.js and the others reuse what it found. The differential test
 * (plain-index.test.ts) checks the fields equal ical.js's on every fixture and generated
 * data.
 */
export type PlainRead =
  | { readonly kind: 'fields'; readonly fields: IndexedFields }
  /** A plain event whose zone is not known yet: read it with ical.js, then {@link rememberZone}. */
  | { readonly kind: 'zone'; readonly zoneKey: string }
  | { readonly kind: 'other' };

const OTHER: PlainRead = { kind: 'other' };

/** Zones found by ical.js, by TZID and VTIMEZONE text; bounded like the shared zones. */
const zones = new Map<string, ICAL.Timezone>();
const MAX_ZONES = 256;
/** Longest VTIMEZONE text (characters) a zone is remembered by; real ones are 0.5–5 KB. */
const MAX_DEFINITION = 16_384;

/** Records the zone ical.js bound to a plain event's DTSTART (only real zone objects are kept). */
export function rememberZone(zoneKey: string, zone: unknown): void {
  if (!(zone instanceof ICAL.Timezone) || zones.has(zoneKey)) return;
  if (zones.size >= MAX_ZONES) zones.delete(zones.keys().next().value as string);
  zones.set(zoneKey, zone);
}

const TEXT_ESCAPES = /\\\\|\\;|\\,|\\[Nn]/g;

/** ical.js's TEXT decoding: `\\`, `\;`, `\,`, `\n`/`\N`; other backslashes stay. */
function text(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(TEXT_ESCAPES, (found) => (found === '\\n' || found === '\\N' ? '\n' : found.slice(1)));
}

/** A DTSTART/DTEND as read: the wall clock and its kind. */
interface DateLine {
  readonly kind: 'date' | 'utc' | 'floating' | 'zoned';
  readonly tzid?: string;
  readonly fields: { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

function dateLine(line: Line): DateLine | undefined {
  const params = line.params;
  let tzid: string | undefined;
  let valueDate = false;
  if (params !== '') {
    if (params.includes('"')) return undefined;
    for (const param of params.slice(1).split(';')) {
      const eq = param.indexOf('=');
      const name = param.slice(0, eq).toUpperCase();
      const value = param.slice(eq + 1);
      if (eq <= 0 || value === '') return undefined;
      if (name === 'TZID' && tzid === undefined) tzid = value;
      else if (name === 'VALUE' && value.toUpperCase() === 'DATE' && !valueDate) valueDate = true;
      else return undefined;
    }
  }
  const value = line.value;
  if (valueDate) {
    if (value.length !== 8 || tzid !== undefined) return undefined;
    const fields = {
      year: number(value, 0, 4),
      month: number(value, 4, 2),
      day: number(value, 6, 2),
      hour: 0,
      minute: 0,
      second: 0,
    };
    if (!realDate(fields)) return undefined;
    return { kind: 'date', fields };
  }
  // YYYYMMDDTHHMMSS, then Z or nothing.
  const utc = value.length === 16 && value.charCodeAt(15) === 90;
  if ((value.length !== 15 && !utc) || value.charCodeAt(8) !== 84) return undefined;
  const fields = {
    year: number(value, 0, 4),
    month: number(value, 4, 2),
    day: number(value, 6, 2),
    hour: number(value, 9, 2),
    minute: number(value, 11, 2),
    second: number(value, 13, 2),
  };
  if (!realDate(fields)) return undefined;
  if (utc) return tzid === undefined ? { kind: 'utc', fields } : undefined;
  return tzid === undefined ? { kind: 'floating', fields } : { kind: 'zoned', tzid, fields };
}

/** The decimal number written by `length` ASCII digits at `from`; NaN if one is not a digit. */
function number(text: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    n = n * 10 + digit;
  }
  return n;
}

/** A real date and time (ical.js would roll 2026-02-30 over, or refuse it), from year 1000 on. */
function realDate(f: DateLine['fields']): boolean {
  const { year, month, day } = f;
  if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1)) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (
    day <= days && f.hour >= 0 && f.hour <= 23 && f.minute >= 0 && f.minute <= 59 && f.second >= 0 && f.second <= 59
  );
}

/**
 * Epoch ms of a date line, as `timeToMs` reads the ical.js time {@link timeOf} would give
 * (without building it: that was a third of the scanner's time).
 */
function msOf(date: DateLine, zone: ICAL.Timezone | undefined): number {
  const f = date.fields;
  if (date.kind === 'date') return Date.UTC(f.year, f.month - 1, f.day);
  const wallMs = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  if (date.kind !== 'zoned' || !zone || zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) {
    return wallMs;
  }
  return zonedWallMs(zone, f, () => timeOf(date, zone).toUnixTime() * 1000);
}

/** The ical.js time of a date line, in `zone` for a zoned one. */
function timeOf(date: DateLine, zone: ICAL.Timezone | undefined): ICAL.Time {
  return ICAL.Time.fromData({ ...date.fields, isDate: date.kind === 'date' }, zoneOf(date, zone));
}

/** The zone ical.js binds to a date line: UTC, the TZID's (`zone`), or floating. */
function zoneOf(date: DateLine, zone: ICAL.Timezone | undefined): ICAL.Timezone | undefined {
  return date.kind === 'utc' ? ICAL.Timezone.utcTimezone : date.kind === 'zoned' ? zone : ICAL.Timezone.localTimezone;
}

/** Reads `ics` if it is a plain single event (see {@link PlainRead}). Never throws. */
export function readPlainEvent(ics: string): PlainRead {
  try {
    return scan(ics);
  } catch {
    return OTHER;
  }
}

function scan(source: string): PlainRead {
  const ics = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  if (!crsEndLines(ics)) return OTHER;
  const event = new Map<string, Line>();
  /** VTIMEZONE texts by TZID, the first of each (as written: folds and line breaks kept). */
  const definitions = new Map<string, string>();
  let events = 0;
  let depth = 0;
  let inEvent = false;
  let ended = false;
  let other = false;
  let zoneStart = -1;
  let zoneTzid: string | undefined;
  // False: not a plain event.
  const read = (from: number, to: number, unfolded: string | undefined): boolean => {
    if (ended) {
      // Only blank lines may follow END:VCALENDAR.
      return (unfolded ?? ics.slice(from, to)).trim() === '';
    }
    const line = unfolded === undefined ? lineAt(ics, from, to, READ_NAMES) : splitLine(unfolded);
    if (depth === 0) {
      // The first line opens the calendar.
      depth = 1;
      return line?.name === 'BEGIN' && line.params === '' && line.value.toUpperCase() === 'VCALENDAR';
    }
    if (line === undefined) return false;
    if (line === SKIPPED) return true;
    if (line.name === 'BEGIN' || line.name === 'END') {
      if (line.params !== '') return false;
      const component = line.value.toUpperCase();
      if (line.name === 'BEGIN') {
        if (depth === 1 && component === 'VEVENT' && events === 0) {
          inEvent = true;
          events++;
        } else if (depth === 1 && component === 'VTIMEZONE') {
          zoneStart = from;
          zoneTzid = undefined;
        } else if (depth === 2 && inEvent && component === 'VALARM') {
          // skipped
        } else if (!(depth >= 2 && zoneStart >= 0 && (component === 'STANDARD' || component === 'DAYLIGHT'))) {
          return false;
        }
        depth++;
        return true;
      }
      depth--;
      if (depth === 0 && component === 'VCALENDAR') ended = true;
      else if (depth < 1) return false;
      else if (depth === 1 && component === 'VEVENT' && inEvent) inEvent = false;
      else if (depth === 1 && component === 'VTIMEZONE' && zoneStart >= 0) {
        if (zoneTzid === undefined) return false;
        if (!definitions.has(zoneTzid)) definitions.set(zoneTzid, ics.slice(zoneStart, to));
        zoneStart = -1;
      } else if (depth === 1) return false;
      return true;
    }
    if (depth === 2 && zoneStart >= 0 && line.name === 'TZID') {
      if (line.params !== '' || line.value.includes('\\') || zoneTzid !== undefined) return false;
      zoneTzid = line.value;
      return true;
    }
    if (depth !== 2 || !inEvent) return true;
    switch (line.name) {
      case 'RRULE':
      case 'RDATE':
      case 'EXDATE':
      case 'RECURRENCE-ID':
        return false;
      case 'UID':
      case 'DTSTART':
      case 'DTEND':
      case 'DURATION':
      case 'SUMMARY':
      case 'LOCATION':
      case 'DESCRIPTION':
        if (event.has(line.name)) return false;
        event.set(line.name, line);
    }
    return true;
  };
  eachLine(ics, (from, to, unfolded) => {
    other = !read(from, to, unfolded);
    return !other;
  });
  if (other || !ended || events !== 1 || inEvent) return OTHER;
  return fieldsOf(event, definitions);
}

/** Names of the lines the scanner reads; every other line is skipped unread. */
const READ_NAMES = lineNames([
  'BEGIN',
  'END',
  'TZID',
  'RRULE',
  'RDATE',
  'EXDATE',
  'RECURRENCE-ID',
  'UID',
  'DTSTART',
  'DTEND',
  'DURATION',
  'SUMMARY',
  'LOCATION',
  'DESCRIPTION',
]);

function fieldsOf(event: ReadonlyMap<string, Line>, definitions: ReadonlyMap<string, string>): PlainRead {
  const uidLine = event.get('UID');
  const startLine = event.get('DTSTART');
  if (!uidLine || !startLine) return OTHER;
  const texts: Partial<Record<'summary' | 'location' | 'description', string>> = {};
  for (const [name, key] of [
    ['SUMMARY', 'summary'],
    ['LOCATION', 'location'],
    ['DESCRIPTION', 'description'],
  ] as const) {
    const line = event.get(name);
    if (!line) continue;
    // A VALUE parameter changes how ical.js reads the value; quotes, where the value starts.
    if (line.params.includes('"') || /;VALUE=/i.test(line.params)) return OTHER;
    texts[key] = text(line.value);
  }
  if (uidLine.params !== '') return OTHER;
  const uid = text(uidLine.value).trim();
  if (uid === '') return OTHER;
  const start = dateLine(startLine);
  if (!start) return OTHER;
  const endLine = event.get('DTEND');
  const end = endLine ? dateLine(endLine) : undefined;
  if (endLine && !end) return OTHER;
  // DTEND in the same kind of value (and zone) as DTSTART; anything mixed goes to ical.js.
  if (end && (end.kind !== start.kind || end.tzid !== start.tzid)) return OTHER;
  const durationLine = end ? undefined : event.get('DURATION');
  if (durationLine && (durationLine.params !== '' || !/^[+-]?P[0-9WDTHMS]+$/.test(durationLine.value))) return OTHER;

  let zone: ICAL.Timezone | undefined;
  if (start.kind === 'zoned') {
    const tzid = start.tzid as string;
    const definition = definitions.get(tzid) ?? '';
    // Keys are kept (256 at most): a huge definition is left to ical.js rather than kept.
    if (definition.length > MAX_DEFINITION) return OTHER;
    const zoneKey = `${tzid}\u0000${definition}`;
    zone = zones.get(zoneKey);
    if (!zone) return { kind: 'zone', zoneKey };
  }
  const startMs = msOf(start, zone);
  if (!isValidMs(startMs)) return OTHER;
  const allDay = start.kind === 'date';
  let endMs: number;
  if (end) {
    const rawEndMs = msOf(end, zone);
    if (!isValidMs(rawEndMs)) return OTHER;
    endMs = startMs + Math.max(0, rawEndMs - startMs);
  } else if (durationLine) {
    endMs = Math.max(startMs, addDurationMs(timeOf(start, zone), ICAL.Duration.fromString(durationLine.value)));
  } else {
    endMs = startMs + (allDay ? DAY_MS : 0);
  }
  if (!isValidMs(endMs)) return OTHER;
  const info = zoneInfoFor(zoneOf(start, zone), allDay, start.tzid);
  const fields: IndexedFields = {
    uid,
    componentType: 'VEVENT',
    start: startMs,
    end: endMs,
    allDay,
    recurring: false,
    rangeStart: startMs,
    rangeEnd: Math.max(endMs, startMs + 1),
  };
  if (texts.summary !== undefined) fields.summary = texts.summary;
  if (texts.location !== undefined) fields.location = texts.location;
  if (texts.description !== undefined) fields.description = texts.description;
  if (info.timezone !== undefined) fields.timezone = info.timezone;
  if (info.timezoneUnresolved === true) fields.timezoneUnresolved = true;
  if (info.floating === true && !allDay) fields.floating = true;
  return { kind: 'fields', fields };
}
