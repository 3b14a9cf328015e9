import type { SyncEvent, SyncWarning } from '@calsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { alice, type Harness, openSdk } from './setup.ts';

// What another client or a hostile server can put in front of calsync, against a real
// Radicale: where Radicale itself produces the case (a control character another client
// stored) it is used as it is; where it cannot, its real answers are rewritten.

const WINDOW = { start: '2026-11-30T00:00:00Z', end: '2027-01-04T00:00:00Z' };
const event = (uid: string, summary: string, day = '02') =>
  buildIcs({ uid, summary, start: `202612${day}T090000Z`, end: `202612${day}T100000Z` });

async function connect(server: RadicaleServer): Promise<{ h: Harness; warnings: SyncWarning[]; accountId: string }> {
  const h = await openSdk();
  const warnings: SyncWarning[] = [];
  await h.sdk.subscribe((e: SyncEvent) => {
    if (e.type === 'warning') warnings.push(e.warning);
  });
  const account = await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
  return { h, warnings, accountId: account.id };
}

async function summaries(h: Harness, calendarName?: string): Promise<string[]> {
  const calendars = await h.sdk.listCalendars();
  const ids = calendarName ? calendars.filter((c) => c.name === calendarName).map((c) => c.id) : undefined;
  const events = await h.sdk.listEvents({ ...WINDOW, ...(ids ? { calendarIds: ids } : {}) });
  return events.map((e) => e.summary).sort();
}

