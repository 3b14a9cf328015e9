import { CalsyncError } from '@calsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { alice, type Harness, openSdk } from './setup.ts';

// A corpus of answers a hostile or broken server can send. For each, every request the SDK
// makes gets that answer: the public methods must reject only with a CalsyncError (never a
// RangeError, a TypeError or a hang), and nothing already stored may be lost.

const WINDOW = { start: '2026-11-30T00:00:00Z', end: '2027-01-04T00:00:00Z' };
const xml = { 'content-type': 'application/xml; charset=utf-8' };
const ms = (inner: string) =>
  `<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${inner}</multistatus>`;
const withData = (href: string, data: string) =>
  ms(
    `<response><href>${href}</href><propstat><prop><getetag>"1"</getetag><C:calendar-data>${data}</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response><sync-token>t-hostile</sync-token>`,
  );

interface Hostile {
  readonly status: number;
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly headers?: Record<string, string>;
}

const corpus: Record<string, Hostile> = {
  'XML nested 20,000 deep (overflowed a recursive walk)': {
    status: 207,
    body: `<multistatus xmlns="DAV:">${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</multistatus>`,
  },
  'XML nested 100,000 deep, never closed': { status: 207, body: `<multistatus xmlns="DAV:">${'<a>'.repeat(100_000)}` },
  'truncated XML': { status: 207, body: ms('<response><href>/alice/cal/a.ics</href><propstat><prop>').slice(0, -20) },
  'a DOCTYPE with entities': {
    status: 207,
    body: '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><multistatus xmlns="DAV:">&b;</multistatus>',
  },
  'an HTML page with 200': {
    status: 200,
    body: '<html><body>Sign in</body></html>',
    headers: { 'content-type': 'text/html' },
  },
  'JSON with 207': { status: 207, body: '{"multistatus": []}' },
  'an empty 207': { status: 207, body: '' },
  'bytes that are not UTF-8': { status: 207, body: new Uint8Array([0x3c, 0xff, 0xfe, 0x00, 0x80, 0x3e, 0xc3]) },
  'response in a foreign namespace': {
    status: 207,
    body: '<multistatus xmlns="DAV:"><x:response xmlns:x="urn:x"><x:href>/alice/cal/a.ics</x:href></x:response><sync-token>t</sync-token></multistatus>',
  },
  'an href that is javascript:': { status: 207, body: withData('javascript:alert(1)', 'BEGIN:VCALENDAR') },
  'an href that is no URL': { status: 207, body: withData('http://[::1', 'BEGIN:VCALENDAR') },
  'a 1 MB href': { status: 207, body: withData(`/alice/cal/${'x'.repeat(1_000_000)}.ics`, 'BEGIN:VCALENDAR') },
  'a garbage status line': {
    status: 207,
    body: ms('<response><href>/alice/cal/a.ics</href><status>HTTP/9 lol</status></response><sync-token>t</sync-token>'),
  },
  'calendar-data nesting 50,000 components': {
    status: 207,
    body: withData(
      '/alice/cal/deep.ics',
      `${'BEGIN:VEVENT&#13;\n'.repeat(50_000)}${'END:VEVENT&#13;\n'.repeat(50_000)}`,
    ),
  },
  'calendar-data of one 5 MB line': {
    status: 207,
    body: withData('/alice/cal/long.ics', `SUMMARY:${'x'.repeat(5_000_000)}`),
  },
  'a principal on another host': {
    status: 207,
    body: ms(
      '<response><href>/</href><propstat><prop><current-user-principal><href>http://evil.test/principals/alice/</href></current-user-principal><C:calendar-home-set><href>http://169.254.169.254/home/</href></C:calendar-home-set></prop><status>HTTP/1.1 200 OK</status></propstat></response>',
    ),
  },
  'a sync-collection that says "more" forever': {
    status: 207,
    body: ms(
      '<response><href>/alice/cal/</href><status>HTTP/1.1 507 Insufficient Storage</status></response><sync-token>same</sync-token>',
    ),
  },
  'a redirect to another host': { status: 301, body: '', headers: { location: 'http://evil.test/dav/' } },
  '500 with an HTML body': { status: 500, body: '<html>oops</html>', headers: { 'content-type': 'text/html' } },
  '403 everywhere': { status: 403, body: '' },
};

describe('every public method rejects only with CalsyncError, and loses nothing stored (hostile answer corpus)', () => {
  let server: RadicaleServer;
  let h: Harness;

  beforeAll(async () => {
    server = await startRadicale();
    const dav = alice(server);
    await dav.makeCalendar('/alice/cal/', 'Cal');
    await dav.put(
      '/alice/cal/a.ics',
      buildIcs({ uid: 'a', summary: 'A', start: '20261202T090000Z', end: '20261202T100000Z' }),
    );
    await dav.put(
      '/alice/cal/b.ics',
      buildIcs({ uid: 'b', summary: 'B', start: '20261203T090000Z', end: '20261203T100000Z' }),
    );
    h = await openSdk();
    await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
    await h.sdk.sync();
  });

  afterAll(async () => {
    await h?.sdk.close();
    await server?.stop();
  });

  const answer = (hostile: Hostile) => async () =>
    new Response(hostile.body, { status: hostile.status, headers: { ...xml, ...hostile.headers } });

  /** Awaits `call`; a rejection must be a CalsyncError (a resolution is fine too). */
  async function onlyCalsyncErrors(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      expect(error).toBeInstanceOf(CalsyncError);
    }
  }

  it.each(Object.entries(corpus))('%s', async (_name, hostile) => {
    const fresh = await openSdk();
    fresh.net.intercept = answer(hostile);
    await expect(
      fresh.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' }),
    ).rejects.toBeInstanceOf(CalsyncError);
    expect(fresh.net.requests.every((r) => r.url.startsWith(server.url))).toBe(true);
    await fresh.sdk.close();

    const [calendar] = await h.sdk.listCalendars();
    h.net.intercept = answer(hostile);
    try {
      await onlyCalsyncErrors(() => h.sdk.sync());
      // A local edit while the server is hostile: stored, pushed (and refused) without harm.
      const created = await h.sdk.createEvent(calendar?.id ?? '', {
        summary: 'Local',
        start: '2026-12-04T09:00:00Z',
        end: '2026-12-04T10:00:00Z',
      });
      await onlyCalsyncErrors(() => h.sdk.sync());
      expect((await h.sdk.getEvent(created.eventId))?.summary).toBe('Local');
      await h.sdk.deleteEvent(created.eventId);
      await onlyCalsyncErrors(() => h.sdk.sync());
      expect(h.net.requests.every((r) => r.url.startsWith(server.url))).toBe(true);
      const summaries = (await h.sdk.listEvents(WINDOW)).map((e) => e.summary).sort();
      expect(summaries.filter((s) => s !== 'Local')).toEqual(['A', 'B']);
    } finally {
      h.net.intercept = undefined;
    }
    // And once the server is sane again, everything syncs as before.
    await h.sdk.sync();
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary).sort()).toEqual(['A', 'B']);
  });
});
