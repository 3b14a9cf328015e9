import { mkdtemp, rm } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type ChromiumProcess, launchChromium } from '../helpers/chromium-process.ts';
import { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';

// Fault matrix, crash part (issue 11), in real Chromium with a persistent profile: the
// browser is killed with SIGKILL (every process of it, at once) during a first sync, an
// incremental sync and an outbox replay, at chosen requests; then started again on the same
// profile. After the next sync the replica equals the server (same hrefs and etags, nothing
// twice, nothing pending, no conflict), and every edit acknowledged before the kill is on the
// server exactly once.
//
// The kill points are requests: the SDK is given a proxy URL that points at a tap in this
// process, which forwards to the stack's CORS proxy and can kill the browser when the n-th
// request of a kind arrives — before forwarding it (the server never sees it), after the
// server answered (the change is made, the answer lost) or halfway through relaying the
// answer — or when the SDK reports a point of its progress.
//
// Uses the demo Radicale's second user (`other`), never the demo account's data; its
// calendars are removed at the end (server-boundary.spec.ts uses that user's first calendar).

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`global setup did not set ${name}`);
  return value;
};
type Sdk = import('@calsync/core').CalendarSync;
/** `window` of the demo opened with `?debug`, plus the handle this spec keeps. */
interface CrashWindow {
  createCalendarSync(options: object): Promise<Sdk>;
  crashSdk: Sdk;
}

const USER = { username: 'other', password: 'other-password' };
const CALENDARS = [
  { path: '/other/crash-a/', name: 'Crash A', seeded: 40 },
  { path: '/other/crash-b/', name: 'Crash B', seeded: 200 },
] as const;
/** Every seeded and created event lies inside this window. */
const WINDOW = { start: '2031-01-01T00:00:00Z', end: '2032-01-01T00:00:00Z' };

const dav = () => new DavTestClient(env('CALSYNC_RADICALE_URL'), USER.username, USER.password);
const absolute = (href: string) => new URL(href, env('CALSYNC_RADICALE_URL')).href;