describe('data other clients wrote, answers a hostile server sent (real Radicale)', () => {
  let server: RadicaleServer;
  let dav: DavTestClient;

  beforeAll(async () => {
    server = await startRadicale();
    dav = alice(server);
    await dav.makeCalendar('/alice/poisoned/', 'Poisoned');
    for (let i = 0; i < 6; i++) await dav.put(`/alice/poisoned/ok${i}.ics`, event(`ok${i}`, `Fine ${i}`));
    // Another client stored raw control characters; Radicale accepts them and sends them
    // back inside its XML, which no strict parser accepts.
    await dav.put('/alice/poisoned/pasted.ics', event('pasted', 'pasted\u000bfrom\u0001a PDF'));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('one object with characters XML cannot carry is flagged invalid; the rest syncs, on any new device', async () => {
    const { h, warnings } = await connect(server);
    const report = await h.sdk.sync();
    const calendar = report.accounts[0]?.calendars.find((c) => c.changed > 0);
    expect(calendar?.invalid).toBe(1);
    expect(await summaries(h, 'Poisoned')).toEqual(['Fine 0', 'Fine 1', 'Fine 2', 'Fine 3', 'Fine 4', 'Fine 5']);
    const [poisoned] = await h.sdk.listCalendars();
    const bad = await h.sdk.getEvent(`${poisoned?.id}|${server.url}alice/poisoned/pasted.ics`);
    expect(bad).toMatchObject({ invalid: true });
    expect(warnings.map((w) => [w.code, w.href])).toEqual([
      ['object-unreadable', `${server.url}alice/poisoned/pasted.ics`],
    ]);
    // Later syncs go on working and do not fetch it again.
    await dav.put('/alice/poisoned/ok0.ics', event('ok0', 'Fine 0, moved'));
    h.net.reset();
    const next = await h.sdk.sync();
    expect(next.accounts[0]?.ok).toBe(true);
    expect(await summaries(h, 'Poisoned')).toContain('Fine 0, moved');
    expect(h.net.requests.filter((r) => r.body.includes('calendar-multiget'))).toHaveLength(0);
    await h.sdk.close();
  });

  it('what a user pastes is cleaned before it is written, so it cannot poison the calendar for other devices', async () => {
    await dav.makeCalendar('/alice/clean/', 'Clean');
    const { h } = await connect(server);
    await h.sdk.sync();
    const clean = (await h.sdk.listCalendars()).find((c) => c.name === 'Clean');
    const created = await h.sdk.createEvent(clean?.id ?? '', {
      summary: 'pasted\u000bfrom\u0001a PDF',
      description: 'line one\r\nline two\u0007',
      start: '2026-12-03T09:00:00Z',
      end: '2026-12-03T10:00:00Z',
    });
    expect(created.summary).toBe('pastedfroma PDF');
    await h.sdk.updateEvent(created.eventId, { location: 'room\u001b[31m 2' });
    await h.sdk.sync();
    const [stored] = await dav.objects('/alice/clean/');
    expect(stored?.ics).toContain('SUMMARY:pastedfroma PDF');
    expect(stored?.ics).toContain('LOCATION:room[31m 2');
    const controls = [...(stored?.ics ?? '')].filter((ch) => ch < ' ' && !'\t\r\n'.includes(ch));
    expect(controls).toEqual([]);
    // A new device gets the event like any other.
    const other = await connect(server);
    const report = await other.h.sdk.sync();
    expect(report.accounts[0]?.calendars.find((c) => c.changed === 1)?.invalid).toBe(0);
    expect(await summaries(other.h, 'Clean')).toEqual(['pastedfroma PDF']);
    await other.h.sdk.close();
    await h.sdk.close();
  });
});

/** Inserts `extra` responses into a multistatus answer (before its sync-token, if any). */
function inject(body: string, extra: string): string {
  const at = body.search(/<sync-token>|<\/multistatus>/);
  return at < 0 ? body : body.slice(0, at) + extra + body.slice(at);
}

const responseFor = (href: string, ics: string) =>
  `<response><href>${href}</href><propstat><prop><getetag>"x"</getetag><C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav">${ics
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')}</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>`;

describe('one identity per object, whatever spelling the server lists (real Radicale)', () => {
  it('an event whose UID needs escaping in its href is shown once after pulls and restarts', async () => {
    const server = await startRadicale();
    try {
      await alice(server).makeCalendar('/alice/ids/', 'Ids');
      const { h } = await connect(server);
      await h.sdk.sync();
      const [calendar] = await h.sdk.listCalendars();
      await h.sdk.createEvent(calendar?.id ?? '', {
        uid: 'a+b c;d@example.com',
        summary: 'Escaped',
        start: '2026-12-03T09:00:00Z',
        end: '2026-12-03T10:00:00Z',
      });
      await h.sdk.sync();
      // The next pull lists the object as the server spells it.
      await h.sdk.sync();
      expect(await summaries(h)).toEqual(['Escaped']);
      const fresh = await connect(server);
      await fresh.h.sdk.sync();
      const [mine] = await h.sdk.listEvents(WINDOW);
      const [theirs] = await fresh.h.sdk.listEvents(WINDOW);
      expect(theirs?.eventId.split('|')[1]).toBe(mine?.eventId.split('|')[1]);
      await fresh.h.sdk.close();
      await h.sdk.close();
    } finally {
      await server.stop();
    }
  });
});

describe('hostile answers (real Radicale, its answers rewritten)', () => {
  let server: RadicaleServer;
  let dav: DavTestClient;

  beforeAll(async () => {
    server = await startRadicale();
    dav = alice(server);
    await dav.makeCalendar('/alice/cal/', 'Cal');
    await dav.put('/alice/cal/a.ics', event('a', 'A'));
    await dav.put('/alice/cal/b.ics', event('b', 'B', '03'));
    await dav.makeCalendar('/alice/other/', 'Other');
    await dav.put('/alice/other/victim.ics', event('victim', 'Victim'));
  });

  afterAll(async () => {
    await server?.stop();
  });

  const isCalReport = (url: string, init: RequestInit | undefined) =>
    init?.method === 'REPORT' && new URL(url).pathname === '/alice/cal/';

  it('hrefs on other hosts or outside the collection are ignored and reported, and never requested', async () => {
    const { h, warnings } = await connect(server);
    const hostile = [
      'http://evil.test/x.ics',
      'http://169.254.169.254/latest/meta-data/x.ics',
      '/alice/cal/../other/victim.ics',
      '/alice/',
    ];
    h.net.rewrite = (url, init, body) =>
      isCalReport(url, init)
        ? inject(body, hostile.map((href, i) => responseFor(href, event(`injected${i}`, `Injected ${i}`))).join(''))
        : undefined;
    await h.sdk.sync();
    expect(await summaries(h, 'Cal')).toEqual(['A', 'B']);
    expect(warnings.filter((w) => w.code === 'href-outside').map((w) => w.href)).toEqual([
      'http://evil.test/x.ics',
      'http://169.254.169.254/latest/meta-data/x.ics',
      `${server.url}alice/other/victim.ics`,
      `${server.url}alice/`,
    ]);
    // Deleting everything the calendar shows deletes nothing outside it.
    for (const e of await h.sdk.listEvents(WINDOW)) {
      if (e.summary !== 'Victim') await h.sdk.deleteEvent(e.eventId);
    }
    await h.sdk.sync();
    expect(h.net.requests.every((r) => r.url.startsWith(server.url))).toBe(true);
    expect((await dav.get('/alice/other/victim.ics')).status).toBe(200);
    expect((await dav.get('/alice/cal/a.ics')).status).toBe(404);
    await dav.put('/alice/cal/a.ics', event('a', 'A'));
    await dav.put('/alice/cal/b.ics', event('b', 'B', '03'));
    await h.sdk.close();
  });

  it('an answer naming one resource twice, in different spellings, yields one event (also across syncs and restarts)', async () => {
    const { h, warnings } = await connect(server);
    const spellings = ['./a.ics', '/alice/cal/%61.ics', `${server.url.replace('http:', 'HTTP:')}alice/cal/a%2Eics`];
    h.net.rewrite = (url, init, body) =>
      isCalReport(url, init)
        ? inject(body, spellings.map((href) => responseFor(href, event('a', 'A'))).join(''))
        : undefined;
    await h.sdk.sync();
    expect(await summaries(h, 'Cal')).toEqual(['A', 'B']);
    expect(warnings.some((w) => w.code === 'href-duplicate')).toBe(true);
    await dav.put('/alice/cal/a.ics', event('a', 'A'));
    await h.sdk.sync();
    expect(await summaries(h, 'Cal')).toEqual(['A', 'B']);
    await h.reopen();
    expect(await summaries(h, 'Cal')).toEqual(['A', 'B']);
    await h.sdk.close();
  });

  it('an object whose calendar-data the server leaves out is kept, not deleted, and fetched once it is there', async () => {
    const { h, warnings } = await connect(server);
    await h.sdk.sync();
    await dav.put('/alice/cal/a.ics', event('a', 'A v2'));
    h.net.rewrite = (url, init, body) =>
      isCalReport(url, init) ? body.replace(/<C:calendar-data>[^<]*<\/C:calendar-data>/g, '') : undefined;
    const report = await h.sdk.sync();
    expect(report.accounts[0]?.calendars.every((c) => c.deleted === 0)).toBe(true);
    expect(await summaries(h, 'Cal')).toEqual(['A', 'B']);
    expect(warnings.some((w) => w.code === 'object-unavailable' && w.href.endsWith('/alice/cal/a.ics'))).toBe(true);
    h.net.rewrite = undefined;
    await h.sdk.sync(); // the token says "unchanged": the waiting object is asked for anyway
    expect(await summaries(h, 'Cal')).toEqual(['A v2', 'B']);
    await dav.put('/alice/cal/a.ics', event('a', 'A'));
    await h.sdk.close();
  });

  it('a VTIMEZONE whose rules would expand without end does not hang the sync; the other objects sync', async () => {
    // Radicale itself hangs on a PUT of such a zone (its vobject expands it), so the zone is
    // put into its answers: another object of the calendar, as a hostile server would send it.
    const zone = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//hostile//EN',
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'RRULE:FREQ=SECONDLY',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:19700101T000000',
      'RRULE:FREQ=MINUTELY',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:zoned',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Berlin:20261204T100000',
      'DTEND;TZID=Europe/Berlin:20261204T110000',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'SUMMARY:Zoned',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const { h } = await connect(server);
    h.net.rewrite = (url, init, body) =>
      isCalReport(url, init) ? inject(body, responseFor('/alice/cal/zoned.ics', zone)) : undefined;
    const started = Date.now();
    const report = await h.sdk.sync();
    expect(report.accounts[0]?.ok).toBe(true);
    const names = await summaries(h, 'Cal');
    expect(names.filter((n) => n !== 'Zoned')).toEqual(['A', 'B']);
    const zoned = (await h.sdk.listEvents(WINDOW)).filter((e) => e.summary === 'Zoned');
    // Either shown in the IANA zone of its TZID, or flagged invalid: never a hang.
    for (const occurrence of zoned) expect(occurrence.start).toMatch(/^2026-12-(04|11|18)T09:00:00.000Z$/);
    expect(Date.now() - started).toBeLessThan(20_000);
    await h.sdk.close();
  });

  it('an answer of an unexpected shape is an error, never "no objects" — on a new device and an old one', async () => {
    const foreign = (body: string) => body.replace(/<(\/?)response>/g, '<$1x:response xmlns:x="urn:not-dav">');
    const fresh = await connect(server);
    fresh.h.net.rewrite = (url, init, body) => (isCalReport(url, init) ? foreign(body) : undefined);
    await expect(fresh.h.sdk.sync()).rejects.toMatchObject({ name: 'CalsyncError', code: 'bad-data' });
    fresh.h.net.rewrite = undefined;
    await fresh.h.sdk.sync();
    expect(await summaries(fresh.h, 'Cal')).toEqual(['A', 'B']);
    // The old device: a change is listed in that shape; nothing stored goes away.
    await dav.put('/alice/cal/b.ics', event('b', 'B changed', '03'));
    fresh.h.net.rewrite = (url, init, body) => (isCalReport(url, init) ? foreign(body) : undefined);
    await expect(fresh.h.sdk.sync()).rejects.toMatchObject({ code: 'bad-data' });
    expect(await summaries(fresh.h, 'Cal')).toEqual(['A', 'B']);
    fresh.h.net.rewrite = undefined;
    await fresh.h.sdk.sync();
    expect(await summaries(fresh.h, 'Cal')).toEqual(['A', 'B changed']);
    await fresh.h.sdk.close();
  });
});
