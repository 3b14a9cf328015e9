import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { ObjectRecord, OutboxRecord } from '../model/records.ts';
import { CalsyncStore } from './store.ts';
import { oldDatabase } from './test-schema.ts';

const CAL = 'https://dav.example.com/cal/';
const row = (href: string, extra: Partial<ObjectRecord> = {}): ObjectRecord => ({
  calendarId: 'c1',
  href,
  etag: '"1"',
  ics: `BEGIN:VCALENDAR\r\nX-ROW:${href}\r\nEND:VCALENDAR\r\n`,
  state: 'ok',
  rangeStart: 0,
  rangeEnd: 1,
  ...extra,
});
const entry = (href: string, id: string, updatedAt: number): OutboxRecord => ({
  id,
  calendarId: 'c1',
  accountId: 'acc',
  href,
  op: 'update',
  ics: `LOCAL ${id}`,
  createdAt: 1,
  updatedAt,
  revision: 1,
  attempts: 0,
  state: 'pending',
});

/** A schema-3 database, as the previous release wrote it, filled by `fill`. */
const schema3 = (factory: IDBFactory, name: string, fill: (tx: IDBTransaction) => void) =>
  oldDatabase(factory, name, 3, fill);

describe('schema 4: stored hrefs in canonical form', () => {
  it('merges rows that are one object, keeps every local edit, drops rows outside their calendar', async () => {
    const factory = new IDBFactory();
    await schema3(factory, 'hrefs', (tx) => {
      tx.objectStore('calendars').put({
        id: 'c1',
        accountId: 'acc',
        url: 'https://DAV.example.com:443/cal',
        displayName: 'Cal',
        components: [],
        readOnly: false,
        supportsSyncCollection: true,
      });
      const objects = tx.objectStore('objects');
      objects.put(row(`${CAL}a%40b.ics`)); // our own spelling…
      objects.put(row(`${CAL}a@b.ics`)); // …and the server's: one object
      objects.put(row(`${CAL}x%2By.ics`, { pending: true })); // a local edit…
      objects.put(row(`${CAL}x+y.ics`)); // …wins over the server's copy
      objects.put(row('http://evil.test/x.ics'));
      objects.put(row('https://dav.example.com/other/victim.ics'));
      objects.put(row('https://dav.example.com/cal/plain.ics'));
      const outbox = tx.objectStore('outbox');
      outbox.put(entry(`${CAL}x%2By.ics`, 'older', 5));
      outbox.put(entry(`${CAL}x+y.ics`, 'newer', 9));
      tx.objectStore('syncState').put({ calendarId: 'c1', token: 't', retry: [`${CAL}%61.ics`, 'http://evil.test/y'] });
    });

    const store = await CalsyncStore.open(factory, 'hrefs');
    expect((await store.getCalendar('c1'))?.url).toBe(CAL);
    const rows = await store.objectsOfCalendar('c1');
    expect(rows.map((r) => r.href).sort()).toEqual([`${CAL}a@b.ics`, `${CAL}plain.ics`, `${CAL}x+y.ics`]);
    expect(rows.find((r) => r.href === `${CAL}x+y.ics`)?.pending).toBe(true);
    const pending = await store.outbox.list();
    expect(pending.map((e) => [e.id, e.href])).toEqual([['newer', `${CAL}x+y.ics`]]);
    const [conflict] = await store.outbox.listConflicts();
    expect(conflict).toMatchObject({ id: 'older', href: `${CAL}x+y.ics`, local: 'LOCAL older', current: 'local' });
    expect((await store.getSyncState('c1'))?.retry).toEqual([`${CAL}a.ics`]);
    store.close();
  });
});