/** `2031MMDDTHH0000Z` for the n-th event (spread over the year). */
function slot(n: number, hourOffset = 0): string {
  const d = new Date(Date.UTC(2031, 0, 2) + (n % 360) * 86_400_000 + ((n % 8) + 8 + hourOffset) * 3_600_000);
  return `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function eventIcs(uid: string, summary: string, n: number): string {
  return buildIcs({ uid, summary, start: slot(n), end: slot(n, 1) });
}

// ---------------------------------------------------------------------------------------
// The server, read and changed with plain HTTP (not through the SDK or the browser).

interface ServerObject {
  readonly href: string;
  readonly etag: string;
  readonly uid: string;
  readonly summary: string;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&#13;/g, '\r')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Every object of a calendar with href (absolute), ETag, UID and SUMMARY. */
async function serverObjects(path: string): Promise<ServerObject[]> {
  const body =
    '<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
    '<d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>';
  const response = await dav().request('REPORT', path, body, { Depth: '1', 'Content-Type': 'application/xml' });
  expect(response.status).toBe(207);
  const text = await response.text();
  const objects: ServerObject[] = [];
  for (const [, block = ''] of text.matchAll(/<(?:\w+:)?response>(.*?)<\/(?:\w+:)?response>/gs)) {
    const field = (name: string) =>
      unescapeXml(new RegExp(`<(?:\\w+:)?${name}[^>]*>([^<]*)</(?:\\w+:)?${name}>`, 's').exec(block)?.[1] ?? '');
    const ics = field('calendar-data').replace(/\r\n[ \t]/g, '');
    objects.push({
      href: absolute(field('href')),
      etag: field('getetag'),
      uid: /^UID:(.*)$/m.exec(ics)?.[1]?.trim() ?? '',
      summary: /^SUMMARY:(.*)$/m.exec(ics)?.[1]?.trim() ?? '',
    });
  }
  return objects;
}

/** URLs of the calendar collections in the user's home. */
async function serverCalendars(): Promise<string[]> {
  const body = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>';
  const response = await dav().request('PROPFIND', `/${USER.username}/`, body, { Depth: '1' });
  expect(response.status).toBe(207);
  const text = await response.text();
  return [...text.matchAll(/<(?:\w+:)?response>(.*?)<\/(?:\w+:)?response>/gs)]
    .map(([, block = '']) => block)
    .filter((block) => /<(?:\w+:)?calendar\s*\/>/.test(block))
    .map((block) => absolute(/<(?:\w+:)?href>([^<]*)</.exec(block)?.[1] ?? ''));
}

async function removeCalendars(): Promise<void> {
  for (const { path } of CALENDARS) {
    const response = await dav().request('DELETE', path);
    expect([200, 204, 404]).toContain(response.status);
  }
}

async function seedCalendars(): Promise<void> {
  await removeCalendars();
  for (const calendar of CALENDARS) {
    await dav().makeCalendar(calendar.path, calendar.name);
    const letter = calendar.path.slice(-2, -1);
    let next = 0;
    // A few PUTs at a time: Radicale validates each with vobject (~6 ms).
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < calendar.seeded) {
          const n = next++;
          await dav().put(`${calendar.path}seed-${letter}-${n}.ics`, eventIcs(`seed-${letter}-${n}`, `Seed ${n}`, n));
        }
      }),
    );
  }
}

/**
 * Changes the server behind the SDK's back, in both calendars: adds, modifies and deletes
 * seeded objects (a different set each round).
 */
async function changeServer(round: number): Promise<void> {
  for (const calendar of CALENDARS) {
    const seeded = (await serverObjects(calendar.path))
      .filter((o) => o.uid.startsWith('seed-'))
      .sort((a, b) => a.href.localeCompare(b.href));
    const letter = calendar.path.slice(-2, -1);
    for (let i = 0; i < 2; i++) {
      const uid = `remote-${letter}-${round}-${i}`;
      await dav().put(`${calendar.path}${uid}.ics`, eventIcs(uid, `Remote ${round}.${i}`, 100 + round * 3 + i));
    }
    for (const target of seeded.slice(0, 2)) {
      const n = Number(target.uid.split('-').at(-1));
      await dav().put(new URL(target.href).pathname, eventIcs(target.uid, `Changed in round ${round}`, n));
    }
    const doomed = seeded.at(-1 - round);
    if (doomed) await dav().delete(new URL(doomed.href).pathname);
  }
}

// ---------------------------------------------------------------------------------------
// The tap: a forwarding proxy in front of the stack's CORS proxy that kills the browser at
// a chosen request.

interface TapRequest {
  readonly method: string;
  /** Path on the CalDAV server. */
  readonly path: string;
  /** `PROPFIND/0`, `PROPFIND/1`, `calendar-query`, `sync-collection`, `calendar-multiget`, `PUT`, `DELETE`, `GET`. */
  readonly kind: string;
}

/** Where to kill: the `nth` (1-based) request of `kind`, at one of three moments. */
interface RequestKill {
  readonly kind: string;
  readonly nth: number;
  /**
   * `request`: on arrival, before forwarding (the server never sees it); `response`: once
   * the server answered in full (its change made, the answer never relayed); `mid-body`:
   * after relaying the status, headers and half the answer.
   */
  readonly at: 'request' | 'response' | 'mid-body';
}

function classify(req: IncomingMessage, body: string): TapRequest {
  const method = req.method ?? '';
  // `${proxy}/http/127.0.0.1:PORT/path`: the server's path follows the scheme and host.
  const path = (req.url ?? '').replace(/^\/https?\/[^/]+/, '');
  let kind = method;
  if (method === 'PROPFIND') kind = `PROPFIND/${req.headers.depth ?? '0'}`;
  if (method === 'REPORT') kind = /<(?:\w+:)?([a-z-]+)[\s>]/.exec(body.replace(/<\?xml[^>]*\?>/, ''))?.[1] ?? 'REPORT';
  return { method, path, kind };
}

class KillTap {
  readonly #server: Server;
  readonly #upstream: URL;
  /** Requests seen since the last `arm` (preflights left out). */
  log: TapRequest[] = [];
  #armed: { point: RequestKill; seen: number; fire: (r: TapRequest) => void } | undefined;

  constructor(upstream: string) {
    this.#upstream = new URL(upstream);
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    if (!address || typeof address !== 'object') throw new Error('tap has no port');
    return `http://127.0.0.1:${address.port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Calls `fire` (once) when the point is reached. */
  arm(point: RequestKill, fire: (r: TapRequest) => void): void {
    this.log = [];
    this.#armed = { point, seen: 0, fire };
  }

  disarm(): void {
    this.#armed = undefined;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry = classify(req, body.toString());
      let at: RequestKill['at'] | undefined;
      let fire: (() => void) | undefined;
      if (req.method !== 'OPTIONS') {
        this.log.push(entry);
        const armed = this.#armed;
        if (armed && entry.kind === armed.point.kind && ++armed.seen === armed.point.nth) {
          this.#armed = undefined;
          at = armed.point.at;
          fire = () => armed.fire(entry);
        }
      }
      if (at === 'request') {
        // Held: the connection dies with the browser.
        fire?.();
        return;
      }
      const forwarded = httpRequest(
        this.#upstream,
        { method: req.method, path: req.url, headers: { ...req.headers, host: this.#upstream.host } },
        (answer) => {
          if (at === undefined) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            return;
          }
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            if (at === 'response') {
              fire?.();
              return;
            }
            const all = Buffer.concat(parts);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.write(all.subarray(0, Math.floor(all.length / 2)), () => fire?.());
          });
        },
      );
      forwarded.on('error', () => res.destroy());
      forwarded.end(body);
    });
  }
}

