/**
 * Time zones for the differential test's reference (RFC 5545 §3.2.19, §3.6.5): UTC offsets from
 * an object's own VTIMEZONEs or from the runtime's `Intl` data for IANA names, and local time
 * to instant (§3.3.5).
 *
 * Test-only: part of the independent implementation `differential.test.ts` compares calsync
 * with; it must never import calsync's own ical code, and nothing but that test imports it.
 */
import { all, type Component, first } from './lines.ts';
import { buildRule } from './rules.ts';
import { fail, valuesOf } from './values.ts';

// ---------------------------------------------------------------------------------------------
// Zones (§3.2.19, §3.6.5)

/** A zone: its UTC offset (ms, local − UTC) at an instant. */
export interface Zone {
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

export interface ZoneResolver {
  resolve(tzid: string): Zone | undefined;
  sources: Map<string, ZoneSource>;
}

export function zoneResolver(calendar: Component): ZoneResolver {
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

export const DAY = 86_400_000;

/**
 * §3.3.5: the instant of a local time in a zone. A nonexistent local time (in a DST gap) is
 * read with the offset before the gap; an ambiguous one (DST overlap) is its first occurrence.
 */
export function wallToInstant(zone: Zone, wallMs: number): number {
  const before = zone.offsetAt(wallMs - DAY);
  const after = zone.offsetAt(wallMs + DAY);
  const candidates = [...new Set([wallMs - before, wallMs - after])].filter(
    (instant) => zone.offsetAt(instant) === wallMs - instant,
  );
  if (candidates.length === 0) return wallMs - before;
  return Math.min(...candidates);
}
