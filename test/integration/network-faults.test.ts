import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { alice, type Harness, openSdk } from './setup.ts';

// Network faults at every request (issue 11's fault matrix, network part): for a first
// sync, an incremental sync and an outbox replay, request k fails — dropped, a 500, a
// body cut in half, or timed out (the DOMException AbortSignal.timeout gives fetch) — for
// every k in turn. One clean sync afterwards must converge: the
// replica equals the server, and every edit is on the server exactly once.

type Fault = 'drop' | '500' | 'truncated' | 'timeout';
const FAULTS: readonly Fault[] = ['drop', '500', 'truncated', 'timeout'];
const WINDOW = { start: '2026-11-01T00:00:00Z', end: '2027-02-01T00:00:00Z' };
const event = (uid: string, summary: string, day: number) =>
  buildIcs({
    uid,
    summary,
    start: `202612${String(day).padStart(2, '0')}T090000Z`,
    end: `202612${String(day).padStart(2, '0')}T100000Z`,
  });

/** Fails request number `k` (1-based) of what follows; returns how many requests were made. */
function injectAt(h: Harness, k: number, fault: Fault): () => number {
  let n = 0;
  h.net.intercept = async (url, init) => {
    n++;
    if (n !== k) return undefined;
    if (fault === 'drop') throw new TypeError('fetch failed (injected)');
    if (fault === '500') return new Response('injected', { status: 500 });
    if (fault === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const real = await fetch(url, init);
    const body = await real.text();
    return new Response(body.slice(0, Math.floor(body.length / 2)), { status: real.status, headers: real.headers });
  };
  return () => n;
}

/** Counts the requests `work` makes. */
async function countRequests(h: Harness, work: () => Promise<unknown>): Promise<number> {
  let n = 0;
  h.net.intercept = async () => {
    n++;
    return undefined;
  };
  await work();
  h.net.intercept = undefined;
  return n;
}

describe('network faults at every request (real Radicale)', () => {
  let server: RadicaleServer;
  let dav: DavTestClient;
  let n = 0;
  /** Faulty syncs run (each followed by a clean one and the checks). */
  let runs = 0;

  beforeAll(async () => {
    server = await startRadicale();
    dav = alice(server);
  });

  afterAll(async () => {
    await server?.stop();
    // A guard against a loop that stopped early: every scenario ran for several k.
    expect(runs).toBeGreaterThan(30);
  });

  /** A fresh calendar with a few events. */
  async function calendar(): Promise<string> {
    const path = `/alice/faults${++n}/`;
    await dav.makeCalendar(path, `Faults ${n}`);
    for (let i = 1; i <= 5; i++) await dav.put(`${path}e${i}.ics`, event(`e${i}-${n}`, `Event ${i}`, i));
    return path;
  }

  async function open(): Promise<Harness> {
    const h = await openSdk();
    await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
    return h;
  }

  /** The replica of the calendar at `path` equals the server's objects, each once. */
  async function expectConverged(h: Harness, path: string): Promise<void> {
    const onServer = (await dav.objects(path))
      .map((o) => `${/^UID:(.*)$/m.exec(o.ics)?.[1]?.trim()} ${/^SUMMARY:(.*)$/m.exec(o.ics)?.[1]?.trim()}`)
      .sort();
    const calendarId = (await h.sdk.listCalendars()).find((c) => c.url.endsWith(path))?.id;
    const replica = (await h.sdk.listEvents({ ...WINDOW, calendarIds: [calendarId ?? ''] }))
      .map((e) => `${e.uid} ${e.summary}`)
      .sort();
    expect(replica).toEqual(onServer);
    expect(new Set(onServer).size).toBe(onServer.length);
    expect(await h.sdk.listPending()).toEqual([]);
  }

  it.each(FAULTS)('first sync, %s at every request', async (fault) => {
    const path = await calendar();
    const probe = await open();
    const total = await countRequests(probe, () => probe.sdk.sync());
    await probe.sdk.close();
    expect(total).toBeGreaterThan(0);
    runs += total + 1;
    for (let k = 1; k <= total + 1; k++) {
      const h = await open();
      injectAt(h, k, fault);
      await h.sdk.sync().catch(() => undefined);
      h.net.intercept = undefined;
      await h.sdk.sync();
      await expectConverged(h, path);
      await h.sdk.close();
    }
  });

  it.each(FAULTS)('incremental sync, %s at every request', async (fault) => {
    const path = await calendar();
    for (let k = 1; ; k++) {
      const h = await open();
      await h.sdk.sync();
      // Another client: one new, one changed, one deleted.
      await dav.put(`${path}new${k}.ics`, event(`new${k}-${n}`, `New ${k}`, 20));
      await dav.put(`${path}e2.ics`, event(`e2-${n}`, `Event 2 v${k}`, 2));
      if (k === 1) await dav.delete(`${path}e3.ics`);
      const made = injectAt(h, k, fault);
      await h.sdk.sync().catch(() => undefined);
      const requests = made();
      h.net.intercept = undefined;
      await h.sdk.sync();
      await expectConverged(h, path);
      await h.sdk.close();
      runs++;
      if (k > requests) break;
    }
  });

  it.each(FAULTS)('outbox replay, %s at every request: every edit reaches the server exactly once', async (fault) => {
    for (let k = 1; ; k++) {
      const path = await calendar();
      const h = await open();
      await h.sdk.sync();
      const calendarId = (await h.sdk.listCalendars()).find((c) => c.url.endsWith(path))?.id ?? '';
      const events = await h.sdk.listEvents({ ...WINDOW, calendarIds: [calendarId] });
      await h.sdk.createEvent(calendarId, {
        summary: 'Created A',
        start: '2026-12-10T09:00:00Z',
        end: '2026-12-10T10:00:00Z',
      });
      await h.sdk.createEvent(calendarId, {
        summary: 'Created B',
        start: '2026-12-11T09:00:00Z',
        end: '2026-12-11T10:00:00Z',
      });
      await h.sdk.updateEvent(events[0]?.eventId ?? '', { summary: 'Updated' });
      await h.sdk.deleteEvent(events[1]?.eventId ?? '');
      const made = injectAt(h, k, fault);
      await h.sdk.sync().catch(() => undefined);
      const requests = made();
      h.net.intercept = undefined;
      await h.sdk.sync();
      await expectConverged(h, path);
      const summaries = (await dav.objects(path)).map((o) => /^SUMMARY:(.*)$/m.exec(o.ics)?.[1]?.trim());
      expect(summaries.filter((s) => s === 'Created A')).toHaveLength(1);
      expect(summaries.filter((s) => s === 'Created B')).toHaveLength(1);
      expect(summaries).toContain('Updated');
      expect(summaries).not.toContain('Event 2');
      await h.sdk.close();
      runs++;
      if (k > requests) break;
    }
  });
});