// ---------------------------------------------------------------------------------------
// The browser and the SDK in it.

let tap: KillTap;
let tapUrl: string;
const profiles: string[] = [];
const browsers = new Set<ChromiumProcess>();
/** `CALSYNC_CRASH_DEBUG=1`: print the requests before each kill. */
const debug = (message: string) => {
  if (process.env.CALSYNC_CRASH_DEBUG) console.info(message);
};
/** Kill points survived, per scenario (printed at the end). */
const kills: Record<string, string[]> = {};

/** Opens an SDK on `dbName` (requests through the tap) as `window.crashSdk`, closing the previous one. */
async function startSdk(page: Page, dbName: string): Promise<void> {
  await page.evaluate(
    async ({ dbName, proxyUrl }) => {
      const w = window as unknown as CrashWindow;
      await w.crashSdk?.close();
      w.crashSdk = await w.createCalendarSync({ dbName, proxyUrl, autoSync: false });
      // Progress crosses from the Worker; the spec reads it from the console.
      await w.crashSdk.subscribe((e) => {
        if (e.type === 'progress') console.info(`calsync-progress ${JSON.stringify(e)}`);
      });
    },
    { dbName, proxyUrl: tapUrl },
  );
}

/** Starts Chromium on `profile`, opens the demo with `?debug` and an SDK on `dbName`. */
async function open(profile: string, dbName: string): Promise<ChromiumProcess> {
  const browser = await launchChromium(profile);
  browsers.add(browser);
  browser.page.on('console', (m) => {
    if (m.type() === 'error') console.info('[page]', m.text());
  });
  await browser.page.goto(new URL('/?debug', env('CALSYNC_DEMO_URL')).href);
  await browser.page.waitForFunction(() => 'createCalendarSync' in window);
  await startSdk(browser.page, dbName);
  return browser;
}

async function kill(browser: ChromiumProcess): Promise<void> {
  await browser.kill();
  browsers.delete(browser);
}

type KillPoint =
  | RequestKill
  | { readonly progress: (event: { phase: string; done: number; total: number }) => boolean };

/**
 * Runs `work` in the page and kills the browser (SIGKILL, whole process group) when `point`
 * is reached; resolves once the browser exited. Fails if `work` ends before the point.
 */
