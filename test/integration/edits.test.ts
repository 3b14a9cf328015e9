import { type CalendarSync, CalsyncError, createCalendarSync } from '@calsync/core';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { alice, type Harness, openSdk, testFetch } from './setup.ts';

const WINDOW = { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };

describe('editing API edge cases (real Radicale)', () => {
  let server: RadicaleServer;
  let dav: DavTestClient;
  let h: Harness;
  let calendarId: string;
  let n = 0;

  beforeAll(async () => {
    server = await startRadicale();
    dav = alice(server);
  });

  beforeEach(async () => {
    n++;
    await dav.makeCalendar(`/alice/e${n}/`, `E ${n}`);
    h = await openSdk();
    await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
    calendarId = (await h.sdk.listCalendars()).find((c) => c.name === `E ${n}`)?.id ?? '';
  });

  afterEach(async () => {
    await h.sdk.close();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('rejects invalid input with a typed error before anything is stored', async () => {
    const base = { summary: 'x', start: '2026-12-10T10:00:00Z', end: '2026-12-10T11:00:00Z' };
    const cases: Array<[string, Parameters<CalendarSync['createEvent']>]> = [
      ['end before start', [calendarId, { ...base, end: '2026-12-10T09:00:00Z' }]],
      ['bad RRULE', [calendarId, { ...base, rrule: 'FREQ=SOMETIMES' }]],
      ['unknown time zone', [calendarId, { ...base, timezone: 'Mars/Olympus_Mons' }]],
      ['unreadable date', [calendarId, { ...base, start: 'next tuesday' }]],
      ['unknown calendar', ['no-such-calendar', base]],
    ];
    for (const [what, args] of cases) {
      const error = await h.sdk.createEvent(...args).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(CalsyncError);
      expect((error as CalsyncError).code, what).toBe(what === 'unknown calendar' ? 'not-found' : 'invalid-input');
    }
    expect(await h.sdk.listPending()).toEqual([]);
    expect(await h.sdk.listEvents(WINDOW)).toEqual([]);
    const created = await h.sdk.createEvent(calendarId, base);
    const error = await h.sdk.updateEvent(created.eventId, { end: '2026-12-10T08:00:00Z' }).catch((e: unknown) => e);
    expect((error as CalsyncError).code).toBe('invalid-input');
    expect((await h.sdk.getEvent(created.eventId))?.end).toBe('2026-12-10T11:00:00.000Z');
    const scopeError = await h.sdk
      .updateEvent(created.eventId, { summary: 'y' }, { scope: 'this' })
      .catch((e: unknown) => e);
    expect((scopeError as CalsyncError).code).toBe('invalid-input');
  });

  it('re-reads an object whose PUT answer carries no ETag (the server may have rewritten it)', async () => {
    // Strip the ETag from PUT answers, as servers that rewrite data must do (RFC 4791 §5.3.4).
    h.net.intercept = async (url, init) => {
      if (init?.method !== 'PUT') return undefined;
      const response = await fetch(url, init);
      return new Response(await response.text(), { status: response.status });
    };
    const created = await h.sdk.createEvent(calendarId, {
      summary: 'No etag',
      start: '2026-12-10T10:00:00Z',
      end: '2026-12-10T11:00:00Z',
    });
    h.net.reset();
    await h.sdk.sync();
    expect(h.net.requests.map((r) => r.method).slice(0, 2)).toEqual(['PUT', 'GET']);
    const serverCopy = await dav.get(new URL(created.href).pathname);
    expect((await h.sdk.getEvent(created.eventId))?.etag).toBe(serverCopy.etag);
  });

  it('treats a 207 answer with a failed inner status as a failure (quarantined)', async () => {
    h.net.intercept = async (url, init) =>
      init?.method === 'PUT'
        ? new Response(
            `<?xml version="1.0"?><multistatus xmlns="DAV:"><response><href>${new URL(url).pathname}</href><status>HTTP/1.1 422 Unprocessable</status></response></multistatus>`,
            { status: 207, headers: { 'Content-Type': 'application/xml' } },
          )
        : undefined;
    await h.sdk.createEvent(calendarId, {
      summary: 'Inner failure',
      start: '2026-12-10T10:00:00Z',
      end: '2026-12-10T11:00:00Z',
    });
    await h.sdk.sync();
    expect((await h.sdk.listPending()).map((p) => [p.state, p.lastError?.status])).toEqual([['quarantined', 422]]);
  });

  it('resolveConflict with custom ICS pushes exactly that content', async () => {
    await dav.put(
      `/alice/e${n}/m.ics`,
      buildIcs({ uid: `m${n}`, summary: 'Base', start: '20261210T100000Z', end: '20261210T110000Z' }),
    );
    await h.sdk.sync();
    const event = (await h.sdk.listEvents(WINDOW))[0];
    await h.sdk.updateEvent(event?.eventId ?? '', { summary: 'Mine' });
    const current = await dav.get(`/alice/e${n}/m.ics`);
    await dav.put(`/alice/e${n}/m.ics`, current.body.replace('SUMMARY:Base', 'SUMMARY:Theirs'));
    await h.sdk.sync();
    const [conflict] = await h.sdk.listConflicts();
    const bad = await h.sdk.resolveConflict(conflict?.id ?? '', { ics: 'not ics' }).catch((e: unknown) => e);
    expect((bad as CalsyncError).code).toBe('invalid-input');
    const custom = (conflict?.server ?? '').replace('SUMMARY:Theirs', 'SUMMARY:Both of us');
    await h.sdk.resolveConflict(conflict?.id ?? '', { ics: custom });
    await h.sdk.sync();
    expect((await dav.get(`/alice/e${n}/m.ics`)).body).toContain('SUMMARY:Both of us');
    expect(await h.sdk.listConflicts()).toEqual([]);
  });

  it('a calendar deleted on the server while holding unsynced edits keeps them (nothing silently dropped)', async () => {
    await h.sdk.sync();
    h.net.intercept = async () => {
      throw new TypeError('offline');
    };
    await h.sdk.createEvent(calendarId, {
      summary: 'Orphan',
      start: '2026-12-10T10:00:00Z',
      end: '2026-12-10T11:00:00Z',
    });
    await dav.request('DELETE', `/alice/e${n}/`);
    h.net.intercept = undefined;
    await h.sdk.sync();
    expect((await h.sdk.listCalendars()).map((c) => c.id)).toContain(calendarId);
    const pending = await h.sdk.listPending();
    expect(pending.map((p) => [p.summary, p.state])).toEqual([['Orphan', 'quarantined']]);
  });
});

describe('automatic replay', () => {
  let server: RadicaleServer;

  beforeAll(async () => {
    server = await startRadicale();
    await alice(server).makeCalendar('/alice/auto/', 'Auto');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('pushes after a local edit without sync(), and retries a failed push on its own after backoff', async () => {
    const net = testFetch();
    const sdk = await createCalendarSync({
      worker: false,
      indexedDB: new IDBFactory(),
      fetch: net.fetch,
      autoSync: { intervalMs: 3_600_000 },
    });
    // The outbox empty again after the edit was counted: a round started by addAccount may
    // still report the count it read before the edit (0) while the edit is being stored.
    const pendingZero = () =>
      new Promise<void>((resolve) => {
        let counted = false;
        void sdk.subscribe((e) => {
          if (e.type !== 'pending') return;
          if (e.pendingCount > 0) counted = true;
          else if (counted) resolve();
        });
      });
    await sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
    const calendarId = (await sdk.listCalendars())[0]?.id ?? '';

    // 1. An edit is pushed by itself (debounced).
    let done = pendingZero();
    await sdk.createEvent(calendarId, {
      summary: 'Auto 1',
      start: '2026-12-10T10:00:00Z',
      end: '2026-12-10T11:00:00Z',
    });
    await done;
    expect(net.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);

    // 2. The first attempt meets a dead network; the entry is retried when its backoff is due.
    let failures = 0;
    net.intercept = async (_url, init) => {
      if (init?.method === 'PUT' && failures === 0) {
        failures++;
        throw new TypeError('offline');
      }
      return undefined;
    };
    done = pendingZero();
    await sdk.createEvent(calendarId, {
      summary: 'Auto 2',
      start: '2026-12-11T10:00:00Z',
      end: '2026-12-11T11:00:00Z',
    });
    await done;
    expect(failures).toBe(1);
    expect(net.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
    const status = await sdk.status();
    expect(status.pendingCount).toBe(0);
    await sdk.close();
  });

  it('replays an outbox left by an earlier session as soon as the SDK starts', async () => {
    const idb = new IDBFactory();
    const first = await createCalendarSync({ worker: false, indexedDB: idb, autoSync: false, dbName: 'start' });
    await first.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
    const calendarId = (await first.listCalendars())[0]?.id ?? '';
    await first.createEvent(calendarId, {
      summary: 'From last session',
      start: '2026-12-12T10:00:00Z',
      end: '2026-12-12T11:00:00Z',
    });
    await first.close();

    const second = await createCalendarSync({ worker: false, indexedDB: idb, autoSync: {}, dbName: 'start' });
    await new Promise<void>((resolve) => {
      void second.subscribe((e) => {
        if (e.type === 'pending' && e.pendingCount === 0) resolve();
      });
    });
    const onServer = await alice(server).objects('/alice/auto/');
    expect(onServer.some((o) => o.ics.includes('SUMMARY:From last session'))).toBe(true);
    await second.close();
  });
});
