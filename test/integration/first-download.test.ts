import type { CalendarSync } from '@calsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type Harness, openSdk } from './setup.ts';

// A calendar whose replica holds only this device's own creates — made before its first
// sync (offline, or right after addAccount), pushed or still waiting — gets the same
// one-request first download as an empty one (issue 13): no etag listing plus multigets of
// every server object. Real servers, requests counted.

const SEEDED = 30;
const WINDOW = { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };

/** The REPORTs sent to one calendar collection, by kind. */
const reportsTo = (h: Harness, path: string) =>
  h.net.requests.filter((r) => r.method === 'REPORT' && new URL(r.url).pathname === path).map((r) => kindOf(r.body));

function kindOf(body: string): string {
  if (body.includes('calendar-query')) return 'calendar-query';
  if (body.includes('sync-collection')) return 'sync-collection';
  if (body.includes('calendar-multiget')) return 'calendar-multiget';
  return 'other';
}

async function createMine(sdk: CalendarSync, calendarId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const event = await sdk.createEvent(calendarId, {
      summary: `Mine ${i}`,
      start: `2026-12-1${i}T08:00:00Z`,
      end: `2026-12-1${i}T09:00:00Z`,
    });
    ids.push(event.eventId);
  }
  return ids;
}

describe.each(SERVERS)('first download beside local creates, on a real $name', (kind) => {
  let server: DavServer;
  let dav: DavTestClient;
  const opened: Harness[] = [];

  beforeAll(async () => {
    server = await kind.start();
    dav = server.client();
    for (const name of ['pushed', 'waiting']) {
      const path = server.calendar(name);
      await dav.makeCalendar(path, name);
      for (let i = 0; i < SEEDED; i++) {
        await dav.put(
          `${path}seed-${i}.ics`,
          buildIcs({
            uid: `${name}-seed-${i}`,
            summary: `Seed ${i}`,
            start: '20261202T090000Z',
            end: '20261202T100000Z',
          }),
        );
      }
    }
  });

  afterAll(async () => {
    for (const h of opened) await h.sdk.close();
    await server?.stop();
  });

  async function accountWith(calendarName: string): Promise<{ h: Harness; calendarId: string }> {
    const h = await openSdk();
    opened.push(h);
    await h.sdk.addAccount({ serverUrl: server.url, username: server.username, password: server.password });
    const calendar = (await h.sdk.listCalendars()).find((c) => c.name === calendarName);
    expect(calendar).toBeDefined();
    return { h, calendarId: calendar?.id ?? '' };
  }

  it('creates pushed by the first sync round: the pull is still one calendar-query, no multiget', async () => {
    const { h, calendarId } = await accountWith('pushed');
    await createMine(h.sdk, calendarId, 3);
    h.net.reset();
    const report = await h.sdk.sync();
    const round = report.accounts[0]?.calendars.find((c) => c.calendarId === calendarId);
    expect(h.net.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
    expect(reportsTo(h, server.calendar('pushed'))).toEqual(['calendar-query']);
    expect(round?.mode).toBe('full-query');
    const events = await h.sdk.listEvents({ ...WINDOW, calendarIds: [calendarId] });
    expect(events).toHaveLength(SEEDED + 3);
    expect(events.filter((e) => e.pending)).toEqual([]);
    expect((await dav.objects(server.calendar('pushed'))).length).toBe(SEEDED + 3);
    // And from then on, a normal replica: the next round asks for changes only.
    h.net.reset();
    await h.sdk.sync();
    expect(reportsTo(h, server.calendar('pushed'))).not.toContain('calendar-query');
  });

  it('creates still waiting (their push fails): one calendar-query, and they stay, pending, until a later push', async () => {
    const { h, calendarId } = await accountWith('waiting');
    await createMine(h.sdk, calendarId, 2);
    h.net.intercept = async (_url, init) =>
      init?.method === 'PUT' ? new Response('busy', { status: 503 }) : undefined;
    h.net.reset();
    await h.sdk.sync();
    expect(reportsTo(h, server.calendar('waiting'))).toEqual(['calendar-query']);
    let events = await h.sdk.listEvents({ ...WINDOW, calendarIds: [calendarId] });
    expect(events).toHaveLength(SEEDED + 2);
    expect(
      events
        .filter((e) => e.pending)
        .map((e) => e.summary)
        .sort(),
    ).toEqual(['Mine 0', 'Mine 1']);

    h.net.intercept = undefined;
    await h.sdk.sync();
    events = await h.sdk.listEvents({ ...WINDOW, calendarIds: [calendarId] });
    expect(events.filter((e) => e.pending)).toEqual([]);
    expect(
      (await dav.objects(server.calendar('waiting'))).map((o) => o.ics).filter((t) => t.includes('Mine')),
    ).toHaveLength(2);
  });
});