async function killDuring(
  scenario: string,
  browser: ChromiumProcess,
  point: KillPoint,
  work: (page: Page) => Promise<unknown>,
): Promise<void> {
  let fired: (r?: TapRequest) => void = () => undefined;
  const killed = new Promise<TapRequest | undefined>((resolve) => {
    fired = resolve;
  });
  const fire = (r?: TapRequest) => {
    void browser.kill();
    fired(r);
  };
  const label = 'kind' in point ? `${point.kind} #${point.nth} at ${point.at}` : 'store progress';
  if ('kind' in point) tap.arm(point, fire);
  else {
    tap.log = [];
    browser.page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('calsync-progress ') && point.progress(JSON.parse(text.slice(17)))) fire();
    });
  }
  const ran = work(browser.page).then(
    (value) => ({ finished: value }),
    () => ({ finished: 'the page went away' }),
  );
  const outcome = await Promise.race([killed.then((hit) => ({ hit })), ran]);
  tap.disarm();
  await kill(browser);
  if ('finished' in outcome)
    throw new Error(
      `${scenario}: the work ended before the kill point ${label} (${JSON.stringify(outcome.finished)}); requests: ${tap.log.map((r) => r.kind).join(', ')}`,
    );
  await ran;
  debug(`${scenario}: killed at ${label}; requests: ${tap.log.map((r) => `${r.kind} ${r.path}`).join(', ')}`);
  kills[scenario] = [...(kills[scenario] ?? []), outcome.hit ? `${label} (${outcome.hit.path})` : label];
}

const syncInPage = (page: Page) => page.evaluate(() => (window as unknown as CrashWindow).crashSdk.sync());

/** Adds the account unless the profile's database has it already. */
async function ensureAccount(page: Page): Promise<void> {
  await page.evaluate(
    async (input) => {
      const sdk = (window as unknown as CrashWindow).crashSdk;
      if ((await sdk.listAccounts()).length === 0) await sdk.addAccount(input);
    },
    { serverUrl: env('CALSYNC_RADICALE_URL'), ...USER },
  );
}

async function syncOk(page: Page): Promise<void> {
  const report = await syncInPage(page);
  expect(report.accounts.map((a) => a.ok)).toEqual([true]);
}

interface Replica {
  readonly accounts: number;
  readonly calendars: Array<{ url: string; objectCount: number }>;
  readonly events: Array<{ href: string; etag?: string; pending: boolean; conflict: boolean }>;
  readonly pending: number;
  readonly conflicts: number;
}

function replica(page: Page): Promise<Replica> {
  return page.evaluate(async (range) => {
    const sdk = (window as unknown as CrashWindow).crashSdk;
    const ids = [...new Set((await sdk.listEvents(range)).map((o) => o.eventId))];
    const events = await Promise.all(ids.map((id) => sdk.getEvent(id)));
    return {
      accounts: (await sdk.listAccounts()).length,
      calendars: (await sdk.listCalendars()).map((c) => ({ url: c.url, objectCount: c.objectCount })),
      events: events.map((e) => ({
        href: e?.href ?? `missing ${Math.random()}`,
        ...(e?.etag === undefined ? {} : { etag: e.etag }),
        pending: e?.pending ?? true,
        conflict: e?.conflict ?? true,
      })),
      pending: (await sdk.listPending()).length,
      conflicts: (await sdk.listConflicts()).length,
    };
  }, WINDOW);
}

/** The replica holds exactly the server's objects (hrefs and etags), once each, with nothing pending. */
async function expectReplicaEqualsServer(page: Page): Promise<ServerObject[]> {
  const local = await replica(page);
  const calendars = (await serverCalendars()).sort();
  const server = (await Promise.all(CALENDARS.map((c) => serverObjects(c.path)))).flat();
  expect(calendars).toEqual(CALENDARS.map((c) => absolute(c.path)).sort());
  expect(local.accounts).toBe(1);
  expect(local.calendars.map((c) => c.url).sort()).toEqual(calendars);
  for (const calendar of local.calendars) {
    expect(calendar.objectCount, calendar.url).toBe(server.filter((o) => o.href.startsWith(calendar.url)).length);
  }
  const pairs = (list: ReadonlyArray<{ href: string; etag?: string }>) => list.map((o) => `${o.href} ${o.etag}`).sort();
  expect(pairs(local.events)).toEqual(pairs(server));
  expect(new Set(server.map((o) => o.uid)).size).toBe(server.length);
  expect(local.events.filter((e) => e.pending || e.conflict)).toEqual([]);
  expect({ pending: local.pending, conflicts: local.conflicts }).toEqual({ pending: 0, conflicts: 0 });
  return server;
}

async function newProfile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'calsync-crash-'));
  profiles.push(dir);
  return dir;
}

test.describe.configure({ mode: 'serial' });
// The runner would trace every context, those of the browsers this spec kills too.
test.use({ trace: 'off' });

