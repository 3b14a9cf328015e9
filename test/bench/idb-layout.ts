/**
 * An IndexedDB layout experiment (issue 13), not part of `npm run bench`:
 *
 *   node_modules/.bin/tsx test/bench/idb-layout.ts [--rows 20000]
 *
 * In real Chromium with a fresh persistent profile (on-disk IndexedDB), writes `--rows`
 * records shaped like calsync's stored rows (~1.8 KB: ICS text plus indexed fields) with
 * relaxed durability, 1,000 rows per transaction — one record per row with and without the
 * `by-uid` index, then the same rows packed 10, 20, 50 and 200 to a record — and reads each
 * store back with one `getAll` (touching every row, so nothing is left lazy). Prints the
 * times in ms. Chromium keeps values above ~64 KB as blob files: packed records of that size
 * cost a fraction of the per-record work.
 *
 * The page code is a string: tsx would add helpers (`__name`) that do not exist in the page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_PATH } from './calsync-browser.ts';

const rowsFlag = process.argv.indexOf('--rows');
const rows = rowsFlag >= 0 ? Number(process.argv[rowsFlag + 1]) : 20_000;
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');

const PAGE_CODE = `async (N) => {
  const ics = 'BEGIN:VCALENDAR\\r\\n' + 'DESCRIPTION:lorem ipsum dolor sit amet consectetur\\r\\n'.repeat(30) + 'END:VCALENDAR\\r\\n';
  const row = (i) => ({
    calendarId: 'c', href: 'https://dav.example/cal/' + i.toString(36) + '-aaaaaaaa-bbbb.ics', etag: '"' + i + '"',
    ics: ics + i, state: 'ok', rangeStart: i * 1000, rangeEnd: i * 1000 + 3600000, uid: 'uid-' + i,
    summary: 'Design review with the team', location: 'Room 4, Building B', description: 'lorem ipsum '.repeat(16),
    start: i * 1000, end: i * 1000 + 3600000, allDay: false, recurring: false, pending: false, conflict: false,
  });
  const open = (name, keyPath, withIndex) => new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore('o', { keyPath });
      if (withIndex) store.createIndex('by-uid', ['calendarId', 'uid']);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const write = async (db, items, perTransaction) => {
    const started = performance.now();
    for (let i = 0; i < items.length; i += perTransaction) {
      await new Promise((resolve, reject) => {
        const tx = db.transaction('o', 'readwrite', { durability: 'relaxed' });
        for (const item of items.slice(i, i + perTransaction)) tx.objectStore('o').put(item);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    }
    return Math.round(performance.now() - started);
  };
  const read = (db) => new Promise((resolve, reject) => {
    const started = performance.now();
    const request = db.transaction('o').objectStore('o').getAll();
    request.onsuccess = () => {
      let n = 0;
      for (const value of request.result) n += value.rows ? value.rows.length : 1;
      resolve({ ms: Math.round(performance.now() - started), rows: n });
    };
    request.onerror = () => reject(request.error);
  });
  const all = Array.from({ length: N }, (_, i) => row(i));
  const out = {};
  for (const withIndex of [true, false]) {
    const db = await open('rows-' + withIndex, ['calendarId', 'href'], withIndex);
    out['one row per record' + (withIndex ? ', by-uid index' : '')] = { writeMs: await write(db, all, 1000), read: await read(db) };
  }
  for (const per of [10, 20, 50, 200]) {
    const packed = [];
    for (let i = 0; i < N; i += per) packed.push({ id: i, rows: all.slice(i, i + per) });
    const db = await open('packed-' + per, 'id', false);
    out[per + ' rows per record'] = { writeMs: await write(db, packed, Math.max(1, Math.round(1000 / per))), read: await read(db) };
  }
  return out;
}`;

const server = createServer((_request, response) => {
  response.setHeader('content-type', 'text/html');
  response.end('<!doctype html><title>idb layout</title>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const { port } = server.address() as { port: number };
const profile = await mkdtemp(join(tmpdir(), 'calsync-idb-layout-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM_PATH,
  args: ['--no-first-run', '--disable-gpu'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${port}/`);
  const result = (await page.evaluate(`(${PAGE_CODE})(${rows})`)) as Record<
    string,
    { writeMs: number; read: { ms: number; rows: number } }
  >;
  const lines = [`${rows} rows, Chromium ${context.browser()?.version() ?? ''}`, 'layout | write ms | getAll ms'];
  for (const [layout, t] of Object.entries(result)) lines.push(`${layout} | ${t.writeMs} | ${t.read.ms}`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
  server.close();
}
