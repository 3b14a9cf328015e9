import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { indexObject } from '../read/index-object.ts';
import { calendar, utc, vevent } from '../test-ics.ts';
import { ensureZone, WINDOWS_ZONES } from './timezones.ts';

function startOf(tzid: string, local = '20260115T100000') {
  const result = indexObject(calendar(vevent('UID:z', `DTSTART;TZID=${tzid}:${local}`)));
  if (!result.ok) throw result.error;
  return result.fields;
}

describe('ensureZone', () => {
  it('loads an IANA zone and registers it with ical.js', () => {
    const zone = ensureZone('Asia/Tokyo');
    expect(zone?.tzid).toBe('Asia/Tokyo');
    expect(ICAL.TimezoneService.has('Asia/Tokyo')).toBe(true);
  });

  it('returns the same zone object on repeated lookups', () => {
    expect(ensureZone('Europe/Paris')).toBe(ensureZone('Europe/Paris'));
  });

  it('returns undefined for unknown names without throwing', () => {
    expect(ensureZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(ensureZone('')).toBeUndefined();
    expect(ensureZone('////')).toBeUndefined();
  });

  it('resolves every Windows zone name in the map', () => {
    const unresolved = Object.keys(WINDOWS_ZONES).filter((name) => ensureZone(name) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('registers again after the global TimezoneService was reset', () => {
    ensureZone('America/Chicago');
    ICAL.TimezoneService.reset();
    expect(ensureZone('America/Chicago')?.tzid).toBe('America/Chicago');
    expect(ICAL.TimezoneService.has('America/Chicago')).toBe(true);
  });
});

describe('TZID resolution in objects', () => {
  it('reads an IANA TZID with its DST rules', () => {
    expect(startOf('America/New_York', '20261210T100000')).toMatchObject({
      start: utc(2026, 12, 10, 15),
      timezone: 'America/New_York',
    });
    expect(startOf('America/New_York', '20260710T100000').start).toBe(utc(2026, 7, 10, 14));
  });

  it.each([
    ['W. Europe Standard Time', 'Europe/Berlin', 9],
    ['Eastern Standard Time', 'America/New_York', 15],
    ['Pacific Standard Time', 'America/Los_Angeles', 18],
    ['Tokyo Standard Time', 'Asia/Tokyo', 1],
    ['"Romance Standard Time"', 'Europe/Paris', 9],
  ])('maps the Windows name %s to %s', (tzid, iana, utcHour) => {
    const fields = startOf(tzid);
    expect(fields.timezone).toBe(iana);
    expect(fields.start).toBe(utc(2026, 1, 15, utcHour));
    expect(fields.timezoneUnresolved).toBeUndefined();
  });

  it('strips the /mozilla.org/… prefix of old Lightning TZIDs', () => {
    const fields = startOf('/mozilla.org/20050126_1/Europe/Berlin');
    expect(fields).toMatchObject({ start: utc(2026, 1, 15, 9), timezone: 'Europe/Berlin' });
  });

  it('reads an unknown TZID as floating (UTC) and flags it', () => {
    const fields = startOf('Mars/Olympus_Mons');
    expect(fields.start).toBe(utc(2026, 1, 15, 10));
    expect(fields.timezoneUnresolved).toBe(true);
    expect(fields.timezone).toBeUndefined();
  });

  it('prefers an embedded VTIMEZONE, even over an IANA zone of the same name', () => {
    const vtimezone = [
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0300',
      'TZOFFSETTO:+0300',
      'END:STANDARD',
      'END:VTIMEZONE',
    ].join('\r\n');
    const result = indexObject(calendar(vtimezone, vevent('UID:e', 'DTSTART;TZID=Europe/Berlin:20260715T100000')));
    expect(result.ok && result.fields.start).toBe(utc(2026, 7, 15, 7));
    // The IANA definition is still used for objects without the embedded zone.
    expect(startOf('Europe/Berlin', '20260715T100000').start).toBe(utc(2026, 7, 15, 8));
  });

  it('reports a custom embedded zone under its own TZID', () => {
    const vtimezone = [
      'BEGIN:VTIMEZONE',
      'TZID:Office Time',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0530',
      'TZOFFSETTO:+0530',
      'END:STANDARD',
      'END:VTIMEZONE',
    ].join('\r\n');
    const result = indexObject(calendar(vtimezone, vevent('UID:o', 'DTSTART;TZID=Office Time:20260101T100000')));
    expect(result.ok && result.fields).toMatchObject({ start: utc(2026, 1, 1, 4, 30), timezone: 'Office Time' });
  });

  it('treats TZID=UTC as UTC without a timezone field', () => {
    const fields = startOf('UTC');
    expect(fields.start).toBe(utc(2026, 1, 15, 10));
    expect(fields.timezone).toBeUndefined();
    expect(fields.timezoneUnresolved).toBeUndefined();
  });
});

describe('independence from the process time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it('gives the same instants under TZ=Pacific/Kiritimati and TZ=America/St_Johns', () => {
    const ics = calendar(
      vevent('UID:floating', 'DTSTART:20260315T100000', 'RRULE:FREQ=DAILY;COUNT=3'),
      vevent('UID:zoned', 'DTSTART;TZID=Europe/Berlin:20260315T100000'),
    );
    const floating = calendar(vevent('UID:f', 'DTSTART:20260315T100000', 'DTEND:20260315T110000'));
    const results: unknown[] = [];
    for (const tz of ['UTC', 'Pacific/Kiritimati', 'America/St_Johns']) {
      process.env.TZ = tz;
      // The process really is in another zone now; ical.js must not care.
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(
        tz === 'UTC' ? 0 : tz === 'Pacific/Kiritimati' ? -840 : 210,
      );
      results.push([indexObject(ics), indexObject(floating), startOf('Asia/Kolkata')]);
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const [, floatingResult] = results[0] as [unknown, ReturnType<typeof indexObject>];
    expect(floatingResult.ok && floatingResult.fields.start).toBe(utc(2026, 3, 15, 10));
  });
});
