import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { classifyWrite, type WriteOutcome } from '../outbox/classify.ts';
import { canonicalCollection, canonicalHref, originOf, placeHref } from './href.ts';
import type { ServerIssue } from './members.ts';
import type { CalDavTransport, CalDavWriter, SyncCollectionResult, WriteResult } from './port.ts';

/** What one backend of the contract offers (a fake, or a real server behind the HTTP transport). */
export interface TransportContractContext {
  readonly transport: CalDavTransport & CalDavWriter;
  /** The DAV root URL: what `discover` is given. */
  readonly serverUrl: string;
  /** The calendar home discovery must find. */
  readonly homeUrl: string;
  /** Creates an empty calendar collection (components VEVENT and VTODO) in the home; returns its URL. */
  makeCalendar(name: string, displayName: string): Promise<string>;
  /** Where the transport reports what it ignored; a well-behaved backend reports nothing. */
  readonly issues?: ServerIssue[];
  cleanup?(): Promise<void>;
}

/**
 * The transport port's contract (types.ts): what the pull and the outbox rely on, run
 * against the scripted fake (`fake-transport.ts`) and real servers. Where real servers
 * legitimately differ, a case states the weakest promise the engine relies on, and says
 * who differs and why that is enough. Write outcomes are checked as the outbox reads them
 * (`classifyWrite`): a 412 that names a condition is a refusal, a bare 412 means "re-read".
 *
 * `setup` runs once per suite; every case works in a fresh calendar.
 */
