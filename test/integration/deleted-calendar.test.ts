import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { openDevice } from './setup.ts';

// A calendar deleted on the server never takes this device's unsynced work with it.

const WINDOW = { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };

describe.each(SERVERS)('a calendar deleted on $name', (kind) => {
  let server: DavServer;

  beforeAll(async () => {
    server = await kind.start();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('is kept read-only with its conflicts and pending edits until they are settled, then removed', async () => {
    const dav = server.client();
    const path = server.calendar('doomed');
    await dav.makeCalendar(path, 'Doomed');
    await dav.put(
      `${path}e.ics`,
      buildIcs({ uid: 'e', summary: 'Base', start: '20261210T100000Z', end: '20261210T110000Z' }),
    );
    const h = await openDevice(server);
    const calendarId = (await h.sdk.listCalendars()).find((c) => c.name === 'Doomed')?.id ?? '';
    // An open conflict: both sides changed the title.
    const [event] = await h.sdk.listEvents(WINDOW);
    await h.sdk.updateEvent(event?.eventId ?? '', { summary: 'Mine' });
    const current = await dav.get(`${path}e.ics`);
    await dav.put(`${path}e.ics`, current.body.replace('SUMMARY:Base', 'SUMMARY:Theirs'));
    await h.sdk.sync();
    const [conflict] = await h.sdk.listConflicts();
    expect(conflict?.local).toContain('SUMMARY:Mine');
    // An edit not yet pushed, then the calendar goes away on the server.
    const pending = await h.sdk.createEvent(calendarId, {
      summary: 'Unsynced',
      start: '2026-12-11T10:00:00Z',
      end: '2026-12-11T11:00:00Z',
    });
    await dav.delete(path);
    // This round's push still tries (the pull after it learns the calendar is gone)…
    await h.sdk.sync().catch(() => undefined);
    // …later rounds send nothing there.
    h.net.reset();
    await h.sdk.sync();
    expect(h.net.requests.filter((r) => r.url.includes(path))).toEqual([]);

    const [kept] = (await h.sdk.listCalendars()).filter((c) => c.id === calendarId);
    expect(kept).toMatchObject({ deletedOnServer: true, readOnly: true });
    expect((await h.sdk.listConflicts()).map((c) => c.local)).toEqual([conflict?.local]);
    expect((await h.sdk.listPending()).map((p) => [p.summary, p.state])).toEqual([['Unsynced', 'quarantined']]);
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary).sort()).toEqual(['Theirs', 'Unsynced']);
    // Nothing can go back into it; 'local' explains what to do instead.
    await expect(
      h.sdk.createEvent(calendarId, { summary: 'x', start: '2026-12-12', end: '2026-12-13', allDay: true }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(h.sdk.resolveConflict(conflict?.id ?? '', 'local')).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('another calendar'),
    });
    // Settling: the app moved what it wanted elsewhere, then drops the rest.
    await h.sdk.resolveConflict(conflict?.id ?? '', 'server');
    await h.sdk.sync();
    expect((await h.sdk.listCalendars()).some((c) => c.id === calendarId)).toBe(true); // still one pending edit
    await h.sdk.deleteEvent(pending.eventId);
    expect(await h.sdk.listPending()).toEqual([]);
    await h.sdk.sync();
    expect((await h.sdk.listCalendars()).some((c) => c.id === calendarId)).toBe(false);
    await h.sdk.close();
  });

  it('is kept when all it holds locally is an open conflict', async () => {
    const dav = server.client();
    const path = server.calendar('conflicted');
    await dav.makeCalendar(path, 'Conflicted');
    await dav.put(
      `${path}c.ics`,
      buildIcs({ uid: 'c', summary: 'Base', start: '20261214T100000Z', end: '20261214T110000Z' }),
    );
    const h = await openDevice(server);
    const event = (await h.sdk.listEvents(WINDOW)).find((e) => e.uid === 'c');
    await h.sdk.updateEvent(event?.eventId ?? '', { summary: 'Mine' });
    const current = await dav.get(`${path}c.ics`);
    await dav.put(`${path}c.ics`, current.body.replace('SUMMARY:Base', 'SUMMARY:Theirs'));
    await h.sdk.sync();
    expect(await h.sdk.listPending()).toEqual([]);
    expect(await h.sdk.listConflicts()).toHaveLength(1);
    await dav.delete(path);
    await h.sdk.sync();
    expect((await h.sdk.listCalendars()).find((c) => c.name === 'Conflicted')?.deletedOnServer).toBe(true);
    expect((await h.sdk.listConflicts())[0]?.local).toContain('SUMMARY:Mine');
    await h.sdk.close();
  });
});
