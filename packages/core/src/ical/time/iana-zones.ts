import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { boundedZone } from './bounded-zone.ts';

type Timezone = ICAL.Timezone;

/**
 * Windows (Outlook/Exchange) zone names that appear as TZIDs without an embedded
 * VTIMEZONE, mapped to the IANA zone CLDR lists as their primary ("001") zone.
 */
export const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'Dateline Standard Time': 'Etc/GMT+12',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Central America Standard Time': 'America/Guatemala',
  'Canada Central Standard Time': 'America/Regina',
  'Mexico Standard Time': 'America/Mexico_City',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Eastern Standard Time': 'America/New_York',
  'US Eastern Standard Time': 'America/Indianapolis',
  'SA Pacific Standard Time': 'America/Bogota',
  'Atlantic Standard Time': 'America/Halifax',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  UTC: 'Etc/UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'Romance Standard Time': 'Europe/Paris',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'GTB Standard Time': 'Europe/Bucharest',
  'FLE Standard Time': 'Europe/Kiev',
  'Israel Standard Time': 'Asia/Jerusalem',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Egypt Standard Time': 'Africa/Cairo',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Arab Standard Time': 'Asia/Riyadh',
  'Arabian Standard Time': 'Asia/Dubai',
  'Iran Standard Time': 'Asia/Tehran',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Calcutta',
  'Nepal Standard Time': 'Asia/Katmandu',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Taipei Standard Time': 'Asia/Taipei',
  'W. Australia Standard Time': 'Australia/Perth',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'Tasmania Standard Time': 'Australia/Hobart',
  'New Zealand Standard Time': 'Pacific/Auckland',
};

let ianaNames: ReadonlySet<string> | undefined;

function knownIanaNames(): ReadonlySet<string> {
  if (ianaNames === undefined) {
    const list = tzlib_get_timezones();
    ianaNames = new Set(Array.isArray(list) ? list : []);
  }
  return ianaNames;
}

/**
 * Loads one IANA zone from timezones-ical-library. The name is checked against the
 * library's list first because the library prints to the console for unknown names.
 * Built by `boundedZone` like embedded zones: the library's data passes its check, and
 * the bounds on far-future years matter for these zones too (a Europe/Berlin RDATE list
 * walking through the years would otherwise re-expand the zone for every value).
 */
export function loadIanaZone(name: string): Timezone | null {
  if (!knownIanaNames().has(name)) return null;
  const block = tzlib_get_ical_block(name);
  const text = Array.isArray(block) ? block[0] : undefined;
  if (text === undefined || !text.includes('BEGIN:VTIMEZONE')) return null;
  const calendar = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${text}\r\nEND:VCALENDAR\r\n`));
  const component = calendar.getFirstSubcomponent('vtimezone');
  const tzid = component?.getFirstPropertyValue('tzid');
  if (component === null || typeof tzid !== 'string') return null;
  const zone = boundedZone(component, tzid);
  if (zone === undefined) return null;
  // The library answers aliases with the canonical zone (US/Eastern → America/New_York).
  if (!ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone);
  return ICAL.TimezoneService.get(zone.tzid) ?? zone;
}

/** IANA names a TZID text may stand for, most specific first. */
export function candidateNames(tzid: string): string[] {
  const trimmed = tzid.trim().replace(/^"|"$/g, '');
  const names = [trimmed];
  const windows = WINDOWS_ZONES[trimmed];
  if (windows !== undefined) names.push(windows);
  // A leading "/" marks a globally unique TZID (RFC 5545 §3.2.19): "/Europe/Stockholm" is
  // the IANA zone itself. Prefixed ones from old Lightning/libical
  // ("/mozilla.org/20050126_1/Europe/Berlin") name it after a few segments: drop leading
  // segments until an IANA name remains.
  if (trimmed.startsWith('/')) {
    const parts = trimmed.split('/').filter((part) => part !== '');
    for (let i = 0; i < parts.length; i++) names.push(parts.slice(i).join('/'));
  }
  return names;
}

/** Library zones by the TZID text they were looked up for; `null` remembers a miss. */
const libraryZones = new Map<string, Timezone | null>();

/**
 * The timezones-ical-library zone a TZID names (IANA name, Windows name or prefixed IANA
 * name), without registering anything under the TZID: for embedded VTIMEZONEs that only
 * describe recent years (see `boundedZone`). Looked up once per TZID text; never throws.
 */
export function libraryZone(tzid: string): Timezone | undefined {
  let zone = libraryZones.get(tzid);
  if (zone === undefined) {
    zone = null;
    try {
      for (const name of candidateNames(tzid)) {
        zone = loadIanaZone(name);
        if (zone !== null) break;
      }
    } catch {
      zone = null;
    }
    libraryZones.set(tzid, zone);
  }
  return zone ?? undefined;
}