export function describeTransportContract(label: string, setup: () => Promise<TransportContractContext>): void {
  describe(`transport contract: ${label}`, () => {
    let ctx: TransportContractContext;
    let t: CalDavTransport & CalDavWriter;
    let serial = 0;

    beforeAll(async () => {
      ctx = await setup();
      t = ctx.transport;
    });
    afterAll(async () => {
      await ctx?.cleanup?.();
    });
    afterEach(() => {
      expect(ctx.issues?.splice(0) ?? []).toEqual([]);
    });

    /** A fresh, empty calendar; its URL canonical. */
    const fresh = async (displayName = 'Contract') =>
      canonicalCollection(await ctx.makeCalendar(`tc${++serial}`, displayName));
    const uid = () => `contract-${serial}-${crypto.randomUUID()}`;

    /** Creates `<name>` with If-None-Match: * (as the outbox creates) and returns it as the server has it. */
    const create = async (calendar: string, name: string, summary = 'Created') => {
      const href = canonicalHref(`${calendar}${name}`);
      const ics = event(uid(), summary);
      const result = await t.put(href, ics, { ifNoneMatch: '*' });
      expect(outcome(result)).toBe('done');
      return { href, ics, etag: await etagOf(href) };
    };
    const etagOf = async (href: string) => {
      const read = await t.get(href);
      if (read.status !== 200) throw new Error(`${href} is not on the server`);
      // The engine stores this ETag and sends it back as If-Match: it must be there.
      expect(read.etag).toBeTruthy();
      return read.etag as string;
    };
    /** Every href lies directly inside `calendar`, in canonical form (types.ts invariant). */
    const expectMembers = (calendar: string, hrefs: readonly string[]) => {
      for (const href of hrefs) {
        expect(placeHref(calendar, href)).toEqual({ kind: 'member', href });
      }
    };
    const changesOf = async (result: Promise<SyncCollectionResult>) => {
      const r = await result;
      if (r.kind !== 'changes') throw new Error('expected changes, got an invalid-token answer');
      return r;
    };

    describe('discovery and calendar listing', () => {
      it('discover finds the principal and the calendar home on the server', async () => {
        const found = await t.discover(ctx.serverUrl);
        expect(originOf(found.principalUrl)).toBe(originOf(ctx.serverUrl));
        expect(found.principalUrl.endsWith('/')).toBe(true);
        expect(canonicalCollection(found.homeUrl)).toBe(canonicalCollection(ctx.homeUrl));
      });

      it('listCalendars finds a created calendar with its name, token and capabilities', async () => {
        const calendar = await fresh('Team Calendar');
        const listed = await t.listCalendars(ctx.homeUrl);
        for (const c of listed) expect(placeHref(ctx.homeUrl, c.url, 'collection').kind).not.toBe('outside');
        const found = listed.find((c) => c.url === calendar);
        expect(found).toMatchObject({ displayName: 'Team Calendar', readOnly: false, supportsSyncCollection: true });
        expect(found?.syncToken).toBeTruthy();
        // Xandikos ignores the component set of MKCALENDAR (it offers all four): "at least VEVENT".
        expect(found?.components).toContain('VEVENT');
      });

      it('without ctag the listing leaves getctag out; its sync-token moves with a write and only then', async () => {
        const calendar = await fresh();
        const token = async () => {
          const listed = await t.listCalendars(ctx.homeUrl, { ctag: false });
          const found = listed.find((c) => c.url === calendar);
          expect(found?.ctag).toBeUndefined();
          return found?.syncToken;
        };
        const before = await token();
        expect(await token()).toBe(before);
        await create(calendar, 'a.ics');
        expect(await token()).not.toBe(before);
      });
    });

    describe('writes (the outbox)', () => {
      it('a create with If-None-Match: * stores the object; an ETag it returns is the stored one', async () => {
        const calendar = await fresh();
        const href = `${calendar}new.ics`;
        const ics = event(uid(), 'New');
        const result = await t.put(href, ics, { ifNoneMatch: '*' });
        // Radicale and Xandikos answer 201 with an ETag; a server that changed the data sends
        // none (RFC 4791 §5.3.4) and the outbox re-reads (confirmed-row.ts).
        expect([201, 204]).toContain(result.status);
        const read = await t.get(href);
        expect(read.status).toBe(200);
        if (read.status !== 200) return;
        if (result.etag !== undefined) expect(result.etag).toBe(read.etag);
        expectSameObject(read.ics, ics);
      });

      it('a second create at the same href is a bare 412 (re-read and settle), the object unchanged', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics', 'First');
        const again = await t.put(first.href, event(uid(), 'Second'), { ifNoneMatch: '*' });
        expect(again.status).toBe(412);
        expect(outcome(again)).toBe('precondition');
        expect(await t.get(first.href)).toMatchObject({ status: 200, etag: first.etag });
      });

      it('a second object with the same UID is refused, never read as "re-read" (that looped)', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics');
        const copy = await t.put(`${calendar}b.ics`, first.ics, { ifNoneMatch: '*' });
        // Radicale: 409 no-uid-conflict; Xandikos: a 207 whose inner 412 names no-uid-conflict.
        expect(outcome(copy)).toBe('reject');
        expect(await t.get(`${calendar}b.ics`)).toEqual({ status: 404 });
      });

      it('an update with a stale If-Match is a bare 412 and changes nothing', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics', 'First');
        const stale = await t.put(first.href, event(uid(), 'Stale'), { ifMatch: '"not-the-etag"' });
        expect(stale.status).toBe(412);
        expect(outcome(stale)).toBe('precondition');
        const read = await t.get(first.href);
        expect(read).toMatchObject({ status: 200, etag: first.etag });
        if (read.status === 200) expectSameObject(read.ics, first.ics);
      });

      it('an update with the current If-Match is stored under a new ETag', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics', 'First');
        const ics = first.ics.replace('SUMMARY:First', 'SUMMARY:Second');
        const result = await t.put(first.href, ics, { ifMatch: first.etag });
        expect(outcome(result)).toBe('done');
        const etag = await etagOf(first.href);
        expect(etag).not.toBe(first.etag);
        if (result.etag !== undefined) expect(result.etag).toBe(etag);
        const read = await t.get(first.href);
        if (read.status === 200) expectSameObject(read.ics, ics);
      });

      it('an update of an object deleted meanwhile is 412 or 404: both make the outbox re-read', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics');
        expect(outcome(await t.remove(first.href, { ifMatch: first.etag }))).toBe('done');
        const result = await t.put(first.href, first.ics, { ifMatch: first.etag });
        // Radicale and Xandikos: 412 (RFC 7232 §3.1: no current representation).
        expect(['precondition', 'gone']).toContain(outcome(result));
        expect(await t.get(first.href)).toEqual({ status: 404 });
      });

      it('a write into a calendar that does not exist is refused with a 4xx', async () => {
        const calendar = await fresh();
        const href = `${calendar.slice(0, -1)}-missing/a.ics`;
        const result = await t.put(href, event(uid(), 'Nowhere'), { ifNoneMatch: '*' });
        // Radicale 409, Xandikos 404: the outbox checks `deletedOnServer` before sending anyway.
        expect(result.status).toBeGreaterThanOrEqual(400);
        expect(result.status).toBeLessThan(500);
      });

      it('a delete with a stale If-Match is a bare 412 and keeps the object', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics');
        const stale = await t.remove(first.href, { ifMatch: '"not-the-etag"' });
        expect(stale.status).toBe(412);
        expect(outcome(stale)).toBe('precondition');
        expect(await t.get(first.href)).toMatchObject({ status: 200, etag: first.etag });
      });

      it('a delete with the current ETag removes the object; deleting it again is 404', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics');
        const removed = await t.remove(first.href, { ifMatch: first.etag });
        expect(outcome(removed)).toBe('done'); // Radicale 200 (with a multistatus), Xandikos 204
        expect(await t.get(first.href)).toEqual({ status: 404 });
        const again = await t.remove(first.href, { ifMatch: first.etag });
        expect(again.status).toBe(404);
        expect(outcome(again)).toBe('gone');
        expect((await t.remove(first.href, {})).status).toBe(404);
      });

      it('get returns the object with its ETag, and 404 for an href never written', async () => {
        const calendar = await fresh();
        const first = await create(calendar, 'a.ics', 'Read me');
        const read = await t.get(first.href);
        expect(read).toMatchObject({ status: 200, etag: first.etag });
        if (read.status === 200) expectSameObject(read.ics, first.ics);
        expect(await t.get(`${calendar}never.ics`)).toEqual({ status: 404 });
      });
    });

    describe('sync-collection (the pull)', () => {
      it('from no token lists every object with its current ETag, no deletions, no data unless asked', async () => {
        const calendar = await fresh();
        const a = await create(calendar, 'a.ics');
        const b = await create(calendar, 'b.ics');
        const r = await changesOf(t.syncCollection(calendar, null, { withData: false }));
        expect(r.token).toBeTruthy();
        expect(r).toMatchObject({ deleted: [], unavailable: [], more: false });
        expect(byHref(r.changed)).toEqual(byHref([a, b].map((o) => ({ href: o.href, etag: o.etag, data: undefined }))));
        expectMembers(
          calendar,
          r.changed.map((c) => c.href),
        );
      });

      it('from no token with data: the same objects; data, when sent, is the object', async () => {
        const calendar = await fresh();
        const a = await create(calendar, 'a.ics');
        const b = await create(calendar, 'b.ics');
        const r = await changesOf(t.syncCollection(calendar, null, { withData: true }));
        expect(byHref(r.changed).map((c) => [c.href, c.etag])).toEqual(byHref([a, b]).map((o) => [o.href, o.etag]));
        // Xandikos answers calendar-data in sync-collection with a 404 propstat: no data, and
        // the pull fetches those objects by multiget. Never wrong data, though.
        for (const c of r.changed)
          if (c.data !== undefined) expectSameObject(c.data, c.href === a.href ? a.ics : b.ics);
      });

      it('from a token reports exactly the one change and the one deletion since', async () => {
        const calendar = await fresh();
        const kept = await create(calendar, 'kept.ics');
        const changed = await create(calendar, 'changed.ics', 'Before');
        const removed = await create(calendar, 'removed.ics');
        const start = await changesOf(t.syncCollection(calendar, null, { withData: false }));
        const ics = changed.ics.replace('SUMMARY:Before', 'SUMMARY:After');
        expect(outcome(await t.put(changed.href, ics, { ifMatch: changed.etag }))).toBe('done');
        expect(outcome(await t.remove(removed.href, { ifMatch: removed.etag }))).toBe('done');
        const r = await changesOf(t.syncCollection(calendar, start.token, { withData: true }));
        expect(r.changed.map((c) => [c.href, c.etag])).toEqual([[changed.href, await etagOf(changed.href)]]);
        const data = r.changed[0]?.data;
        if (data !== undefined) expectSameObject(data, ics); // Xandikos: none (see above)
        expect(r.deleted).toEqual([removed.href]);
        expect(r).toMatchObject({ unavailable: [], more: false });
        expect(r.token).not.toBe(start.token);
        expect([...r.changed.map((c) => c.href), ...r.deleted]).not.toContain(kept.href);
      });

      it('from the latest token reports nothing, and that token stays usable', async () => {
        const calendar = await fresh();
        await create(calendar, 'a.ics');
        const start = await changesOf(t.syncCollection(calendar, null, { withData: false }));
        for (let i = 0; i < 2; i++) {
          const r = await changesOf(t.syncCollection(calendar, start.token, { withData: false }));
          expect(r).toMatchObject({ changed: [], deleted: [], unavailable: [], more: false });
        }
      });

      it('an object created and deleted since the token is never reported as changed', async () => {
        const calendar = await fresh();
        const start = await changesOf(t.syncCollection(calendar, null, { withData: false }));
        const added = await create(calendar, 'added.ics');
        const brief = await create(calendar, 'brief.ics');
        expect(outcome(await t.remove(brief.href, { ifMatch: brief.etag }))).toBe('done');
        const r = await changesOf(t.syncCollection(calendar, start.token, { withData: false }));
        expect(r.changed.map((c) => c.href)).toEqual([added.href]);
        // Radicale names it as deleted, Xandikos not at all: both harmless for the pull.
        expect(r.deleted.filter((href) => href !== brief.href)).toEqual([]);
      });

      it('an unknown token is "invalid-token", or a typed error that is neither auth nor network', async () => {
        const calendar = await fresh();
        const start = await changesOf(t.syncCollection(calendar, null, { withData: false }));
        for (const token of [`${start.token}x`, 'not-a-token']) {
          // Radicale: 403 valid-sync-token → invalid-token. Xandikos: a bare 500 → `server`.
          // The pull treats any failure of a token request other than auth/network as an
          // invalid token and starts over from no token (pull.ts), so both are enough.
          try {
            expect(await t.syncCollection(calendar, token, { withData: false })).toEqual({ kind: 'invalid-token' });
          } catch (error) {
            expect(error).toBeInstanceOf(CalsyncError);
            expect(['auth', 'network']).not.toContain((error as CalsyncError).code);
          }
        }
      });
    });

    describe('listings and multiget', () => {
      it('listEtags and fetchAll agree with what was written', async () => {
        const calendar = await fresh();
        const objects = [await create(calendar, 'a.ics', 'A'), await create(calendar, 'b.ics', 'B')];
        const etags = await t.listEtags(calendar);
        expect(byHref(etags)).toEqual(byHref(objects.map((o) => ({ href: o.href, etag: o.etag }))));
        const all = await t.fetchAll(calendar);
        if (all === undefined) throw new Error('fetchAll was truncated');
        expect(byHref(all).map((c) => [c.href, c.etag])).toEqual(byHref(objects).map((o) => [o.href, o.etag]));
        for (const item of all) expectSameObject(item.data, objects.find((o) => o.href === item.href)?.ics ?? '');
        expectMembers(
          calendar,
          [...etags, ...all].map((c) => c.href),
        );
      });

      it('an empty calendar lists nothing in every listing', async () => {
        const calendar = await fresh();
        expect(await t.listEtags(calendar)).toEqual([]);
        expect(await t.fetchAll(calendar)).toEqual([]);
        const r = await changesOf(t.syncCollection(calendar, null, { withData: true }));
        expect(r).toMatchObject({ changed: [], deleted: [], unavailable: [], more: false });
        expect(await t.multiget(calendar, [])).toEqual([]);
      });

      it('multiget returns existing objects with data and names deleted or unknown ones gone', async () => {
        const calendar = await fresh();
        const kept = await create(calendar, 'kept.ics');
        const removed = await create(calendar, 'removed.ics');
        expect(outcome(await t.remove(removed.href, { ifMatch: removed.etag }))).toBe('done');
        const never = `${calendar}never.ics`;
        const items = byHref(await t.multiget(calendar, [kept.href, removed.href, never]));
        expect(items.map((i) => i.href)).toEqual([kept.href, never, removed.href].sort());
        const found = items.find((i) => i.href === kept.href);
        expect(found).toMatchObject({ ok: true, etag: kept.etag });
        if (found?.ok) expectSameObject(found.data, kept.ics);
        for (const href of [removed.href, never]) {
          expect(items.find((i) => i.href === href)).toEqual({ href, ok: false, gone: true });
        }
      });

      it('an object written under a non-canonical spelling is named by its canonical href everywhere', async () => {
        const calendar = await fresh();
        const spelled = `${calendar}ev%20ent+1%40x%2Cy.ics`;
        const href = canonicalHref(spelled); // …/ev%20ent+1@x,y.ics
        expect(outcome(await t.put(spelled, event(uid(), 'Odd name'), { ifNoneMatch: '*' }))).toBe('done');
        const etag = await etagOf(href);
        expect(await t.get(spelled)).toMatchObject({ status: 200, etag });
        const sync = await changesOf(t.syncCollection(calendar, null, { withData: false }));
        expect(sync.changed.map((c) => c.href)).toEqual([href]);
        expect((await t.listEtags(calendar)).map((c) => c.href)).toEqual([href]);
        expect((await t.fetchAll(calendar))?.map((c) => c.href)).toEqual([href]);
        expect(await t.multiget(calendar, [href])).toMatchObject([{ href, ok: true, etag }]);
        // Asked for under another spelling, the answer still names the canonical href.
        expect(await t.multiget(calendar, [spelled])).toMatchObject([{ href, ok: true, etag }]);
      });

      it('requests about a calendar that does not exist fail as not-found', async () => {
        const calendar = await fresh();
        const missing = `${calendar.slice(0, -1)}-missing/`;
        const requests = [
          () => t.syncCollection(missing, null, { withData: false }),
          () => t.listEtags(missing),
          () => t.fetchAll(missing),
          () => t.multiget(missing, [`${missing}a.ics`]),
        ];
        for (const request of requests) {
          await expect(request()).rejects.toSatisfy((e) => e instanceof CalsyncError && e.code === 'not-found');
        }
        expect(await t.get(`${missing}a.ics`)).toEqual({ status: 404 });
      });
    });
  });
}

/** How the outbox reads a write answer. */
function outcome(result: WriteResult): WriteOutcome {
  return classifyWrite(result.status, result.condition);
}

/** A small valid event (Radicale validates every PUT). */
function event(uid: string, summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//calsync//transport contract//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20261201T100000Z',
    'DTEND:20261201T110000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/**
 * The same object as written, up to what servers legitimately change: line endings (XML
 * parsing turns CRLF in calendar-data into LF), folding, and the order of properties
 * (Radicale and Xandikos reserialise the object).
 */
function expectSameObject(actual: string | undefined, expected: string): void {
  const lines = (text: string) =>
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\n[ \t]/g, '')
      .split('\n')
      .filter(Boolean)
      .sort();
  expect(lines(actual ?? '')).toEqual(lines(expected));
}

function byHref<T extends { readonly href: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.href < b.href ? -1 : a.href > b.href ? 1 : 0));
}
