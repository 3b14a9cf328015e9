/**
 * Measures the first and the no-change sync of the seeded demo data: requests and time,
 * next to the server's own time for the same data (one bare sync-collection REPORT per
 * calendar), in Node (fake-indexeddb) and in Chromium (the demo: Worker + IndexedDB).
 * Not a test: prints a table. Run with `npm run measure`.
 */
import 'fake-indexeddb/auto';
import { createCalendarSync } from '@calsync/core';
import { chromium } from '@playwright/test';
import { IDBFactory } from 'fake-indexeddb';
import { DEMO_USER } from './seed.ts';
import { startStack } from './stack.ts';

const REPEAT = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const auth = `Basic ${Buffer.from(`${DEMO_USER.username}:${DEMO_USER.password}`).toString('base64')}`;

async function rawReport(url: string, token: string): Promise<{ ms: number; token: string }> {
  const body = `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/><c:calendar-data/></d:prop></d:sync-collection>`;
  const started = performance.now();
  const response = await fetch(url, { method: 'REPORT', headers: { Authorization: auth, Depth: '0' }, body });
  const text = await response.text();
  return { ms: performance.now() - started, token: /<sync-token>([^<]*)</.exec(text)?.[1] ?? '' };
}

const PROPFIND = `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:i="http://apple.com/ns/ical/"><d:prop><d:resourcetype/><d:displayname/><i:calendar-color/><cs:getctag/><d:sync-token/><c:supported-calendar-component-set/><d:current-user-privilege-set/><d:supported-report-set/></d:prop></d:propfind>`;

/** The calendar-list PROPFIND calsync sends first (Radicale computes tokens for it). */
async function rawPropfind(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'PROPFIND',
    headers: { Authorization: auth, Depth: '1' },
    body: PROPFIND,
  });
  await response.text();
  return performance.now() - started;
}

const stack = await startStack();
const calendars = ['work', 'personal', 'holidays'].map((c) => `${stack.radicaleUrl}demo/${c}/`);
const rows: string[][] = [];
try {
  // The limit: the server's own time to hand over everything / to say "nothing changed".
  const fullRaw: number[] = [];
  const noChangeRaw: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const list = await rawPropfind(`${stack.radicaleUrl}demo/`);
    let total = list;
    let totalNoChange = 0;
    for (const url of calendars) {
      const first = await rawReport(url, '');
      total += first.ms;
      totalNoChange += (await rawReport(url, first.token)).ms;
    }
    fullRaw.push(total);
    noChangeRaw.push(totalNoChange);
  }

  // calsync in Node, in-thread, fake-indexeddb.
  const nodeFirst: number[] = [];
  const nodeNoChange: number[] = [];
  let requestsFirst = 0;
  let requestsNoChange = 0;
  for (let i = 0; i < REPEAT; i++) {
    const sdk = await createCalendarSync({ worker: false, indexedDB: new IDBFactory(), autoSync: false });
    await sdk.addAccount({ serverUrl: stack.radicaleUrl, username: DEMO_USER.username, password: DEMO_USER.password });
    let started = performance.now();
    const first = await sdk.sync();
    await sdk.listEvents({ start: new Date(), end: new Date(Date.now() + 7 * 86_400_000) });
    nodeFirst.push(performance.now() - started);
    requestsFirst = first.requests;
    started = performance.now();
    const again = await sdk.sync();
    nodeNoChange.push(performance.now() - started);
    requestsNoChange = again.requests;
    await sdk.close();
  }

  // calsync in Chromium: the demo's Worker engine and real IndexedDB, through the proxy.
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const chromeFirst: number[] = [];
  const chromeNoChange: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The demo exposes its SDK handle only with ?debug.
    await page.goto(new URL('/?debug', stack.demoUrl).href);
    await page.waitForFunction(() => 'calsync' in window);
    const times = await page.evaluate(
      async ({ serverUrl, username, password }) => {
        const sdk = (window as unknown as { calsync: import('@calsync/core').CalendarSync }).calsync;
        await sdk.addAccount({ serverUrl, username, password });
        let t = performance.now();
        await sdk.sync();
        await sdk.listEvents({ start: new Date(), end: new Date(Date.now() + 7 * 86_400_000) });
        const first = performance.now() - t;
        t = performance.now();
        await sdk.sync();
        return { first, noChange: performance.now() - t };
      },
      { serverUrl: stack.radicaleUrl, ...DEMO_USER },
    );
    chromeFirst.push(times.first);
    chromeNoChange.push(times.noChange);
    await context.close();
  }
  await browser.close();

  const f = (x: number) => `${x.toFixed(0)} ms`;
  rows.push([
    'server limit (bare fetch, Node): PROPFIND + 1 REPORT per calendar / 1 no-change REPORT per calendar',
    f(median(fullRaw)),
    String(calendars.length + 1),
    f(median(noChangeRaw)),
    String(calendars.length),
  ]);
  rows.push([
    'calsync, Node + fake-indexeddb',
    f(median(nodeFirst)),
    String(requestsFirst),
    f(median(nodeNoChange)),
    String(requestsNoChange),
  ]);
  rows.push([
    'calsync, Chromium Worker + IndexedDB, via proxy',
    f(median(chromeFirst)),
    String(requestsFirst),
    f(median(chromeNoChange)),
    String(requestsNoChange),
  ]);
  console.info(
    `\nSeeded demo data: ${stack.seeded} objects in ${calendars.length} calendars; median of ${REPEAT} runs.\n`,
  );
  console.info('| | first sync (until listEvents answers) | requests | no-change sync | requests |');
  console.info('|---|---|---|---|---|');
  for (const row of rows) console.info(`| ${row.join(' | ')} |`);
  console.info(
    `\nfirst sync: Node ${(median(nodeFirst) / median(fullRaw)).toFixed(1)}× and Chromium ${(median(chromeFirst) / median(fullRaw)).toFixed(1)}× the server's own time`,
  );
} finally {
  await stack.stop();
}
