/**
 * DATE and DATE-TIME values for the differential test's reference (RFC 5545 §3.3.4, §3.3.5,
 * §3.3.9), and `UnreadableData`, the error that makes the reference reject an object.
 *
 * Test-only: part of the independent implementation `differential.test.ts` compares calsync
 * with; it must never import calsync's own ical code, and nothing but that test imports it.
 */
import type { ContentLine } from './lines.ts';

// ---------------------------------------------------------------------------------------------
// Values (§3.3.4, §3.3.5, §3.3.9)

/** A DATE or DATE-TIME as written. `wallMs`: its fields read as if they were UTC. */
export type Value =
  | { kind: 'date'; wallMs: number }
  | { kind: 'utc'; wallMs: number }
  | { kind: 'floating'; wallMs: number }
  | { kind: 'zoned'; wallMs: number; tzid: string };

export class UnreadableData extends Error {}

export function fail(message: string): never {
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
export function parseValue(text: string, tzid: string | undefined, what: string): Value {
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
export function valuesOf(line: ContentLine): Value[] {
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
