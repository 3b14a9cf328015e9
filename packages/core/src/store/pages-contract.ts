import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObjectRecord } from '../model/records.ts';
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

async function rawPages(factory: IDBFactory, name: string): Promise<ObjectPage[]> {
  const request = factory.open(name);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const all = db.transaction('pages').objectStore('pages').getAll();
  const pages = await new Promise<ObjectPage[]>((resolve, reject) => {
    all.onsuccess = () => resolve(all.result as ObjectPage[]);
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

    it('a large sorted download lands in full pages and a later single edit rewrites one page', async () => {
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
