import { type CalendarSync, CalsyncError } from '@calsync/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type Harness, openSdk } from './setup.ts';

const WINDOW = { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };

function uidOf(ics: string): string | undefined {
  return /^UID:(.*)$/m.exec(ics)?.[1]?.trim();
}

describe.each(SERVERS)('offline edits replayed to a real $name', (kind) => {
  let server: DavServer;
  let dav: DavTestClient;
  let h: Harness;
  let sdk: CalendarSync;
  let calendarId: string;
  let accountId: string;
  let n = 0;

  beforeAll(async () => {
    server = await kind.start();
    dav = server.client();
  });

  beforeEach(async () => {
    // A fresh calendar and replica per test keeps the cases independent.
    n++;
    await dav.makeCalendar(path(), `Cal ${n}`);
    await dav.put(
      `${path()}meeting.ics`,
      buildIcs({
        uid: `meeting-${n}`,
        summary: 'Meeting',
        start: '20261210T100000Z',
        end: '20261210T110000Z',
        location: 'Room 1',
      }),
    );
    h = await openSdk();
    sdk = h.sdk;
    const account = await sdk.addAccount({
      serverUrl: server.url,
      username: server.username,
      password: server.password,
    });
    accountId = account.id;
    await sdk.sync();
    const calendar = (await sdk.listCalendars()).find((c) => c.name === `Cal ${n}`);
    calendarId = calendar?.id ?? '';
  });

  afterEach(async () => {
    await h.sdk.close();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const path = () => server.calendar(`cal${n}`);
  const meeting = async () => {
    const found = (await sdk.listEvents(WINDOW)).find((e) => e.uid === `meeting-${n}`);
    if (!found) throw new Error('meeting not in replica');
    return found;
  };

  it('shows edits at once as pending, and a sync puts them on the server', async () => {
    h.net.intercept = async () => {
      throw new TypeError('offline');
    };
    const created = await sdk.createEvent(calendarId, {
      summary: 'Offline lunch',
      start: '2026-12-11T12:00:00',
      end: '2026-12-11T13:00:00',
      timezone: 'Europe/Berlin',
    });
    await sdk.updateEvent((await meeting()).eventId, { summary: 'Meeting (moved room)', location: 'Room 2' });
    expect(created.pending).toBe(true);
    const events = await sdk.listEvents(WINDOW);
    expect(events.map((e) => [e.summary, e.pending])).toEqual([
      ['Meeting (moved room)', true],
      ['Offline lunch', true],
    ]);
    expect((await sdk.listPending()).map((p) => p.operation).sort()).toEqual(['create', 'update']);
    await expect(sdk.sync()).rejects.toMatchObject({ code: 'network' });
    expect((await sdk.listPending()).every((p) => p.attempts === 1 && p.nextAttemptAt !== undefined)).toBe(true);

    h.net.intercept = undefined;
    const report = await sdk.sync();
    expect(report.accounts[0]?.pushed).toBe(2);
    expect(await sdk.listPending()).toEqual([]);
    expect((await sdk.listEvents(WINDOW)).every((e) => !e.pending)).toBe(true);
    const onServer = await dav.objects(path());
    const lunch = onServer.find((o) => o.ics.includes('SUMMARY:Offline lunch'));
    expect(lunch?.ics).toContain('DTSTART;TZID=Europe/Berlin:20261211T120000');
    expect(lunch?.ics).toContain('BEGIN:VTIMEZONE');
    expect(onServer.find((o) => uidOf(o.ics) === `meeting-${n}`)?.ics).toContain('LOCATION:Room 2');
  });

  it('deletes reach the server; create + delete offline sends nothing', async () => {
    const temp = await sdk.createEvent(calendarId, {
      summary: 'Temp',
      start: '2026-12-12T08:00:00Z',
      end: '2026-12-12T09:00:00Z',
    });
    await sdk.deleteEvent(temp.eventId);
    await sdk.deleteEvent((await meeting()).eventId);
    expect((await sdk.listPending()).map((p) => p.operation)).toEqual(['delete']);
    h.net.reset();
    await sdk.sync();
    expect(h.net.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    expect(await dav.objects(path())).toEqual([]);
  });

  it('outbox entries survive closing and reopening the SDK', async () => {
    h.net.intercept = async () => {
      throw new TypeError('offline');
    };
    await sdk.createEvent(calendarId, {
      summary: 'Survivor',
      start: '2026-12-13T08:00:00Z',
      end: '2026-12-13T09:00:00Z',
    });
    sdk = await h.reopen();
    expect((await sdk.listPending()).map((p) => p.summary)).toEqual(['Survivor']);
    expect((await sdk.listEvents(WINDOW)).find((e) => e.summary === 'Survivor')?.pending).toBe(true);
    h.net.intercept = undefined;
    await sdk.sync();
    expect((await dav.objects(path())).some((o) => o.ics.includes('SUMMARY:Survivor'))).toBe(true);
  });

  it('a lost create response ends with exactly one copy on the server', async () => {
    // The server applies the PUT, but its answer never reaches the client.
    let dropped = false;
    h.net.intercept = async (url, init) => {
      if (init?.method === 'PUT' && !dropped) {
        dropped = true;
        await fetch(url, init);
        throw new TypeError('connection reset');
      }
      return undefined;
    };
    await sdk.createEvent(calendarId, { summary: 'Once', start: '2026-12-14T08:00:00Z', end: '2026-12-14T09:00:00Z' });
    await expect(sdk.sync()).rejects.toMatchObject({ code: 'network' });
    expect(dropped).toBe(true);
    await sdk.sync();
    const copies = (await dav.objects(path())).filter((o) => o.ics.includes('SUMMARY:Once'));
    expect(copies).toHaveLength(1);
    expect(await sdk.listPending()).toEqual([]);
    expect(await sdk.listConflicts()).toEqual([]);
    expect((await sdk.listEvents(WINDOW)).filter((e) => e.summary === 'Once')).toHaveLength(1);
  });

  it('merges non-overlapping changes of another client (412 → three-way merge)', async () => {
    await sdk.updateEvent((await meeting()).eventId, { summary: 'Meeting: budget' });
    const current = await dav.get(`${path()}meeting.ics`);
    await dav.put(`${path()}meeting.ics`, current.body.replace('LOCATION:Room 1', 'LOCATION:Room 9'));
    const report = await sdk.sync();
    expect(report.accounts[0]?.conflicts).toBe(0);
    const onServer = (await dav.get(`${path()}meeting.ics`)).body;
    expect(onServer).toContain('SUMMARY:Meeting: budget');
    expect(onServer).toContain('LOCATION:Room 9');
    expect((await meeting()).summary).toBe('Meeting: budget');
    expect((await meeting()).location).toBe('Room 9');
  });

  it('the same property changed on both sides: server value kept, local version kept as a conflict', async () => {
    await sdk.updateEvent((await meeting()).eventId, { summary: 'Mine' });
    const current = await dav.get(`${path()}meeting.ics`);
    await dav.put(`${path()}meeting.ics`, current.body.replace('SUMMARY:Meeting', 'SUMMARY:Theirs'));
    const report = await sdk.sync();
    expect(report.accounts[0]?.conflicts).toBe(1);
    expect((await meeting()).summary).toBe('Theirs');
    expect((await meeting()).conflict).toBe(true);
    const [conflict] = await sdk.listConflicts();
    expect(conflict).toMatchObject({ kind: 'edit-edit', properties: ['SUMMARY'] });
    expect(conflict?.local).toContain('SUMMARY:Mine');
    expect(conflict?.server).toContain('SUMMARY:Theirs');
    expect(conflict?.base).toContain('SUMMARY:Meeting');

    await sdk.resolveConflict(conflict?.id ?? '', 'local');
    await sdk.sync();
    expect(await sdk.listConflicts()).toEqual([]);
    expect((await dav.get(`${path()}meeting.ics`)).body).toContain('SUMMARY:Mine');
    expect((await meeting()).conflict).toBe(false);
  });

  it('deleted remotely while edited locally: the modification is kept and can be restored', async () => {
    await sdk.updateEvent((await meeting()).eventId, { summary: 'Edited here' });
    await dav.delete(`${path()}meeting.ics`);
    await sdk.sync();
    const [conflict] = await sdk.listConflicts();
    expect(conflict).toMatchObject({ kind: 'remote-delete', current: 'deleted' });
    expect(conflict?.local).toContain('SUMMARY:Edited here');
    await sdk.resolveConflict(conflict?.id ?? '', 'local');
    await sdk.sync();
    expect((await dav.get(`${path()}meeting.ics`)).body).toContain('SUMMARY:Edited here');
  });

  it('deleted locally while changed remotely: the server change stays, the delete is kept as a conflict', async () => {
    await sdk.deleteEvent((await meeting()).eventId);
    const current = await dav.get(`${path()}meeting.ics`);
    await dav.put(`${path()}meeting.ics`, current.body.replace('LOCATION:Room 1', 'LOCATION:Moved'));
    await sdk.sync();
    expect((await meeting()).location).toBe('Moved');
    const [conflict] = await sdk.listConflicts();
    expect(conflict).toMatchObject({ kind: 'local-delete', current: 'server' });
    expect(conflict?.local).toBeUndefined();
    await sdk.resolveConflict(conflict?.id ?? '', 'local');
    await sdk.sync();
    expect((await dav.get(`${path()}meeting.ics`)).status).toBe(404);
  });

  it('a pull never clobbers a pending edit', async () => {
    // PUTs fail with 503 (retried later), so the pull after the push runs.
    h.net.intercept = async (_url, init) =>
      init?.method === 'PUT' ? new Response('busy', { status: 503 }) : undefined;
    await sdk.updateEvent((await meeting()).eventId, { summary: 'Local title' });
    const current = await dav.get(`${path()}meeting.ics`);
    await dav.put(`${path()}meeting.ics`, current.body.replace('LOCATION:Room 1', 'LOCATION:Server room'));
    await sdk.sync();
    expect((await meeting()).summary).toBe('Local title');
    expect((await meeting()).pending).toBe(true);
    h.net.intercept = undefined;
    await sdk.sync();
    expect((await meeting()).summary).toBe('Local title');
    expect((await meeting()).location).toBe('Server room');
  });

  it.runIf(kind.checksPasswords)(
    'a wrong password pauses the account with the queue intact; fixing it resumes',
    async () => {
      await sdk.updateCredentials(accountId, 'wrong');
      await sdk.createEvent(calendarId, {
        summary: 'Waiting',
        start: '2026-12-15T08:00:00Z',
        end: '2026-12-15T09:00:00Z',
      });
      const error = await sdk.sync().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CalsyncError);
      expect((error as CalsyncError).code).toBe('auth');
      expect((await sdk.listPending()).map((p) => [p.summary, p.state])).toEqual([['Waiting', 'paused']]);
      await sdk.updateCredentials(accountId, server.password);
      await sdk.sync();
      expect(await sdk.listPending()).toEqual([]);
      expect((await dav.objects(path())).some((o) => o.ics.includes('SUMMARY:Waiting'))).toBe(true);
    },
  );

  it('a change the server refuses is quarantined and does not block the others', async () => {
    // Radicale refuses a second object with a UID it already has under another name (409).
    await dav.put(
      `${path()}other-name.ics`,
      buildIcs({ uid: `dup-${n}`, summary: 'Server copy', start: '20261216T080000Z', end: '20261216T090000Z' }),
    );
    await sdk.createEvent(calendarId, {
      uid: `dup-${n}`,
      summary: 'Local dup',
      start: '2026-12-16T08:00:00Z',
      end: '2026-12-16T09:00:00Z',
    });
    await sdk.createEvent(calendarId, { summary: 'Fine', start: '2026-12-17T08:00:00Z', end: '2026-12-17T09:00:00Z' });
    await sdk.sync();
    const pending = await sdk.listPending();
    // Radicale answers 409; Xandikos a 207-wrapped 412 naming no-uid-conflict (a refusal, not
    // "the object changed": re-reading it would loop).
    expect(pending.map((p) => [p.summary, p.state, p.lastError?.status])).toEqual([
      ['Local dup', 'quarantined', kind.name === 'Radicale' ? 409 : 412],
    ]);
    expect(pending[0]?.lastError?.serverMessage).toBeTruthy();
    expect((await dav.objects(path())).some((o) => o.ics.includes('SUMMARY:Fine'))).toBe(true);
  });

  it('a 403 on one object quarantines that change only: the account is not paused, the rest is pushed', async () => {
    await sdk.createEvent(calendarId, {
      summary: 'Forbidden',
      start: '2026-12-18T08:00:00Z',
      end: '2026-12-18T09:00:00Z',
    });
    await sdk.createEvent(calendarId, {
      summary: 'Allowed',
      start: '2026-12-19T08:00:00Z',
      end: '2026-12-19T09:00:00Z',
    });
    // A server policy refusing one object (read-only resource, forbidden name…).
    h.net.intercept = async (_url, init) =>
      init?.method === 'PUT' && String(init.body).includes('SUMMARY:Forbidden')
        ? new Response('<error xmlns="DAV:"><need-privileges/></error>', { status: 403 })
        : undefined;
    const report = await sdk.sync();
    h.net.intercept = undefined;
    expect(report.accounts[0]?.ok).toBe(true);
    expect((await sdk.listAccounts())[0]?.lastError).toBeUndefined();
    const pending = await sdk.listPending();
    expect(pending.map((p) => [p.summary, p.state, p.lastError?.status])).toEqual([['Forbidden', 'quarantined', 403]]);
    expect((await dav.objects(path())).some((o) => o.ics.includes('SUMMARY:Allowed'))).toBe(true);
    // Later edits still go out.
    await sdk.createEvent(calendarId, { summary: 'Later', start: '2026-12-20T08:00:00Z', end: '2026-12-20T09:00:00Z' });
    await sdk.sync();
    expect((await dav.objects(path())).some((o) => o.ics.includes('SUMMARY:Later'))).toBe(true);
  });

  it('a 403 to the merged version after a 412 quarantines the entry (not retried forever)', async () => {
    await sdk.updateEvent((await meeting()).eventId, { summary: 'Local title' });
    const current = await dav.get(`${path()}meeting.ics`);
    await dav.put(`${path()}meeting.ics`, current.body.replace('LOCATION:Room 1', 'LOCATION:Server room'));
    let puts = 0;
    // The first PUT meets the real 412; the merged version is then refused by policy.
    h.net.intercept = async (_url, init) =>
      init?.method === 'PUT' && ++puts === 2 ? new Response('', { status: 403 }) : undefined;
    await sdk.sync().catch(() => undefined);
    h.net.intercept = undefined;
    expect(puts).toBe(2);
    expect((await sdk.listPending()).map((p) => [p.state, p.lastError?.status])).toEqual([['quarantined', 403]]);
    expect((await sdk.listAccounts())[0]?.lastError?.code).not.toBe('auth');
  });

  it('recurring edits: one occurrence, this and following, and deleting one occurrence reach the server', async () => {
    const series = await sdk.createEvent(calendarId, {
      summary: 'Weekly',
      start: '2026-12-07T10:00:00',
      end: '2026-12-07T10:30:00',
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    await sdk.sync();
    const occurrences = () => sdk.listEvents(WINDOW).then((all) => all.filter((e) => e.summary.startsWith('Weekly')));
    const [first, second, third] = await occurrences();
    await sdk.updateEvent(
      series.eventId,
      { summary: 'Weekly (special)' },
      { occurrence: second?.recurrenceId ?? '', scope: 'this' },
    );
    await sdk.deleteEvent(series.eventId, { occurrence: first?.recurrenceId ?? '', scope: 'this' });
    await sdk.updateEvent(
      series.eventId,
      { summary: 'Weekly v2' },
      { occurrence: third?.recurrenceId ?? '', scope: 'future' },
    );
    await sdk.sync();
    expect((await occurrences()).map((e) => [e.start, e.summary])).toEqual([
      ['2026-12-14T09:00:00.000Z', 'Weekly (special)'],
      ['2026-12-21T09:00:00.000Z', 'Weekly v2'],
      ['2026-12-28T09:00:00.000Z', 'Weekly v2'],
    ]);
    const onServer = await dav.objects(path());
    const original = onServer.find((o) => o.ics.includes('SUMMARY:Weekly\r') && o.ics.includes('RRULE'));
    expect(original?.ics).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20261214T100000');
    expect(original?.ics).toContain('EXDATE;TZID=Europe/Berlin:20261207T100000');
    expect(original?.ics).toMatch(/RRULE:FREQ=WEEKLY;UNTIL=20261221T/);
    expect(onServer.some((o) => o.ics.includes('SUMMARY:Weekly v2'))).toBe(true);
  });
});

describe.each(SERVERS)('conflict policies on $name', (kind) => {
  let server: DavServer;

  beforeAll(async () => {
    server = await kind.start();
  });

  afterAll(async () => {
    await server?.stop();
  });

  for (const policy of ['server-wins', 'client-wins'] as const) {
    it(`${policy}: the winner is applied, the loser kept as a conflict`, async () => {
      const dav = server.client();
      const path = server.calendar(policy);
      await dav.makeCalendar(path, policy);
      await dav.put(
        `${path}e.ics`,
        buildIcs({ uid: `e-${policy}`, summary: 'Base', start: '20261210T100000Z', end: '20261210T110000Z' }),
      );
      const { IDBFactory } = await import('fake-indexeddb');
      const { createCalendarSync } = await import('@calsync/core');
      const sdk = await createCalendarSync({
        worker: false,
        indexedDB: new IDBFactory(),
        autoSync: false,
        conflictPolicy: policy,
      });
      await sdk.addAccount({ serverUrl: server.url, username: server.username, password: server.password });
      await sdk.sync();
      const event = (await sdk.listEvents(WINDOW)).find((e) => e.uid === `e-${policy}`);
      await sdk.updateEvent(event?.eventId ?? '', { summary: 'Mine' });
      const current = await dav.get(`${path}e.ics`);
      await dav.put(`${path}e.ics`, current.body.replace('SUMMARY:Base', 'SUMMARY:Theirs'));
      await sdk.sync();
      const winner = policy === 'server-wins' ? 'Theirs' : 'Mine';
      expect((await dav.get(`${path}e.ics`)).body).toContain(`SUMMARY:${winner}`);
      expect((await sdk.listEvents(WINDOW)).find((e) => e.uid === `e-${policy}`)?.summary).toBe(winner);
      const [conflict] = await sdk.listConflicts();
      expect(conflict?.current).toBe(policy === 'server-wins' ? 'server' : 'local');
      expect(conflict?.local).toContain('SUMMARY:Mine');
      expect(conflict?.server).toContain('SUMMARY:Theirs');
      await sdk.close();
    });
  }
});
