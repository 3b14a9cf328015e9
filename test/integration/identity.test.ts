import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { duplicateIdentities, openDevice } from './setup.ts';

// One identity per object resource, whatever UIDs users type and however the server spells
// hrefs — checked with two devices (separate databases) and a plain-HTTP client on the
// same calendars, on every real server.

const WINDOW = { start: '2026-11-30T00:00:00Z', end: '2027-02-01T00:00:00Z' };
/** RFC 5545 TEXT unescaping (`\;`, `\,`, `\\`): ical.js writes a UID with `;` as `\;`. */
const unescapeText = (text: string) => text.replace(/\\([\\;,])/g, '$1');
const uidsOf = (objects: Array<{ ics: string }>) =>
  objects.map((o) => unescapeText(/^UID:(.*)$/m.exec(o.ics.replace(/\r\n[ \t]/g, ''))?.[1]?.trim() ?? '')).sort();

describe.each(SERVERS)('one identity per object on $name', (kind) => {
  let server: DavServer;
  let dav: DavTestClient;

  beforeAll(async () => {
    server = await kind.start();
    dav = server.client();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('any UID works: slashes, ?, #, spaces, 300 characters, long UIDs that differ only at the end', async () => {
    const path = server.calendar('uids');
    await dav.makeCalendar(path, 'Uids');
    const a = await openDevice(server);
    const calendarId = (await a.sdk.listCalendars()).find((c) => c.name === 'Uids')?.id ?? '';
    const long = 'x'.repeat(290);
    const uids = [
      'a@b.example.com',
      'with/slash',
      'what?#hash',
      'two words',
      'ümlaut+plus;semi',
      `${long}-first`,
      `${long}-second`,
      '.hidden',
    ];
    for (const [i, uid] of uids.entries()) {
      await a.sdk.createEvent(calendarId, {
        uid,
        summary: `U${i}`,
        start: `2026-12-${String(i + 1).padStart(2, '0')}T09:00:00Z`,
        end: `2026-12-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
      });
    }
    await a.sdk.sync();
    expect(await a.sdk.listPending()).toEqual([]);
    // The UIDs on the server are exactly what was given, each once.
    expect(uidsOf(await dav.objects(path))).toEqual([...uids].sort());
    await a.sdk.sync();
    expect(await duplicateIdentities(a.sdk)).toEqual([]);
    const b = await openDevice(server);
    expect((await b.sdk.listEvents(WINDOW)).map((e) => e.uid).sort()).toEqual([...uids].sort());
    expect(await duplicateIdentities(b.sdk)).toEqual([]);
    // A second create of the same UID is refused up front.
    await expect(
      a.sdk.createEvent(calendarId, {
        uid: 'with/slash',
        summary: 'again',
        start: '2026-12-20',
        end: '2026-12-21',
        allDay: true,
      }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await a.sdk.close();
    await b.sdk.close();
  });

  it('two devices and another client editing the same calendar never show an event twice', async () => {
    const path = server.calendar('shared');
    await dav.makeCalendar(path, 'Shared');
    await dav.put(
      `${path}standup.ics`,
      buildIcs({
        uid: 'standup@example.com',
        summary: 'Standup',
        start: '20261201T090000',
        end: '20261201T091500',
        tzid: 'Europe/Berlin',
        rrule: 'FREQ=DAILY;COUNT=20',
      }),
    );
    const a = await openDevice(server);
    const b = await openDevice(server);
    const shared = async (h: typeof a) => (await h.sdk.listCalendars()).find((c) => c.name === 'Shared')?.id ?? '';
    const standupOn = async (h: typeof a) =>
      (await h.sdk.listEvents(WINDOW)).filter((e) => e.uid === 'standup@example.com');

    // Device A: a new event whose UID needs escaping, and "this and following" on the series.
    await a.sdk.createEvent(await shared(a), {
      uid: 'lunch+1@example.com',
      summary: 'Lunch',
      start: '2026-12-03T12:00:00Z',
      end: '2026-12-03T13:00:00Z',
    });
    const [, , third] = await standupOn(a);
    await a.sdk.updateEvent(
      third?.eventId ?? '',
      { summary: 'Standup (new room)' },
      {
        occurrence: third?.recurrenceId ?? '',
        scope: 'future',
      },
    );
    // Device B: one occurrence moved, offline-style (before it sees A's changes).
    const [first] = await standupOn(b);
    await b.sdk.updateEvent(
      first?.eventId ?? '',
      { start: '2026-12-01T10:00:00Z', end: '2026-12-01T10:15:00Z' },
      {
        occurrence: first?.recurrenceId ?? '',
      },
    );
    // Another client: a new event.
    await dav.put(
      `${path}review.ics`,
      buildIcs({ uid: 'review', summary: 'Review', start: '20261210T150000Z', end: '20261210T160000Z' }),
    );
    for (let round = 0; round < 2; round++) {
      await a.sdk.sync();
      await b.sdk.sync();
    }
    for (const device of [a, b]) {
      expect(await duplicateIdentities(device.sdk)).toEqual([]);
      expect(await device.sdk.listPending()).toEqual([]);
    }
    // Both replicas agree with each other and with the server.
    const view = async (h: typeof a) =>
      (await h.sdk.listEvents(WINDOW)).map((e) => `${e.start} ${e.summary} ${e.uid}`).sort();
    expect(await view(b)).toEqual(await view(a));
    const onServer = uidsOf(await dav.objects(path));
    expect(new Set(onServer).size).toBe(onServer.length);
    expect((await view(a)).filter((v) => v.includes('Lunch'))).toHaveLength(1);
    expect((await view(a)).filter((v) => v.includes('Review'))).toHaveLength(1);
    // 20 days of standups: 2 before the split (one moved by B), 18 after.
    expect((await view(a)).filter((v) => v.includes('Standup'))).toHaveLength(20);
    expect((await view(a)).filter((v) => v.includes('Standup (new room)'))).toHaveLength(18);
    await a.sdk.close();
    await b.sdk.close();
  });
});
