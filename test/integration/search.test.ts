import type { CalendarSync } from '@calsync/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type Harness, openSdk } from './setup.ts';

// searchEvents over a replica synced from real servers: offline (no request is made),
// ranked, diacritics-insensitive, as you type, kept current by pulls, edits and other tabs.

describe.each(SERVERS)('searchEvents on $name', (kind) => {
  let server: DavServer;
  let dav: DavTestClient;
  let h: Harness;
  let calendarId: string;
  let path: string;
  let n = 0;

  beforeAll(async () => {
    server = await kind.start();
    dav = server.client();
  });

  beforeEach(async () => {
    n++;
    path = server.calendar(`search${n}`);
    await dav.makeCalendar(path, `Search ${n}`);
    await dav.put(
      `${path}cafe.ics`,
      buildIcs({
        uid: 'cafe',
        summary: 'Café with Zoë',
        start: '20261210T100000Z',
        location: 'Müllerstraße 5',
        extra: ['ATTENDEE;CN="Doe, Jane":mailto:jane@example.com', 'CATEGORIES:Coffee,Friends'],
      }),
    );
    await dav.put(
      `${path}review.ics`,
      buildIcs({
        uid: 'review',
        summary: 'Quarterly review',
        start: '20261211T100000Z',
        description: 'Bring the budget numbers and the café receipts',
      }),
    );
    await dav.put(
      `${path}weekly.ics`,
      buildIcs({ uid: 'weekly', summary: 'Weekly planning', start: '20260105T090000Z', rrule: 'FREQ=WEEKLY' }),
    );
    h = await openSdk();
    await h.sdk.addAccount({ serverUrl: server.url, username: server.username, password: server.password });
    await h.sdk.sync();
    calendarId = (await h.sdk.listCalendars()).find((c) => c.name === `Search ${n}`)?.id ?? '';
  });

  afterEach(async () => {
    await h.sdk.close();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const titles = async (sdk: CalendarSync, text: string, options?: Parameters<CalendarSync['searchEvents']>[1]) =>
    (await sdk.searchEvents(text, { calendarIds: [calendarId], ...options })).map((o) => o.summary);

  it('finds by any field, ignoring case and diacritics, by prefix, title matches first — without a request', async () => {
    h.net.reset();
    expect(await titles(h.sdk, 'cafe')).toEqual(['Café with Zoë', 'Quarterly review']);
    expect(await titles(h.sdk, 'zoe')).toEqual(['Café with Zoë']);
    expect(await titles(h.sdk, 'mullerstr')).toEqual(['Café with Zoë']);
    expect(await titles(h.sdk, 'jane do')).toEqual(['Café with Zoë']);
    expect(await titles(h.sdk, 'friends')).toEqual(['Café with Zoë']);
    expect(await titles(h.sdk, 'budg')).toEqual(['Quarterly review']);
    expect(await titles(h.sdk, 'budget zoë')).toEqual([]);
    expect(await titles(h.sdk, '   ')).toEqual([]);
    expect(h.net.requests).toEqual([]);
  });

  it('a series appears once, as its next occurrence (or its first in the window)', async () => {
    const [next] = await h.sdk.searchEvents('weekly', { calendarIds: [calendarId] });
    expect(next?.recurrenceId).toBeDefined();
    expect(Date.parse(next?.start ?? '')).toBeGreaterThanOrEqual(Date.now() - 7 * 864e5);
    const inWindow = await h.sdk.searchEvents('weekly', {
      calendarIds: [calendarId],
      start: '2026-03-01T00:00:00Z',
      end: '2026-04-01T00:00:00Z',
    });
    expect(inWindow.map((o) => o.start)).toEqual(['2026-03-02T09:00:00.000Z']);
    const outside = await titles(h.sdk, 'cafe', { start: '2027-01-01T00:00:00Z' });
    expect(outside).toEqual([]);
  });

  it('follows local edits, pulls and other tabs', async () => {
    expect(await titles(h.sdk, 'retro')).toEqual([]);
    const created = await h.sdk.createEvent(calendarId, {
      summary: 'Sprint retro',
      start: '2026-12-12T10:00:00Z',
      end: '2026-12-12T11:00:00Z',
    });
    expect(await titles(h.sdk, 'retro')).toEqual(['Sprint retro']);
    await h.sdk.updateEvent(created.eventId, { summary: 'Sprint demo' });
    expect(await titles(h.sdk, 'retro')).toEqual([]);
    expect(await titles(h.sdk, 'demo')).toEqual(['Sprint demo']);

    await dav.put(
      `${path}server.ics`,
      buildIcs({ uid: 'server', summary: 'Board meeting', start: '20261213T100000Z' }),
    );
    await h.sdk.sync();
    expect(await titles(h.sdk, 'board')).toEqual(['Board meeting']);
    await dav.delete(`${path}review.ics`);
    await h.sdk.sync();
    expect(await titles(h.sdk, 'quarterly')).toEqual([]);

    const tabB = (await openSdk(h.idb, h.dbName)).sdk;
    try {
      expect(await titles(tabB, 'board')).toEqual(['Board meeting']);
      const changed = new Promise<void>((resolve) => {
        void tabB.subscribe((event) => {
          if (event.type === 'changed') resolve();
        });
      });
      await h.sdk.deleteEvent(created.eventId);
      await changed;
      expect(await titles(tabB, 'demo')).toEqual([]);
    } finally {
      await tabB.close();
    }
  });

  it('bad arguments reject with invalid-input', async () => {
    for (const options of [
      { limit: 0 },
      { limit: 1.5 },
      { limit: 5000 },
      { start: 'soon' },
      { start: '2027-01-01', end: '2026-01-01' },
    ]) {
      await expect(h.sdk.searchEvents('x', options as never)).rejects.toMatchObject({ code: 'invalid-input' });
    }
    await expect(h.sdk.searchEvents(42 as never)).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await h.sdk.searchEvents('cafe', { limit: 1 })).toHaveLength(1);
  });
});