test.beforeAll(async () => {
  tap = new KillTap(env('CALSYNC_PROXY_URL'));
  tapUrl = await tap.listen();
  const started = Date.now();
  await seedCalendars();
  debug(`seeded in ${Date.now() - started} ms`);
});

test.afterAll(async () => {
  for (const browser of browsers) await browser.kill();
  await tap?.close();
  await removeCalendars();
  for (const dir of profiles) await rm(dir, { recursive: true, force: true });
  console.info(
    `kills survived: ${Object.entries(kills)
      .map(([scenario, points]) => `${scenario}: ${points.length} [${points.join('; ')}]`)
      .join(' | ')}`,
  );
});

test('killed during a first sync: the next sync leaves the replica equal to the server', async () => {
  const profile = await newProfile();
  const big = CALENDARS[1].seeded;
  const points: Array<{ point: KillPoint; inRecovery?: RequestKill }> = [
    // addAccount's calendar list (the request after discovery), never sent on.
    { point: { kind: 'PROPFIND/1', nth: 1, at: 'request' } },
    // The first calendar's download: the server answered, the answer never arrived; the
    // download again after the restart is killed too, before it reaches the server.
    {
      point: { kind: 'calendar-query', nth: 1, at: 'response' },
      inRecovery: { kind: 'calendar-query', nth: 1, at: 'request' },
    },
    // The second calendar's download, cut halfway through the answer.
    { point: { kind: 'calendar-query', nth: 2, at: 'mid-body' } },
    // While the large calendar's objects are being stored (one transaction).
    { point: { progress: (e) => e.phase === 'storing' && e.total === big } },
  ];
  let browser = await open(profile, 'crash-first-0');
  for (const [i, { point, inRecovery }] of points.entries()) {
    const dbName = `crash-first-${i}`;
    if (i > 0) await startSdk(browser.page, dbName);
    await killDuring('first sync', browser, point, (page) =>
      page.evaluate(
        async (input) => {
          const sdk = (window as unknown as CrashWindow).crashSdk;
          await sdk.addAccount(input);
          return sdk.sync();
        },
        { serverUrl: env('CALSYNC_RADICALE_URL'), ...USER },
      ),
    );
    browser = await open(profile, dbName);
    if ('progress' in point) {
      // A store transaction is atomic: after the kill the calendar has all of it or none.
      const stored = await browser.page.evaluate(
        async (url) =>
          (await (window as unknown as CrashWindow).crashSdk.listCalendars()).find((c) => c.url === url)?.objectCount ??
          0,
        absolute(CALENDARS[1].path),
      );
      expect([0, big]).toContain(stored);
      debug(`objects of the large calendar stored when killed while storing: ${stored}`);
    }
    await ensureAccount(browser.page);
    if (inRecovery) {
      await killDuring('first sync', browser, inRecovery, syncInPage);
      browser = await open(profile, dbName);
    }
    await syncOk(browser.page);
    await expectReplicaEqualsServer(browser.page);
  }
  await kill(browser);
});

test('killed during an incremental sync: the next sync leaves the replica equal to the server', async () => {
  const profile = await newProfile();
  const dbName = 'crash-incremental';
  let browser = await open(profile, dbName);
  await ensureAccount(browser.page);
  await syncOk(browser.page);
  await expectReplicaEqualsServer(browser.page);
  const points: Array<{ point: RequestKill; changeAgain: boolean }> = [
    // The calendar list (tokens), never sent on.
    { point: { kind: 'PROPFIND/1', nth: 1, at: 'request' }, changeAgain: false },
    // The first calendar's changes: answered by the server, the answer lost.
    { point: { kind: 'sync-collection', nth: 1, at: 'response' }, changeAgain: true },
    // The second calendar's request, after the first calendar stored its changes and token.
    { point: { kind: 'sync-collection', nth: 2, at: 'request' }, changeAgain: false },
    // The second calendar's answer, cut halfway.
    { point: { kind: 'sync-collection', nth: 2, at: 'mid-body' }, changeAgain: true },
  ];
  let round = 0;
  for (const { point, changeAgain } of points) {
    await changeServer(++round);
    await killDuring('incremental sync', browser, point, syncInPage);
    // The server moves on while the browser is down.
    if (changeAgain) await changeServer(++round);
    browser = await open(profile, dbName);
    await syncOk(browser.page);
    const server = await expectReplicaEqualsServer(browser.page);
    expect(server.filter((o) => o.summary === `Changed in round ${round}`)).toHaveLength(4);
  }
  await kill(browser);
});

