import ICAL from 'ical.js';
import { resolveEmbeddedZones } from './embedded-zones.ts';
import { candidateNames, loadIanaZone } from './iana-zones.ts';

export { WINDOWS_ZONES } from './iana-zones.ts';

type Component = ICAL.Component;
type Timezone = ICAL.Timezone;

/** Zones looked up so far, by the TZID text met; `null` remembers a miss so it is not retried. */
const resolved = new Map<string, Timezone | null>();

/**
 * Finds the zone a TZID stands for outside the object (IANA name, Windows name or a
 * prefixed IANA name), registering it with `ICAL.TimezoneService` under the TZID text
 * itself so that ical.js resolves every property carrying that TZID. Each TZID text is
 * looked up once per process. Returns `undefined` when nothing matches; never throws.
 */
export function ensureZone(tzid: string): Timezone | undefined {
  const known = resolved.get(tzid);
  if (known === null) return undefined;
  if (known !== undefined) {
    // Someone may have reset the global TimezoneService since; registering again is cheap.
    if (!ICAL.TimezoneService.has(tzid)) ICAL.TimezoneService.register(known, tzid);
    return known;
  }
  let zone: Timezone | null = null;
  try {
    zone = ICAL.TimezoneService.get(tzid) ?? null;
    for (const name of zone === null ? candidateNames(tzid) : []) {
      zone = ICAL.TimezoneService.get(name) ?? loadIanaZone(name);
      if (zone !== null) break;
    }
    if (zone !== null && !ICAL.TimezoneService.has(tzid)) ICAL.TimezoneService.register(zone, tzid);
  } catch {
    zone = null;
  }
  resolved.set(tzid, zone);
  return zone ?? undefined;
}

/**
 * Makes every TZID used in `calendar` resolvable before any date value is read (ical.js
 * binds the zone when a value is first decoded). TZIDs defined by a usable VTIMEZONE
 * inside the calendar are left to that definition, which ical.js prefers; those whose
 * VTIMEZONE is refused (`resolveEmbeddedZones`) are looked up like TZIDs without one.
 * Never throws.
 */
export function registerZonesFor(calendar: Component): void {
  resolveEmbeddedZones(calendar);
  const embedded = new Set<string>();
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string') embedded.add(tzid);
  }
  // ical.js declares a Timezone result but answers null for an unknown TZID.
  const usable = (tzid: string): boolean => (calendar.getTimeZoneByID(tzid) as Timezone | null) !== null;
  const visit = (component: Component): void => {
    for (const property of component.getAllProperties()) {
      const tzid = property.getParameter('tzid');
      if (typeof tzid === 'string' && !(embedded.has(tzid) && usable(tzid))) ensureZone(tzid);
    }
    for (const child of component.getAllSubcomponents()) visit(child);
  };
  for (const child of calendar.getAllSubcomponents()) {
    if (child.name !== 'vtimezone') visit(child);
  }
}

/** How the zone of one date value was resolved, in the shape of `IndexedFields`. */
export interface ZoneInfo {
  /** TZID of the zone used; absent for UTC, floating and date values. */
  timezone?: string;
  /** True when the value carried a TZID that matched no zone and was read as floating. */
  timezoneUnresolved?: boolean;
  /** A floating date-time (no zone; also an unresolved TZID): the same wall time in every zone. */
  floating?: boolean;
}

/** Describes the zone ical.js bound to `time`, read from the property `tzid` parameter. */
export function zoneInfoOf(time: ICAL.Time, tzidParam: unknown): ZoneInfo {
  return zoneInfoFor(time.zone, time.isDate, tzidParam);
}

/** {@link zoneInfoOf} from a time's parts: its zone, whether it is a date, its TZID parameter. */
export function zoneInfoFor(zone: ICAL.Timezone | undefined, isDate: boolean, tzidParam: unknown): ZoneInfo {
  if (isDate) return {};
  if (zone === ICAL.Timezone.utcTimezone) return {};
  if (zone === ICAL.Timezone.localTimezone || zone === undefined) {
    return typeof tzidParam === 'string' && tzidParam !== ''
      ? { timezoneUnresolved: true, floating: true }
      : { floating: true };
  }
  return { timezone: zone.tzid };
}
