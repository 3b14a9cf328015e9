import { describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { calendarData, readMultistatus, responseEtag } from './multistatus.ts';
import { parseXml } from './xml.ts';

const BODY = `<?xml version="1.0" encoding="utf-8"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <response><href>/cal/a%20b</href><propstat><prop><getetag>"1"</getetag>
    <C:calendar-data>BEGIN:VCALENDAR&#13;
END:VCALENDAR&#13;
</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>
  <response><href>/cal/gone.ics</href><status>HTTP/1.1 404 Not Found</status></response>
  <sync-token>http://radicale.org/ns/sync/abc</sync-token>
</multistatus>`;

describe('readMultistatus', () => {
  it('reads hrefs (resolved, no .ics filter), etags, calendar-data, inner statuses and the token', () => {
    const ms = readMultistatus(parseXml(BODY), 'https://dav.example.com/cal/');
    expect(ms.syncToken).toBe('http://radicale.org/ns/sync/abc');
    expect(ms.responses.map((r) => [r.href, r.status])).toEqual([
      ['https://dav.example.com/cal/a%20b', undefined],
      ['https://dav.example.com/cal/gone.ics', 404],
    ]);
    const first = ms.responses[0];
    expect(first && responseEtag(first)).toBe('"1"');
    expect(first && calendarData(first)).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
  });

  it('rejects truncated XML instead of returning a partial listing', () => {
    expect(() => parseXml(BODY.slice(0, BODY.length - 40))).toThrow(CalsyncError);
    try {
      parseXml(BODY.slice(0, 200));
    } catch (error) {
      expect((error as CalsyncError).code).toBe('bad-data');
    }
  });

  it('refuses DOCTYPEs (entity expansion) and non-multistatus roots', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><multistatus xmlns="DAV:">&a;</multistatus>';
    expect(() => parseXml(bomb)).toThrow(/malformed|DOCTYPE/);
    expect(() => readMultistatus(parseXml('<error xmlns="DAV:"/>'), 'https://x/')).toThrow(CalsyncError);
  });

  it('rejects a response without href', () => {
    const body = '<multistatus xmlns="DAV:"><response><status>HTTP/1.1 200 OK</status></response></multistatus>';
    expect(() => readMultistatus(parseXml(body), 'https://x/')).toThrow(/without href/);
  });
});