test('killed during an outbox replay: every acknowledged edit reaches the server exactly once', async () => {
  const profile = await newProfile();
  const dbName = 'crash-replay';
  let browser = await open(profile, dbName);
  await ensureAccount(browser.page);
  await syncOk(browser.page);
  await expectReplicaEqualsServer(browser.page);
  /** What the server must hold after the edits: UID → SUMMARY, `null` once deleted. */
  const expected = new Map<string, string | null>();

  /** Seven edits in calendar A, each awaited (acknowledged): four creates (one UID gets a UUID name), two updates, a delete. */
  const edit = async (page: Page, cycle: number) => {
    const done = await page.evaluate(
      async ({ cycle, calendarUrl, range }) => {
        const sdk = (window as unknown as CrashWindow).crashSdk;
        const calendar = (await sdk.listCalendars()).find((c) => c.url === calendarUrl);
        if (!calendar) throw new Error('no calendar A');
        const acknowledged: Array<[string, string | null]> = [];
        const uids = [`new-${cycle}-0`, `new-${cycle}-1`, `new ${cycle}/odd uid`, `new-${cycle}-3`];
        for (const [i, uid] of uids.entries()) {
          const day = `2031-06-${String(10 + cycle * 4 + i).padStart(2, '0')}`;
          const summary = `Created ${cycle}.${i}`;
          await sdk.createEvent(calendar.id, { uid, summary, start: `${day}T09:00:00Z`, end: `${day}T10:00:00Z` });
          acknowledged.push([uid, summary]);
        }
        const seeded = (await sdk.listEvents({ ...range, calendarIds: [calendar.id] }))
          .filter((o) => o.uid.startsWith('seed-') && o.summary.startsWith('Seed'))
          .sort((a, b) => a.uid.localeCompare(b.uid));
        for (const [i, o] of seeded.slice(0, 2).entries()) {
          const summary = `Edited ${cycle}.${i}`;
          await sdk.updateEvent(o.eventId, { summary });
          acknowledged.push([o.uid, summary]);
        }
        const doomed = seeded[2];
        if (!doomed) throw new Error('no event left to delete');
        await sdk.deleteEvent(doomed.eventId);
        acknowledged.push([doomed.uid, null]);
        return { acknowledged, pending: (await sdk.listPending()).map((p) => p.operation).sort() };
      },
      { cycle, calendarUrl: absolute(CALENDARS[0].path), range: WINDOW },
    );
    expect(done.pending).toEqual(['create', 'create', 'create', 'create', 'delete', 'update', 'update']);
    for (const [uid, summary] of done.acknowledged) expected.set(uid, summary);
  };

  const points: Array<{ point: RequestKill; andThen?: RequestKill }> = [
    // The first PUT held: it never reaches the server (the five sent beside it do).
    { point: { kind: 'PUT', nth: 1, at: 'request' } },
    // The third PUT stored by the server, its answer lost (others in flight beside it).
    { point: { kind: 'PUT', nth: 3, at: 'response' } },
    // The DELETE done by the server, its answer lost.
    { point: { kind: 'DELETE', nth: 1, at: 'response' } },
    // A create's answer lost; the replay after the restart re-reads it (412 → GET): killed there too.
    { point: { kind: 'PUT', nth: 2, at: 'response' }, andThen: { kind: 'GET', nth: 1, at: 'response' } },
  ];
  for (const [cycle, { point, andThen }] of points.entries()) {
    await edit(browser.page, cycle);
    await killDuring('outbox replay', browser, point, syncInPage);
    browser = await open(profile, dbName);
    if (andThen) {
      await killDuring('outbox replay', browser, andThen, syncInPage);
      browser = await open(profile, dbName);
    }
    await syncOk(browser.page);
    const server = await expectReplicaEqualsServer(browser.page);
    for (const [uid, summary] of expected) {
      expect(
        server.filter((o) => o.uid === uid).map((o) => o.summary),
        uid,
      ).toEqual(summary === null ? [] : [summary]);
    }
  }
  await kill(browser);
});
