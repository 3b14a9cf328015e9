import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { alice, type Harness, openSdk } from './setup.ts';

const WINDOW = { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };
const event = (uid: string, summary: string, day: string) =>
  buildIcs({ uid, summary, start: `202612${day}T100000Z`, end: `202612${day}T110000Z` });

describe('calendar list changes and the etag-listing fallback (real Radicale)', () => {
  let server: RadicaleServer;
  let dav: DavTestClient;
  let h: Harness;

  beforeAll(async () => {
    server = await startRadicale();
    dav = alice(server);
    await dav.makeCalendar('/alice/one/', 'One');
    await dav.put('/alice/one/a.ics', event('a', 'A', '01'));
    await dav.put('/alice/one/b.ics', event('b', 'B', '02'));
    h = await openSdk();
    // Pretend the server has no sync-collection: strip sync-token and the report set from
    // the calendar listing, so the engine must list etags, diff and mark-and-sweep.
    h.net.rewrite = (_url, init, body) =>
      init?.method === 'PROPFIND'
        ? body
            .replace(/<sync-token>[^<]*<\/sync-token>/g, '')
            .replace(/<supported-report-set>.*?<\/supported-report-set>/gs, '')
        : undefined;
    await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
  });

  afterAll(async () => {
    await h?.sdk.close();
    await server?.stop();
  });

  it('syncs a calendar without sync tokens: first download by one calendar-query', async () => {
    h.net.reset();
    const report = await h.sdk.sync();
    expect(report.accounts[0]?.calendars.map((c) => c.mode)).toEqual(['full-query']);
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toEqual(['A', 'B']);
    // No sync-collection REPORT was sent: one calendar-query with the data.
    const reports = h.net.requests.filter((r) => r.method === 'REPORT');
    expect(reports.map((r) => r.body.includes('calendar-query'))).toEqual([true]);
  });

  it('asks for the ctag, which is what says "unchanged" without sync tokens', async () => {
    h.net.reset();
    const report = await h.sdk.sync();
    expect(report.accounts[0]?.calendars.map((c) => c.mode)).toEqual(['skip']);
    expect(h.net.requests.map((r) => r.method)).toEqual(['PROPFIND']);
    expect(h.net.requests[0]?.body).toContain('getctag');
  });

  it('fetches only changed objects and sweeps deleted ones', async () => {
    await dav.put('/alice/one/b.ics', event('b', 'B changed', '03'));
    await dav.delete('/alice/one/a.ics');
    await dav.put('/alice/one/c', event('c', 'C', '04'));
    const report = await h.sdk.sync();
    const calendar = report.accounts[0]?.calendars[0];
    expect(calendar).toMatchObject({ mode: 'etag-listing', changed: 2, deleted: 1 });
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toEqual(['B changed', 'C']);
  });

  it('a truncated etag listing deletes nothing', async () => {
    await dav.put('/alice/one/d.ics', event('d', 'D', '05'));
    const previous = h.net.rewrite;
    h.net.rewrite = (url, init, body, response) => {
      const rewritten = previous?.(url, init, body, response);
      if (init?.method === 'REPORT') return body.slice(0, body.indexOf('</response>') + 11);
      return rewritten;
    };
    await expect(h.sdk.sync()).rejects.toMatchObject({ code: 'bad-data' });
    h.net.rewrite = previous;
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toEqual(['B changed', 'C']);
  });

  it('adds new calendars and removes calendars deleted on the server', async () => {
    await dav.makeCalendar('/alice/two/', 'Two', '#123456');
    await dav.put('/alice/two/x.ics', event('x', 'X', '06'));
    await h.sdk.sync();
    expect((await h.sdk.listCalendars()).map((c) => c.name).sort()).toEqual(['One', 'Two']);
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toContain('X');

    await dav.request('DELETE', '/alice/two/');
    const report = await h.sdk.sync();
    expect(report.accounts[0]?.calendarsRemoved).toBe(1);
    expect((await h.sdk.listCalendars()).map((c) => c.name)).toEqual(['One']);
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).not.toContain('X');
  });
});
