import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DavTestClient } from '../../../test/helpers/dav-client.ts';
import { type RadicaleServer, startRadicale } from '../../../test/helpers/radicale.ts';
import { toProxyUrl } from './proxy-url.ts';
import { type RunningProxy, startProxyServer } from './server.ts';

const APP_ORIGIN = 'https://app.example.com';
const AUTH = `Basic ${Buffer.from('alice:alice-password').toString('base64')}`;

let radicale: RadicaleServer;
let proxy: RunningProxy;
let direct: DavTestClient;

beforeAll(async () => {
  radicale = await startRadicale();
  direct = new DavTestClient(radicale.url, 'alice', 'alice-password');
  await direct.makeCalendar('/alice/cal/', 'Cal');
  proxy = await startProxyServer({
    upstreams: [{ origin: new URL(radicale.url).origin, allowPrivate: true }],
    allowedOrigins: [APP_ORIGIN],
  });
}, 30_000);

afterAll(async () => {
  await proxy?.close();
  await radicale?.stop();
});

/** A request through the proxy, as the SDK in a browser would send it. */
function viaProxy(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  return fetch(toProxyUrl(proxy.url, direct.url(path)), {
    method,
    headers: { Origin: APP_ORIGIN, Authorization: AUTH, ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

function ics(uid: string, summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//calsync//proxy test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260110T100000Z',
    'DTEND:20260110T110000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const ICS_HEADERS = { 'Content-Type': 'text/calendar; charset=utf-8' };

describe('through the proxy to Radicale', () => {
  it('PROPFIND returns 207 with the server hrefs untouched', async () => {
    const res = await viaProxy('PROPFIND', '/alice/', {
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><displayname/><resourcetype/></prop></propfind>',
    });
    expect(res.status).toBe(207);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const body = await res.text();
    expect(body).toMatch(/href>\/alice\/cal\/<\//);
    expect(body).toContain('Cal');
    expect(body).not.toContain(proxy.url);
  });

  it('answers a CalDAV OPTIONS (not a preflight) from the server, with its DAV header', async () => {
    const res = await viaProxy('OPTIONS', '/alice/cal/');
    expect(res.headers.get('dav')).toContain('calendar-access');
  });

  it('creates with If-None-Match: * and exposes the ETag; a second create gets 412', async () => {
    const res = await viaProxy('PUT', '/alice/cal/create.ics', {
      headers: { ...ICS_HEADERS, 'If-None-Match': '*' },
      body: ics('create', 'Created'),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toMatch(/^"/);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/\bETag\b/);
    const again = await viaProxy('PUT', '/alice/cal/create.ics', {
      headers: { ...ICS_HEADERS, 'If-None-Match': '*' },
      body: ics('create', 'Other'),
    });
    expect(again.status).toBe(412);
    expect((await direct.get('/alice/cal/create.ics')).body).toContain('SUMMARY:Created');
  });

  it('updates only with the right If-Match', async () => {
    const etag = await direct.put('/alice/cal/update.ics', ics('update', 'V1'));
    expect(etag).not.toBeNull();
    const wrong = await viaProxy('PUT', '/alice/cal/update.ics', {
      headers: { ...ICS_HEADERS, 'If-Match': '"not-the-etag"' },
      body: ics('update', 'Wrong'),
    });
    expect(wrong.status).toBe(412);
    const right = await viaProxy('PUT', '/alice/cal/update.ics', {
      headers: { ...ICS_HEADERS, 'If-Match': etag ?? '' },
      body: ics('update', 'V2'),
    });
    expect([201, 204]).toContain(right.status);
    const stored = await direct.get('/alice/cal/update.ics');
    expect(stored.body).toContain('SUMMARY:V2');
    expect(right.headers.get('etag')).toBe(stored.etag);
  });

  it('REPORT returns 207 with the object hrefs untouched', async () => {
    await direct.put('/alice/cal/report.ics', ics('report', 'Reported'));
    const res = await viaProxy('REPORT', '/alice/cal/', {
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: `<?xml version="1.0"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>
</C:calendar-query>`,
    });
    expect(res.status).toBe(207);
    const body = await res.text();
    expect(body).toMatch(/href>\/alice\/cal\/report\.ics<\//);
    expect(body).toContain('SUMMARY:Reported');
  });

  it('deletes only with the right If-Match', async () => {
    const etag = await direct.put('/alice/cal/delete.ics', ics('delete', 'Doomed'));
    const wrong = await viaProxy('DELETE', '/alice/cal/delete.ics', { headers: { 'If-Match': '"stale"' } });
    expect(wrong.status).toBe(412);
    const right = await viaProxy('DELETE', '/alice/cal/delete.ics', { headers: { 'If-Match': etag ?? '' } });
    expect([200, 204]).toContain(right.status);
    expect((await direct.get('/alice/cal/delete.ics')).status).toBe(404);
  });

  it('turns the 401 challenge into a header that triggers no browser login dialog', async () => {
    const res = await fetch(toProxyUrl(proxy.url, direct.url('/alice/cal/')), {
      method: 'PROPFIND',
      headers: { Origin: APP_ORIGIN, Depth: '0' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.headers.get('x-calsync-www-authenticate')).toMatch(/^Basic/);
  });
});
