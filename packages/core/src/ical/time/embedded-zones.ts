import ICAL from 'ical.js';
import { boundedZone } from './bounded-zone.ts';
import { libraryZone } from './iana-zones.ts';

/** Embedded VTIMEZONEs seen so far, by their exact content (jCal as JSON), most recent last. */
const sharedZones = new Map<string, ICAL.Timezone>();
/** Distinct VTIMEZONE definitions kept; a calendar uses a handful, an import a few dozen. */
const MAX_SHARED_ZONES = 256;
/** Calendars whose TZID lookup is already replaced. */
const resolving = new WeakSet<ICAL.Component>();

/** The shared zone for one embedded definition; null when the definition is refused. */
function sharedZone(definition: ICAL.Component, tzid: string): ICAL.Timezone | null {
  const key = `${tzid}\n${JSON.stringify(definition.jCal)}`;
  const known = sharedZones.get(key);
  if (known !== undefined) return known;
  // Refused definitions are not kept: refusing again is as cheap as the key, and their
  // keys can be large.
  // Before its first observance, a definition follows the IANA zone of its name, if any.
  const zone = boundedZone(definition, tzid, () => libraryZone(tzid));
  if (zone === undefined) return null;
  if (sharedZones.size >= MAX_SHARED_ZONES) sharedZones.delete(sharedZones.keys().next().value as string);
  sharedZones.set(key, zone);
  return zone;
}

/**
 * Makes a parsed calendar resolve its embedded VTIMEZONEs through {@link boundedZone}, to
 * one shared `ICAL.Timezone` per distinct definition, instead of letting ical.js build a
 * fresh, unchecked one per parsed object. Idempotent; call it before any date is read.
 *
 * Checked, because ical.js expands a zone's rules without any limit: one VTIMEZONE with
 * `RRULE:FREQ=MINUTELY` makes every object using it hang the thread until the heap is
 * exhausted. A refused definition resolves as if it were absent: the TZID is then looked
 * up as an IANA or Windows zone name (`registerZonesFor`), and read as floating — flagged
 * `timezoneUnresolved` — when it is none. The object stays readable and keeps its text: a
 * broken VTIMEZONE is the sender's bug, and refusing the whole event over it would hide an
 * appointment whose TZID usually names a zone we know anyway. A refused definition is
 * neither shared nor registered with `ICAL.TimezoneService`, so it cannot affect another
 * object with the same TZID.
 *
 * Shared, because ical.js builds a new `Timezone` for every VCALENDAR it parses and expands
 * the zone's STANDARD/DAYLIGHT rules from their DTSTART (often 1970) up to each date it
 * converts — about 0.8 ms per object, and ~80% of a whole first sync's CPU time for a
 * calendar whose every object embeds the same Europe/Berlin definition (measured with
 * `npm run bench:profile`). A shared zone expands once and keeps its transitions.
 * Sharing is keyed by the definition's full content, so two different definitions under
 * one TZID (an old Outlook zone and a current one) never mix; lookups stay per calendar,
 * like ical.js's own (the TZID is resolved once, on first use).
 */
export function resolveEmbeddedZones(calendar: ICAL.Component): void {
  if (resolving.has(calendar)) return;
  resolving.add(calendar);
  const resolved = new Map<string, ICAL.Timezone | null>();
  calendar.getTimeZoneByID = ((tzid: string): ICAL.Timezone | null => {
    const known = resolved.get(tzid);
    if (known !== undefined) return known;
    // The first definition wins, as in ical.js.
    const definition = calendar
      .getAllSubcomponents('vtimezone')
      .find((zone) => zone.getFirstPropertyValue('tzid') === tzid);
    const zone = definition === undefined ? null : sharedZone(definition, tzid);
    resolved.set(tzid, zone);
    return zone;
    // ical.js declares a Timezone result but answers null for an unknown TZID.
  }) as (tzid: string) => ICAL.Timezone;
}

/** An ical.js VCALENDAR over a jCal tree, with its embedded zones resolved as above. */
export function calendarComponent(jcal: unknown[]): ICAL.Component {
  const calendar = new ICAL.Component(jcal);
  resolveEmbeddedZones(calendar);
  return calendar;
}
