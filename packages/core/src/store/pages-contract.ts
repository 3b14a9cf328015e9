import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObjectRecord, OutboxRecord } from '../model/records.ts';
import { FILL_BYTES, FILL_ROWS, type ObjectPage } from './pages.ts';
import { CalsyncStore } from './store.ts';

/** A row of ~`size` characters of ICS. */
const row = (calendarId: string, href: string, version: number, size: number): ObjectRecord => ({
  calendarId,
  href,
  etag: `"${version}"`,
  ics: `BEGIN:VCALENDAR\r\nX-V:${version}\r\n${'x'.repeat(size)}\r\nEND:VCALENDAR\r\n`,
  state: 'ok',
  rangeStart: 0,
  rangeEnd: 1,
});

const entryFields = (href: string, revision: number) => ({
  id: `e-${href}-${revision}`,
  calendarId: 'c1',
  accountId: 'acc',
  href,
  createdAt: revision,
  updatedAt: revision,
  revision,
  attempts: 0,
  state: 'pending' as const,
});

async function rawPages(factory: IDBFactory, name: string): Promise<ObjectPage[]> {
  return rawAll(factory, name, 'pages') as Promise<ObjectPage[]>;
}

async function rawAll(factory: IDBFactory, name: string, storeName: string): Promise<unknown[]> {
  const request = factory.open(name);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const all = db.transaction(storeName).objectStore(storeName).getAll();
  const pages = await new Promise<unknown[]>((resolve, reject) => {
    all.onsuccess = () => resolve(all.result);
    all.onerror = () => reject(all.error);
  });
  db.close();
  return pages;
}

/** Every page in its range, sorted, counted, none empty, none over twice a fill (unless one row). */
function expectWellFormed(pages: readonly ObjectPage[]): void {
  for (const [i, page] of pages.entries()) {
    const next = pages[i + 1];
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.count).toBe(page.rows.length);
    const upper = next?.calendarId === page.calendarId ? next.lower : undefined;
    for (const [j, r] of page.rows.entries()) {
      expect(r.calendarId).toBe(page.calendarId);
      expect(r.href >= page.lower).toBe(true);
      if (upper !== undefined) expect(r.href < upper).toBe(true);
      if (j > 0) expect(r.href > (page.rows[j - 1] as ObjectRecord).href).toBe(true);
    }
    expect(page.rows.length).toBeLessThanOrEqual(2 * FILL_ROWS);
    const bytes = page.rows.reduce((sum, r) => sum + r.ics.length, 0);
    if (page.rows.length > 1) expect(bytes).toBeLessThanOrEqual(2 * FILL_BYTES + FILL_BYTES);
  }
}

/**
 * Pages (pages.ts) behave as one record per row: run on fake-indexeddb (pages.test.ts) and
 * on Chromium's IndexedDB (pages.browser.test.ts), whose key order the page bounds rely on.
 */
