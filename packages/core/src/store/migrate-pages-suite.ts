import { describe, expect, it } from 'vitest';
import type { ObjectRecord, OutboxRecord } from '../model/records.ts';
import { CalsyncStore } from './store.ts';
import { oldDatabase } from './test-schema.ts';

const row = (calendarId: string, href: string, extra: Partial<ObjectRecord> = {}): ObjectRecord => ({
  calendarId,
  href,
  etag: `"${href}"`,
  ics: `BEGIN:VCALENDAR\r\nX-ROW:${href}\r\n${'x'.repeat(2000)}\r\nEND:VCALENDAR\r\n`,
  state: 'ok',
  rangeStart: 0,
  rangeEnd: 1,
  ...extra,
});

/**
 * Schema 6 → 7 on a given IndexedDB: fake-indexeddb (migrate-pages.test.ts) and Chromium's
 * (migrate-pages.browser.test.ts), where the upgrade's data steps and the store it drops
 * run inside a real versionchange transaction.
 */
export function describePagesMigration(label: string, factory: IDBFactory): void {
  describe(`schema 7: rows move into pages: ${label}`, () => {
    it('keeps every row of every calendar (local edits, conflicts, bad rows included) and the outbox; the old store goes', async () => {
      const name = `v6-${crypto.randomUUID()}`;
      const big = Array.from({ length: 300 }, (_, i) => row('c1', `/c1/${String(i).padStart(4, '0')}.ics`));
      const edited = row('c1', '/c1/edited.ics', { pending: true, conflict: true });
      const bad = row('c10', '/c10/bad.ics', { state: 'bad', badReason: 'unreadable', etag: undefined });
      const entry: OutboxRecord = {
        id: 'e1',
        calendarId: 'c1',
        accountId: 'acc',
        href: edited.href,
        op: 'update',
        ics: edited.ics,
        createdAt: 1,
        updatedAt: 1,
        revision: 1,
        attempts: 0,
        state: 'pending',
      };
      await oldDatabase(factory, name, 6, (tx) => {
        for (const r of [...big, edited, bad]) tx.objectStore('objects').put(r);
        tx.objectStore('outbox').put(entry);
      });
      const store = await CalsyncStore.open(factory, name);
      expect(await store.objectsOfCalendar('c1')).toEqual([...big, edited]);
      expect(await store.objectsOfCalendar('c10')).toEqual([bad]);
      expect(await store.countObjects('c1')).toBe(301);
      expect(await store.getObject('c1', '/c1/0150.ics')).toEqual(big[150]);
      expect(await store.getObject('c1', edited.href)).toEqual(edited);
      expect(await store.outbox.list()).toEqual([entry]);
      // A pull still leaves the edited row alone.
      await store.applyObjects('c1', { puts: [row('c1', edited.href, { etag: '"server"' })], deletes: [] });
      expect((await store.getObject('c1', edited.href))?.etag).toBe(edited.etag);
      store.close();

      const raw = factory.open(name);
      const db = await new Promise<IDBDatabase>((resolve) => {
        raw.onsuccess = () => resolve(raw.result);
      });
      expect([...db.objectStoreNames]).not.toContain('objects');
      const pages = await new Promise<number>((resolve) => {
        const count = db.transaction('pages').objectStore('pages').count();
        count.onsuccess = () => resolve(count.result);
      });
      // ~2 KB rows in ~96 KB pages: the 301 rows of c1 take a handful of records, c10 one.
      expect(pages).toBeGreaterThan(2);
      expect(pages).toBeLessThan(12);
      db.close();
    });
  });
}
