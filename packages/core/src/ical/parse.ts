import ICAL from 'ical.js';
import { CalsyncError } from '../errors.ts';

/** Outcome of {@link parseCalendar}: unreadable data is an expected result, not an exception. */
export type ParseResult = { ok: true; calendar: ICAL.Component } | { ok: false; error: CalsyncError };

/** A `bad-data` error for ICS text that cannot be used. */
export function badData(message: string, cause?: unknown): CalsyncError {
  return new CalsyncError('bad-data', message, cause === undefined ? {} : { cause });
}

/** Picks the first VCALENDAR out of what `ICAL.parse` returned (one component or a list). */
function firstCalendar(jcal: unknown): unknown[] | undefined {
  if (!Array.isArray(jcal)) return undefined;
  const roots: unknown[] = typeof jcal[0] === 'string' ? [jcal] : jcal;
  for (const root of roots) {
    if (Array.isArray(root) && typeof root[0] === 'string' && root[0].toLowerCase() === 'vcalendar') return root;
  }
  return undefined;
}

/**
 * Parses ICS text into an ical.js VCALENDAR component. Never throws: ical.js reports bad
 * input with `ParserError`, but also with plain `Error` and `TypeError`, so everything is
 * caught and returned as a `bad-data` {@link CalsyncError}. Empty text and text without a
 * VCALENDAR are `bad-data` too. When the text holds several VCALENDARs, the first is used.
 */
export function parseCalendar(ics: string): ParseResult {
  if (typeof ics !== 'string' || ics.trim() === '') {
    return { ok: false, error: badData('The calendar data is empty.') };
  }
  // A leading byte-order mark would become part of the first line's name.
  const text = ics.charCodeAt(0) === 0xfeff ? ics.slice(1) : ics;
  try {
    const root = firstCalendar(ICAL.parse(text));
    if (root === undefined) {
      return { ok: false, error: badData('The calendar data holds no VCALENDAR.') };
    }
    const calendar = new ICAL.Component(root);
    shareEmbeddedZones(calendar);
    return { ok: true, calendar };
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: badData(`The calendar data cannot be parsed: ${detail}`, cause) };
  }
}

/** Embedded VTIMEZONEs seen so far, by their exact content (jCal as JSON), most recent last. */
const sharedZones = new Map<string, ICAL.Timezone>();
/** Distinct VTIMEZONE definitions kept; a calendar uses a handful, an import a few dozen. */
const MAX_SHARED_ZONES = 256;

/**
 * Makes a parsed calendar resolve its embedded VTIMEZONEs to one shared `ICAL.Timezone` per
 * distinct definition, instead of a fresh one per parsed object.
 *
 * ical.js builds a new `Timezone` for every VCALENDAR it parses and expands the zone's
 * STANDARD/DAYLIGHT rules from their DTSTART (often 1970) up to each date it converts —
 * about 0.8 ms per object, and ~80% of a whole first sync's CPU time for a calendar whose
 * every object embeds the same Europe/Berlin definition (measured with
 * `npm run bench:profile`). A shared zone expands once and keeps its transitions.
 * Sharing is keyed by the definition's full content, so two different definitions under
 * one TZID (an old Outlook zone and a current one) never mix; lookups stay per calendar,
 * like ical.js's own (the TZID is resolved once, on first use).
 */
function shareEmbeddedZones(calendar: ICAL.Component): void {
  const resolved = new Map<string, ICAL.Timezone | null>();
  // ical.js declares a Timezone result but answers null for an unknown TZID.
  const own = calendar.getTimeZoneByID.bind(calendar) as (tzid: string) => ICAL.Timezone | null;
  calendar.getTimeZoneByID = ((tzid: string): ICAL.Timezone | null => {
    const known = resolved.get(tzid);
    if (known !== undefined) return known;
    const definition = calendar
      .getAllSubcomponents('vtimezone')
      .find((zone) => zone.getFirstPropertyValue('tzid') === tzid);
    let zone: ICAL.Timezone | null;
    if (definition === undefined) {
      zone = own(tzid);
    } else {
      const key = `${tzid}\n${JSON.stringify(definition.jCal)}`;
      zone = sharedZones.get(key) ?? null;
      if (zone === null) {
        zone = own(tzid);
        if (zone !== null) {
          if (sharedZones.size >= MAX_SHARED_ZONES) sharedZones.delete(sharedZones.keys().next().value as string);
          sharedZones.set(key, zone);
        }
      }
    }
    resolved.set(tzid, zone);
    return zone;
  }) as (tzid: string) => ICAL.Timezone;
}