export function describePagesContract(label: string, factory: IDBFactory): void {
  describe(`object pages behave as one record per row: ${label}`, () => {
    const run = crypto.randomUUID();
    let serial = 0;
    const fresh = (): string => `pages-${run}-${serial++}`;

    it('random batches of puts and deletes in two calendars: every row found, listed in href order, counted; pages well formed', async () => {
      const op = fc.record({
        calendar: fc.constantFrom('c1', 'c10'),
        puts: fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 100, max: 9000 })), {
          maxLength: 120,
        }),
        deletes: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 40 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
          const name = fresh();
          const store = await CalsyncStore.open(factory, name);
          const model = new Map<string, Map<string, ObjectRecord>>([
            ['c1', new Map()],
            ['c10', new Map()],
          ]);
          let version = 0;
          for (const { calendar, puts, deletes } of ops) {
            const rows = puts.map(([n, size]) => row(calendar, `/cal/${n.toString(36)}.ics`, version++, size));
            const gone = deletes.map((n) => `/cal/${n.toString(36)}.ics`);
            await store.applyObjects(calendar, { puts: rows, deletes: gone });
            const rowsOfModel = model.get(calendar) as Map<string, ObjectRecord>;
            for (const r of rows) rowsOfModel.set(r.href, r);
            for (const href of gone) rowsOfModel.delete(href);
          }
          for (const [calendar, rows] of model) {
            const expected = [...rows.values()].sort((a, b) => (a.href < b.href ? -1 : 1));
            expect(await store.objectsOfCalendar(calendar)).toEqual(expected);
            expect(await store.countObjects(calendar)).toBe(expected.length);
            expect(await store.objectEtags(calendar)).toEqual(new Map(expected.map((r) => [r.href, r.etag])));
            for (let n = 0; n <= 400; n += 7) {
              const href = `/cal/${n.toString(36)}.ics`;
              expect(await store.getObject(calendar, href)).toEqual(rows.get(href));
            }
          }
          store.close();
          expectWellFormed(await rawPages(factory, name));
        }),
        { numRuns: 25 },
      );
    });

    it('pulls, local edits (single rows over the pages), push outcomes and discards in any order: the rows a model predicts, pending rows never clobbered', async () => {
      const href = (n: number) => `/cal/${n.toString(36)}.ics`;
      const hrefArb = fc.integer({ min: 0, max: 150 });
      const op = fc.oneof(
        fc.record({
          kind: fc.constant('pull' as const),
          puts: fc.array(fc.tuple(hrefArb, fc.integer({ min: 100, max: 6000 })), { maxLength: 80 }),
          deletes: fc.array(hrefArb, { maxLength: 20 }),
        }),
        fc.record({ kind: fc.constant('edit' as const), n: hrefArb, remove: fc.boolean() }),
        fc.record({ kind: fc.constant('complete' as const), n: hrefArb, gone: fc.boolean() }),
        fc.record({ kind: fc.constant('discard' as const), n: hrefArb }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
          const name = fresh();
          const store = await CalsyncStore.open(factory, name);
          const model = new Map<string, ObjectRecord>();
          const entries = new Map<string, OutboxRecord>();
          let version = 0;
          for (const step of ops) {
            version++;
            if (step.kind === 'pull') {
              const puts = step.puts.map(([n, size]) => row('c1', href(n), version, size));
              const deletes = step.deletes.map(href);
              await store.applyObjects('c1', { puts, deletes });
              for (const r of puts) if (!entries.has(r.href)) model.set(r.href, r);
              for (const h of deletes) if (!entries.has(h)) model.delete(h);
            } else if (step.kind === 'edit') {
              const h = href(step.n);
              const local = step.remove ? null : { ...row('c1', h, version, 500), pending: true };
              const entry: OutboxRecord = step.remove
                ? { ...entryFields(h, version), op: 'delete' }
                : { ...entryFields(h, version), op: 'update', ics: (local as ObjectRecord).ics };
              await store.outbox.recordChanges([{ calendarId: 'c1', href: h, row: local, entry }]);
              entries.set(h, entry);
              if (local) model.set(h, local);
              else model.delete(h);
            } else if (step.kind === 'complete') {
              const h = href(step.n);
              const sent = entries.get(h);
              if (!sent) continue;
              const confirmed = step.gone || sent.op === 'delete' ? null : row('c1', h, version, 700);
              await store.outbox.complete(sent, { row: confirmed });
              entries.delete(h);
              if (confirmed) model.set(h, { ...confirmed, pending: false, conflict: false });
              else model.delete(h);
            } else {
              const h = href(step.n);
              await store.outbox.discard('c1', h);
              entries.delete(h);
              model.delete(h);
            }
          }
          const expected = [...model.values()].sort((a, b) => (a.href < b.href ? -1 : 1));
          expect(await store.objectsOfCalendar('c1')).toEqual(expected);
          expect(await store.countObjects('c1')).toBe(expected.length);
          for (let n = 0; n <= 150; n += 5) expect(await store.getObject('c1', href(n))).toEqual(model.get(href(n)));
          // A pull of everything folds every row without an entry into the pages, and keeps the rest.
          await store.applyObjects('c1', { puts: [], deletes: [] });
          expect(await store.objectsOfCalendar('c1')).toEqual(expected);
          expect(await store.countObjects('c1')).toBe(expected.length);
          store.close();
          expectWellFormed(await rawPages(factory, name));
          const singles = (await rawAll(factory, name, 'singleRows')) as Array<{ href: string }>;
          expect(singles.filter((single) => !entries.has(single.href))).toEqual([]);
        }),
        { numRuns: 30 },
      );
    });

    it('a large sorted download lands in full pages and a later one-row pull rewrites one page', async () => {
      const name = fresh();
      const store = await CalsyncStore.open(factory, name);
      const hrefs = Array.from({ length: 3000 }, (_, i) => `/cal/${String(i).padStart(5, '0')}.ics`);
      for (let i = 0; i < hrefs.length; i += 1000) {
        await store.applyObjects('c1', {
          puts: hrefs.slice(i, i + 1000).map((h) => row('c1', h, 1, 1800)),
          deletes: [],
        });
      }
      store.close();
      const pages = await rawPages(factory, name);
      expectWellFormed(pages);
      // ~2 KB rows, ~96 KB pages: about 50 rows a page, so 3,000 rows take ~60 records, not 3,000.
      expect(pages.length).toBeLessThan(80);
      expect(pages.length).toBeGreaterThan(40);
      const reopened = await CalsyncStore.open(factory, name);
      await reopened.applyObjects('c1', { puts: [row('c1', hrefs[1500] as string, 2, 1800)], deletes: [] });
      expect((await reopened.getObject('c1', hrefs[1500] as string))?.etag).toBe('"2"');
      reopened.close();
      const after = await rawPages(factory, name);
      const changed = after.filter((p, i) => JSON.stringify(p) !== JSON.stringify(pages[i]));
      expect(after.length).toBe(pages.length);
      expect(changed).toHaveLength(1);
    });
  });
}
