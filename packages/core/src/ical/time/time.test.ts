import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { ianaOffsetMs } from '../differential/zones.ts';
import { timeToMs } from './time.ts';
import { ensureZone } from './timezones.ts';

/**
 * RFC 5545 §3.3.5, independently: the first instant whose wall-clock time in `zone` is
 * `wall` (written as UTC ms); a wall-clock time that does not exist takes the offset in
 * force before the gap.
 */
function rfcInstant(zone: string, wall: number): number {
  const offsets = [ianaOffsetMs(zone, wall - 86_400_000), ianaOffsetMs(zone, wall + 86_400_000)];
  const valid = offsets.map((o) => wall - o).filter((t) => t + ianaOffsetMs(zone, t) === wall);
  return valid.length > 0 ? Math.min(...valid) : wall - (offsets[0] as number);
}

describe('timeToMs', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'reads every 37th minute of 2026 in %s as RFC 5545 §3.3.5 says, skipped and repeated hours included',
    (tzid) => {
      const zone = ensureZone(tzid);
      if (!zone) throw new Error(`no zone ${tzid}`);
      const mismatches: string[] = [];
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 60_000) {
        const d = new Date(ms);
        const fields = {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: 0,
          isDate: false,
        };
        // The wall-clock fields `ms` spells, read in the zone.
        const ours = timeToMs(ICAL.Time.fromData(fields, zone));
        const expected = rfcInstant(tzid, ms);
        if (ours !== expected) mismatches.push(`${d.toISOString()}: ${new Date(ours).toISOString()}`);
      }
      expect(mismatches).toEqual([]);
    },
  );

  it('a skipped time takes the offset before the gap, a repeated one its first occurrence (RFC examples)', () => {
    const zone = ensureZone('America/New_York');
    const at = (fields: string) => {
      const [date, time] = fields.split('T') as [string, string];
      const [year, month, day] = [Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8))];
      const [hour, minute] = [Number(time.slice(0, 2)), Number(time.slice(2, 4))];
      return new Date(
        timeToMs(ICAL.Time.fromData({ year, month, day, hour, minute, second: 0, isDate: false }, zone)),
      ).toISOString();
    };
    expect(at('20070311T0230')).toBe('2007-03-11T07:30:00.000Z'); // 03:30 EDT, one hour after 01:30 EST
    expect(at('20071104T0130')).toBe('2007-11-04T05:30:00.000Z'); // 01:30 EDT, the first one
    expect(at('20071104T0230')).toBe('2007-11-04T07:30:00.000Z');
    expect(at('20070311T0330')).toBe('2007-03-11T07:30:00.000Z');
  });
});
