import { CalsyncError, type EventOccurrence } from '@calsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type Harness, openSdk } from './setup.ts';

const WINDOW = { start: '2026-11-30T00:00:00Z', end: '2027-01-04T00:00:00Z' };

function summarize(events: EventOccurrence[]) {
  return events.map((e) => `${e.start} ${e.end} ${e.summary}${e.recurrenceId ? ` @${e.recurrenceId}` : ''}`);
}

describe.each(SERVERS)('pull sync against a real $name', (kind) => {
  let server: DavServer;
  let dav: DavTestClient;
  let h: Harness;
  let accountId: string;
  const workPath = () => server.calendar('work');
  const homePath = () => server.calendar('home');
  // An object name without `.ics` where the server allows it: nothing is filtered by extension.
  const holiday = kind.anyObjectName ? 'holiday' : 'holiday.ics';

  beforeAll(async () => {
    server = await kind.start();
    dav = server.client();
    await dav.makeCalendar(workPath(), 'Work', '#1e88e5ff');
    await dav.makeCalendar(homePath(), 'Home', '#43a047');
    await dav.put(
      `${workPath()}dentist.ics`,
      buildIcs({ uid: 'dentist', summary: 'Dentist', start: '20261202T090000Z', end: '20261202T100000Z' }),
    );
    await dav.put(
      `${homePath()}${holiday}`,
      buildIcs({ uid: 'holiday', summary: 'Holiday', start: '20261224', end: '20261226' }),
    );
    h = await openSdk();
    const account = await h.sdk.addAccount({
      serverUrl: server.url,
      username: server.username,
      password: server.password,
    });
    accountId = account.id;
  });

  afterAll(async () => {
    await h?.sdk.close();
    await server?.stop();
  });

  it('discovers the calendars with names and colors', async () => {
    const calendars = await h.sdk.listCalendars(accountId);
    expect(calendars.map((c) => [c.name, c.color]).sort()).toEqual([
      ['Home', '#43a047'],
      ['Work', '#1e88e5'],
    ]);
  });

  it('first sync stores every object, one calendar-query per calendar, hrefs without .ics included', async () => {
    h.net.reset();
    const report = await h.sdk.sync();
    expect(report.accounts[0]?.ok).toBe(true);
    // The calendar list addAccount fetched a moment ago is reused: no PROPFIND.
    expect(h.net.requests.map((r) => r.method)).toEqual(['REPORT', 'REPORT']);
    expect(h.net.requests.every((r) => r.body.includes('calendar-query'))).toBe(true);
    expect(report.accounts[0]?.calendars.map((c) => c.mode)).toEqual(['full-query', 'full-query']);
    expect(summarize(await h.sdk.listEvents(WINDOW))).toEqual([
      '2026-12-02T09:00:00.000Z 2026-12-02T10:00:00.000Z Dentist',
      '2026-12-24 2026-12-26 Holiday',
    ]);
  });

  it('a no-change sync costs one request', async () => {
    h.net.reset();
    const report = await h.sdk.sync();
    expect(h.net.requests.map((r) => r.method)).toEqual(['PROPFIND']);
    // Sync-tokens say "unchanged"; the ctag (costly on Radicale) is not asked for.
    expect(h.net.requests[0]?.body).toContain('sync-token');
    expect(h.net.requests[0]?.body).not.toContain('getctag');
    expect(report.accounts[0]?.calendars.every((c) => c.mode === 'skip')).toBe(true);
  });

  it('follows creates, changes and deletes by another client, recurring sets included', async () => {
    // Weekly Monday 10:00 Berlin (09:00Z in winter), one occurrence excluded, one moved.
    await dav.put(
      `${workPath()}standup.ics`,
      buildIcs(
        {
          uid: 'standup',
          summary: 'Standup',
          start: '20261130T100000',
          end: '20261130T101500',
          tzid: 'Europe/Berlin',
          rrule: 'FREQ=WEEKLY;COUNT=5',
          exdates: ['20261214T100000'],
        },
        [
          {
            recurrenceId: '20261207T100000',
            start: '20261208T110000',
            end: '20261208T111500',
            summary: 'Standup (moved)',
          },
        ],
      ),
    );
    await dav.put(
      `${workPath()}dentist.ics`,
      buildIcs({
        uid: 'dentist',
        summary: 'Dentist (rescheduled)',
        start: '20261203T150000Z',
        end: '20261203T160000Z',
      }),
    );
    await dav.delete(`${homePath()}${holiday}`);
    await dav.put(
      `${homePath()}ny.ics`,
      buildIcs({
        uid: 'ny',
        summary: 'New York call',
        start: '20261210T100000',
        end: '20261210T110000',
        tzid: 'America/New_York',
      }),
    );

    h.net.reset();
    const report = await h.sdk.sync();
    expect(report.accounts[0]?.calendars.map((c) => c.mode).sort()).toEqual(['incremental', 'incremental']);
    expect(summarize(await h.sdk.listEvents(WINDOW))).toEqual([
      '2026-11-30T09:00:00.000Z 2026-11-30T09:15:00.000Z Standup @2026-11-30T09:00:00.000Z',
      '2026-12-03T15:00:00.000Z 2026-12-03T16:00:00.000Z Dentist (rescheduled)',
      '2026-12-08T10:00:00.000Z 2026-12-08T10:15:00.000Z Standup (moved) @2026-12-07T09:00:00.000Z',
      '2026-12-10T15:00:00.000Z 2026-12-10T16:00:00.000Z New York call',
      '2026-12-21T09:00:00.000Z 2026-12-21T09:15:00.000Z Standup @2026-12-21T09:00:00.000Z',
      '2026-12-28T09:00:00.000Z 2026-12-28T09:15:00.000Z Standup @2026-12-28T09:00:00.000Z',
    ]);
    const standup = (await h.sdk.listEvents(WINDOW)).find((e) => e.uid === 'standup');
    const stored = await h.sdk.getEvent(standup?.eventId ?? '');
    expect(stored?.ics).toContain('EXDATE;TZID=Europe/Berlin:20261214T100000');
    expect(stored?.recurring).toBe(true);
  });

  it('recovers from an invalid sync token with a full resync that also sweeps deletions', async () => {
    // Make the server reject the stored token, as Radicale does for expired ones (403 valid-sync-token).
    h.net.rewrite = undefined;
    h.net.intercept = async (_url, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (init?.method === 'REPORT' && /<d:sync-token>[^<]+</.test(body)) {
        return new Response('<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>', {
          status: 403,
          headers: { 'Content-Type': 'application/xml' },
        });
      }
      return undefined;
    };
    await dav.delete(`${homePath()}ny.ics`);
    await dav.put(
      `${homePath()}gym.ics`,
      buildIcs({ uid: 'gym', summary: 'Gym', start: '20261205T080000Z', end: '20261205T090000Z' }),
    );
    const report = await h.sdk.sync();
    h.net.intercept = undefined;
    const home = (await h.sdk.listCalendars(accountId)).find((c) => c.name === 'Home');
    const homeReport = report.accounts[0]?.calendars.find((c) => c.calendarId === home?.id);
    expect(homeReport?.mode).toBe('full-sync-collection');
    const summaries = (await h.sdk.listEvents(WINDOW)).map((e) => e.summary);
    expect(summaries).toContain('Gym');
    expect(summaries).not.toContain('New York call');
    expect(summaries).toContain('Dentist (rescheduled)');
  });

  it("recovers from the server's own answer to a token it does not know (Radicale 403, Xandikos 500)", async () => {
    // The request goes to the real server with a token it never issued.
    h.net.intercept = async (url, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (init?.method !== 'REPORT' || !/<d:sync-token>[^<]+</.test(body)) return undefined;
      return fetch(url, {
        ...init,
        body: body.replace(/<d:sync-token>[^<]+</, '<d:sync-token>http://example.invalid/sync/0<'),
      });
    };
    await dav.put(
      `${homePath()}swim.ics`,
      buildIcs({ uid: 'swim', summary: 'Swim', start: '20261206T080000Z', end: '20261206T090000Z' }),
    );
    const report = await h.sdk.sync();
    h.net.intercept = undefined;
    const home = (await h.sdk.listCalendars(accountId)).find((c) => c.name === 'Home');
    expect(report.accounts[0]?.calendars.find((c) => c.calendarId === home?.id)?.mode).toBe('full-sync-collection');
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toContain('Swim');
  });

  it.runIf(kind.checksPasswords)('a wrong password gives an auth error and keeps the stored data', async () => {
    const before = await h.sdk.listEvents(WINDOW);
    await h.sdk.updateCredentials(accountId, 'wrong');
    const error = await h.sdk.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalsyncError);
    expect((error as CalsyncError).code).toBe('auth');
    expect(String((error as Error).message)).not.toContain('wrong');
    expect(await h.sdk.listEvents(WINDOW)).toEqual(before);
    expect((await h.sdk.status()).lastError?.code).toBe('auth');
    await h.sdk.updateCredentials(accountId, server.password);
    await h.sdk.sync();
    expect((await h.sdk.status()).lastError).toBeUndefined();
  });

  it('a truncated server answer is a bad-data error and loses nothing', async () => {
    const before = await h.sdk.listEvents(WINDOW);
    await dav.put(
      `${workPath()}new.ics`,
      buildIcs({ uid: 'new', summary: 'New', start: '20261215T080000Z', end: '20261215T090000Z' }),
    );
    h.net.rewrite = (_url, init, body) =>
      init?.method === 'REPORT' ? body.slice(0, Math.floor(body.length / 2)) : undefined;
    const error = await h.sdk.sync().catch((e: unknown) => e);
    h.net.rewrite = undefined;
    expect((error as CalsyncError).code).toBe('bad-data');
    expect(await h.sdk.listEvents(WINDOW)).toEqual(before);
    await h.sdk.sync();
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toContain('New');
  });

  it('a bad object on the server is kept raw and flagged; the rest of the calendar syncs', async () => {
    // Radicale validates what it stores, so the bad data is injected into its answer.
    await dav.put(
      `${workPath()}good.ics`,
      buildIcs({ uid: 'good', summary: 'Good', start: '20261216T080000Z', end: '20261216T090000Z' }),
    );
    await dav.put(
      `${workPath()}broken.ics`,
      buildIcs({ uid: 'broken', summary: 'Broken', start: '20261217T080000Z', end: '20261217T090000Z' }),
    );
    h.net.rewrite = (_url, init, body) =>
      init?.method === 'REPORT' ? body.replace('DTSTART:20261217T080000Z', 'DTSTART:not-a-date') : undefined;
    const report = await h.sdk.sync();
    h.net.rewrite = undefined;
    const work = report.accounts[0]?.calendars.find((c) => c.changed > 0);
    expect(work?.invalid).toBe(1);
    const summaries = (await h.sdk.listEvents(WINDOW)).map((e) => e.summary);
    expect(summaries).toContain('Good');
    expect(summaries).not.toContain('Broken');
    const calendars = await h.sdk.listCalendars(accountId);
    const workCal = calendars.find((c) => c.name === 'Work');
    const broken = await h.sdk.getEvent(`${workCal?.id}|${new URL(`${workPath()}broken.ics`, server.url)}`);
    expect(broken?.invalid).toBe(true);
    expect(broken?.ics).toContain('DTSTART:not-a-date');
  });

  it('a never-ending rule the server accepts (INTERVAL=0) does not hang queries', async () => {
    await dav.put(
      `${workPath()}interval0.ics`,
      buildIcs({
        uid: 'interval0',
        summary: 'Zero interval',
        start: '20261201T070000Z',
        end: '20261201T073000Z',
        rrule: 'FREQ=DAILY;INTERVAL=0',
      }),
    );
    await h.sdk.sync();
    const events = await h.sdk.listEvents(WINDOW);
    expect(events.filter((e) => e.summary === 'Zero interval').length).toBeLessThanOrEqual(35);
    expect(events.map((e) => e.summary)).toContain('Good');
  });

  it("one calendar's failure (a 403 on it) does not stop the others; the account is not paused", async () => {
    await dav.put(
      `${workPath()}isolated.ics`,
      buildIcs({ uid: 'isolated', summary: 'Isolated', start: '20261218T080000Z', end: '20261218T090000Z' }),
    );
    await dav.put(
      `${homePath()}also.ics`,
      buildIcs({ uid: 'also', summary: 'Also', start: '20261219T080000Z', end: '20261219T090000Z' }),
    );
    // Whichever calendar is pulled first is refused: the one after it must still be pulled.
    let refused: string | undefined;
    h.net.intercept = async (url, init) => {
      if (init?.method !== 'REPORT') return undefined;
      refused ??= new URL(url).pathname;
      return new URL(url).pathname === refused ? new Response('', { status: 403 }) : undefined;
    };
    const error = await h.sdk.sync().catch((e: unknown) => e);
    h.net.intercept = undefined;
    expect(error).toMatchObject({ name: 'CalsyncError', code: 'server', status: 403 });
    const summaries = (await h.sdk.listEvents(WINDOW)).map((e) => e.summary);
    const [blocked, pulled] = refused === homePath() ? ['Also', 'Isolated'] : ['Isolated', 'Also'];
    expect(summaries).toContain(pulled);
    expect(summaries).not.toContain(blocked);
    expect((await h.sdk.listPending()).every((p) => p.state !== 'paused')).toBe(true);
    await h.sdk.sync();
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toContain('Also');
  });

  it('keeps the replica across close and reopen, and state survives a restart', async () => {
    const before = await h.sdk.listEvents(WINDOW);
    const sdk = await h.reopen();
    expect(await sdk.listEvents(WINDOW)).toEqual(before);
    h.net.reset();
    await sdk.sync();
    expect(h.net.requests.map((r) => r.method)).toEqual(['PROPFIND']);
  });
});
