import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { timeToMs } from './time.ts';
import { ensureZone } from './timezones.ts';

describe('timeToMs', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'agrees with ical.js for every 37th minute of 2026 in %s, DST days included',
    (tzid) => {
      const zone = ensureZone(tzid);
      if (!zone) throw new Error(`no zone ${tzid}`);
      let mismatches = 0;
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
        // Same wall-clock fields, read in the zone: the fast path and ical.js must agree.
        const ours = timeToMs(ICAL.Time.fromData(fields, zone));
        const theirs = ICAL.Time.fromData(fields, zone).toUnixTime() * 1000;
        if (ours !== theirs) mismatches++;
      }
      expect(mismatches).toBe(0);
    },
  );
});
