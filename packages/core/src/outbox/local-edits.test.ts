import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EditOptions, EventInput, EventPatch } from '../api/types.ts';
import { calendar, vevent } from '../ical/test-ics.ts';
import { eventIdOf } from '../model/ids.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { ConflictRecord, OutboxRecord } from '../model/records.ts';
import { ManualClock } from '../platform/test-platform.ts';
import { CalsyncStore } from '../store/store.ts';
import { FakeTransport } from '../transport/fake-transport.ts';
import { createLocal, deleteLocal, type EditDeps, resolveLocal, updateLocal } from './local-edits.ts';
import { pushAccount } from './push.ts';
import { uidInUseOf } from './test-edit-deps.ts';
import { calendarRecord, deleteDatabase, rejection } from './test-outbox.ts';

// Local edits on the real store over fake-indexeddb, with a manual clock and predictable
// ids: each edit is validated before anything is stored, then written as the row to show
// plus one coalesced outbox entry per object.

const ACC = 'acc';
const CAL = 'cal';
const READ_ONLY = 'ro';
const GONE = 'gone';

const single = (uid: string, summary: string) =>
  calendar(vevent(`UID:${uid}`, 'DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', `SUMMARY:${summary}`));

/** Daily at 09:00 UTC, five times from Monday 2026-01-05. */
const SERIES = calendar(
  vevent(
    'UID:series',
    'DTSTART:20260105T090000Z',
    'DTEND:20260105T100000Z',
    'RRULE:FREQ=DAILY;COUNT=5',
    'SUMMARY:Standup',
    'SEQUENCE:0',
  ),
);
const THIRD = '2026-01-07T09:00:00Z';

const input = (extra: Partial<EventInput> = {}): EventInput => ({
  summary: 'Lunch',
  start: '2026-01-07T12:00:00Z',
  end: '2026-01-07T13:00:00Z',
  ...extra,
});

/** The lines of an ICS text, unfolded. */
const lines = (ics: string | undefined) => (ics ?? '').replace(/\r\n[ \t]/g, '').split('\r\n');

/** The unfolded lines of each VEVENT of an ICS text. */
const events = (ics: string | undefined) =>
  (ics ?? '')
    .replace(/\r\n[ \t]/g, '')
    .split('BEGIN:VEVENT\r\n')
    .slice(1)
    .map((block) => (block.split('END:VEVENT')[0] ?? '').split('\r\n').filter(Boolean));

let serial = 0;
let dbName: string;
let store: CalsyncStore;
let clock: ManualClock;
let deps: EditDeps;
let calUrl: string;

beforeEach(async () => {
  dbName = `local-edits-${crypto.randomUUID()}-${++serial}`;
  store = await CalsyncStore.open(indexedDB, dbName);
  clock = new ManualClock();
  let n = 0;
  deps = { store, now: () => clock.now(), newId: () => `id-${++n}`, uidInUse: uidInUseOf(store) };
  calUrl = 'https://dav.fake.test/calendars/work/';
  await store.addAccount(
    {
      id: ACC,
      name: 'Account',
      serverUrl: 'https://dav.fake.test/',
      username: 'user',
      principalUrl: 'https://dav.fake.test/principal/',
      homeUrl: 'https://dav.fake.test/calendars/',
      createdAt: 0,
    },
    'secret',
    [
      calendarRecord(ACC, CAL, calUrl),
      calendarRecord(ACC, READ_ONLY, 'https://dav.fake.test/calendars/shared/', { readOnly: true }),
      calendarRecord(ACC, GONE, 'https://dav.fake.test/calendars/old/', { deletedOnServer: true }),
    ],
  );
});

afterEach(async () => {
  store.close();
  await deleteDatabase(dbName);
});

/** An object as a pull stores it (server version, not pending). */
async function synced(name: string, ics: string, etag = '"s1"'): Promise<{ href: string; eventId: string }> {
  const href = `${calUrl}${name}.ics`;
  await store.applyObjects(CAL, { puts: [toObjectRecord(CAL, href, etag, ics)], deletes: [] });
  return { href, eventId: eventIdOf(CAL, href) };
}

async function entryOf(href: string): Promise<OutboxRecord> {
  const entry = await store.outbox.get(CAL, href);
  expect(entry).toBeDefined();
  return entry as OutboxRecord;
}

/** What is stored: every row and outbox entry of every calendar. */
async function snapshot() {
  const rows = [];
  for (const id of [CAL, READ_ONLY, GONE]) rows.push(...(await store.objectsOfCalendar(id)));
  return { rows, entries: await store.outbox.list(), conflicts: await store.outbox.listConflicts() };
}

describe('createLocal', () => {
  it('stores a pending row and one create entry, named after a plain UID', async () => {
    const result = await createLocal(deps, CAL, input({ uid: 'lunch-1', location: 'Canteen' }));

    const href = `${calUrl}lunch-1.ics`;
    const row = await store.getObject(CAL, href);
    // The result carries the row exactly as stored (the query index is patched with it).
    expect(result).toEqual({
      eventId: eventIdOf(CAL, href),
      calendarId: CAL,
      accountId: ACC,
      hrefs: [href],
      rows: [row],
    });
    expect(row).toMatchObject({
      calendarId: CAL,
      href,
      etag: undefined,
      state: 'ok',
      uid: 'lunch-1',
      summary: 'Lunch',
      location: 'Canteen',
      pending: true,
      conflict: false,
    });
    expect(lines(row?.ics)).toEqual(
      expect.arrayContaining(['UID:lunch-1', 'SUMMARY:Lunch', 'DTSTART:20260107T120000Z', 'DTEND:20260107T130000Z']),
    );
    expect(await store.outbox.list()).toEqual([
      {
        id: 'id-1',
        calendarId: CAL,
        accountId: ACC,
        href,
        uid: 'lunch-1',
        summary: 'Lunch',
        op: 'create',
        ics: row?.ics,
        createdAt: clock.now(),
        updatedAt: clock.now(),
        revision: 1,
        attempts: 0,
        state: 'pending',
      },
    ]);
  });

  it.each(['lunch-1', 'abc@example.com', 'A.b_c-9'])('the plain UID %s is its own file name', async (uid) => {
    const result = await createLocal(deps, CAL, input({ uid }));

    expect(result.hrefs).toEqual([`${calUrl}${uid}.ics`]);
    expect(await entryOf(`${calUrl}${uid}.ics`)).toMatchObject({ id: 'id-1', uid });
  });

  it.each([
    ['a slash and a space', 'team/lunch 1'],
    ['a hidden name', '.Radicale.props'],
    ['100+ characters', 'x'.repeat(101)],
  ])('a UID with %s gets a fresh name; the UID itself is kept', async (_what, uid) => {
    const result = await createLocal(deps, CAL, input({ uid }));

    // The first id names the file, the second the outbox entry.
    const href = `${calUrl}id-1.ics`;
    expect(result.hrefs).toEqual([href]);
    expect(await store.getObject(CAL, href)).toMatchObject({ uid, pending: true });
    expect(await entryOf(href)).toMatchObject({ id: 'id-2', op: 'create', uid });
  });

  it('without a UID, the generated one names the file', async () => {
    const result = await createLocal(deps, CAL, input());

    const [entry] = await store.outbox.list();
    expect(entry?.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(result.hrefs).toEqual([`${calUrl}${entry?.uid}.ics`]);
    expect(entry?.href).toBe(result.hrefs[0]);
  });

  it.each([
    ['end before start', CAL, input({ end: '2026-01-07T11:00:00Z' }), 'invalid-input'],
    ['a bad RRULE', CAL, input({ rrule: 'FREQ=SOMETIMES' }), 'invalid-input'],
    ['an uncarriable character in the UID', CAL, input({ uid: 'a\u0001b' }), 'invalid-input'],
    ['an unknown calendar', 'nope', input(), 'not-found'],
    ['a read-only calendar', READ_ONLY, input(), 'invalid-input'],
    ['a calendar deleted on the server', GONE, input(), 'invalid-input'],
  ])('%s rejects and stores nothing', async (_what, calendarId, event, code) => {
    await synced('existing', single('existing', 'Kept'));
    const before = await snapshot();

    const error = await rejection(createLocal(deps, calendarId, event));

    expect(error.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  it('a UID the calendar already has rejects and stores nothing', async () => {
    await synced('other-name', single('taken', 'Already here'));
    const before = await snapshot();

    const error = await rejection(createLocal(deps, CAL, input({ uid: 'taken' })));

    expect(error.code).toBe('invalid-input');
    expect(await snapshot()).toEqual(before);
  });
});

describe('updateLocal and deleteLocal', () => {
  it('updates coalesce into one entry on the original base; the row shows the latest', async () => {
    const { href, eventId } = await synced('a', single('a', 'Base'), '"base"');

    await updateLocal(deps, eventId, { summary: 'First' });
    const first = await entryOf(href);
    await clock.advance(60_000);
    await updateLocal(deps, eventId, { summary: 'Second', location: 'Room 4' });

    const entries = await store.outbox.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      id: first.id,
      op: 'update',
      baseEtag: '"base"',
      baseIcs: single('a', 'Base'),
      revision: 2,
      createdAt: first.createdAt,
      updatedAt: clock.now(),
      summary: 'Second',
    });
    expect(first.revision).toBe(1);
    const row = await store.getObject(CAL, href);
    expect(row).toMatchObject({ etag: '"base"', summary: 'Second', location: 'Room 4', pending: true });
    expect(entries[0]?.ics).toBe(row?.ics);
  });

  it('an update of a never-pushed create stays one create', async () => {
    const [href] = (await createLocal(deps, CAL, input({ uid: 'n' }))).hrefs;

    await updateLocal(deps, eventIdOf(CAL, href as string), { summary: 'Dinner' });

    const entries = await store.outbox.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ op: 'create', revision: 2, summary: 'Dinner' });
    expect(entries[0]?.baseEtag).toBeUndefined();
    expect(lines(entries[0]?.ics)).toContain('SUMMARY:Dinner');
  });

  it('deleting a never-pushed create cancels it: no entry, no row', async () => {
    const { hrefs, eventId } = await createLocal(deps, CAL, input({ uid: 'n' }));

    const result = await deleteLocal(deps, eventId as string);

    expect(result).toEqual({ eventId: undefined, calendarId: CAL, accountId: ACC, hrefs, rows: [null] });
    expect(await store.outbox.count()).toBe(0);
    expect(await store.objectsOfCalendar(CAL)).toEqual([]);
  });

  it('deleting a synced object removes the row and queues a delete on its base', async () => {
    const { href, eventId } = await synced('a', single('a', 'Base'), '"base"');

    await deleteLocal(deps, eventId);

    expect(await store.getObject(CAL, href)).toBeUndefined();
    const entry = await entryOf(href);
    expect(entry).toMatchObject({ op: 'delete', baseEtag: '"base"', baseIcs: single('a', 'Base'), revision: 1 });
    expect(entry.ics).toBeUndefined();
  });

  it.each([
    ['an unknown object', () => eventIdOf(CAL, `${calUrl}missing.ics`), { summary: 'x' }, {}, 'not-found'],
    ['a malformed id', () => 'no-bar', { summary: 'x' }, {}, 'invalid-input'],
    [
      "scope 'this' without an occurrence",
      () => eventIdOf(CAL, `${calUrl}series.ics`),
      { summary: 'x' },
      { scope: 'this' },
      'invalid-input',
    ],
    [
      'an occurrence that is no instance',
      () => eventIdOf(CAL, `${calUrl}series.ics`),
      { summary: 'x' },
      { occurrence: '2026-01-07T10:00:00Z' },
      'invalid-input',
    ],
    [
      'end before start',
      () => eventIdOf(CAL, `${calUrl}series.ics`),
      { end: '2026-01-05T08:00:00Z' },
      {},
      'invalid-input',
    ],
  ] as Array<[string, () => string, EventPatch, EditOptions, string]>)(
    'an update of %s rejects and changes nothing',
    async (_what, id, patch, options, code) => {
      await synced('series', SERIES);
      const before = await snapshot();

      const error = await rejection(updateLocal(deps, id(), patch, options));

      expect(error.code).toBe(code);
      expect(await snapshot()).toEqual(before);
    },
  );
});

describe('scopes on a recurring event', () => {
  it("delete 'this' adds an EXDATE to the one object", async () => {
    const { href, eventId } = await synced('series', SERIES);

    await deleteLocal(deps, eventId, { occurrence: THIRD, scope: 'this' });

    const entry = await entryOf(href);
    expect(entry).toMatchObject({ op: 'update', baseEtag: '"s1"', baseIcs: SERIES });
    const [master, ...others] = events(entry.ics);
    expect(others).toEqual([]);
    expect(master).toEqual(expect.arrayContaining(['EXDATE:20260107T090000Z', 'RRULE:FREQ=DAILY;COUNT=5']));
    expect((await store.getObject(CAL, href))?.ics).toBe(entry.ics);
    expect(await store.outbox.count()).toBe(1);
  });

  it("update 'this' adds an override with the occurrence's RECURRENCE-ID", async () => {
    const { href, eventId } = await synced('series', SERIES);

    const result = await updateLocal(deps, eventId, { summary: 'Retro' }, { occurrence: THIRD, scope: 'this' });

    expect(result.hrefs).toEqual([href]);
    const vevents = events((await entryOf(href)).ics);
    expect(vevents).toHaveLength(2);
    const override = vevents.find((v) => v.some((l) => l.startsWith('RECURRENCE-ID')));
    const master = vevents.find((v) => v !== override);
    expect(override).toEqual(expect.arrayContaining(['UID:series', 'RECURRENCE-ID:20260107T090000Z', 'SUMMARY:Retro']));
    expect(master).toEqual(expect.arrayContaining(['SUMMARY:Standup', 'RRULE:FREQ=DAILY;COUNT=5']));
    expect(await store.outbox.count()).toBe(1);
  });

  it("update 'future' ends the series before the occurrence and creates a new one from it", async () => {
    const { href, eventId } = await synced('series', SERIES);

    const result = await updateLocal(deps, eventId, { summary: 'Later' }, { occurrence: THIRD, scope: 'future' });

    expect(result.hrefs).toHaveLength(2);
    expect(result.hrefs[0]).toBe(href);
    const old = await entryOf(href);
    expect(old).toMatchObject({ op: 'update', baseEtag: '"s1"' });
    expect(events(old.ics)).toEqual([
      expect.arrayContaining(['SUMMARY:Standup', 'RRULE:FREQ=DAILY;UNTIL=20260107T085959Z']),
    ]);
    const newHref = result.hrefs[1] as string;
    const fresh = await entryOf(newHref);
    expect(fresh).toMatchObject({ op: 'create', summary: 'Later' });
    expect(fresh.uid).not.toBe('series');
    expect(newHref).toBe(`${calUrl}${fresh.uid}.ics`);
    expect(events(fresh.ics)).toEqual([
      expect.arrayContaining([
        `UID:${fresh.uid}`,
        'SUMMARY:Later',
        'DTSTART:20260107T090000Z',
        'RRULE:FREQ=DAILY;COUNT=3',
      ]),
    ]);
    expect(await store.getObject(CAL, newHref)).toMatchObject({ pending: true, summary: 'Later' });
    expect(await store.outbox.count()).toBe(2);
  });

  it("update 'all' changes the master and keeps the rule", async () => {
    const { href, eventId } = await synced('series', SERIES);

    await updateLocal(deps, eventId, { summary: 'Daily sync' }, { scope: 'all' });

    const vevents = events((await entryOf(href)).ics);
    expect(vevents).toEqual([expect.arrayContaining(['SUMMARY:Daily sync', 'RRULE:FREQ=DAILY;COUNT=5'])]);
    expect(vevents[0]?.some((l) => l.startsWith('RECURRENCE-ID'))).toBe(false);
    expect(await store.outbox.count()).toBe(1);
  });

  it("delete 'future' ends the rule; from the first occurrence it deletes the object", async () => {
    const { href, eventId } = await synced('series', SERIES);

    await deleteLocal(deps, eventId, { occurrence: THIRD, scope: 'future' });
    const ended = await entryOf(href);
    expect(ended.op).toBe('update');
    expect(events(ended.ics)).toEqual([expect.arrayContaining(['RRULE:FREQ=DAILY;UNTIL=20260107T085959Z'])]);

    await deleteLocal(deps, eventId, { occurrence: '2026-01-05T09:00:00Z', scope: 'future' });
    expect(await entryOf(href)).toMatchObject({ op: 'delete', baseEtag: '"s1"', revision: 2 });
    expect(await store.getObject(CAL, href)).toBeUndefined();
  });
});

describe('resolveLocal', () => {
  const SERVER_URL = 'https://dav.fake.test/';

  /**
   * A real conflict, as a push leaves it: a local edit (or delete) of a synced object pushed
   * against a server that changed (or removed) it meanwhile.
   */
  async function conflicted(
    kind: 'edit-edit' | 'remote-delete' | 'local-delete' = 'edit-edit',
  ): Promise<{ href: string; conflict: ConflictRecord; server: FakeTransport }> {
    const server = new FakeTransport(SERVER_URL);
    expect(server.addCalendar('work')).toBe(calUrl);
    const href = `${calUrl}a.ics`;
    const base = single('a', 'Base');
    const etag = server.serverPut(href, base);
    await store.applyObjects(CAL, { puts: [toObjectRecord(CAL, href, etag, base)], deletes: [] });
    if (kind === 'local-delete') await deleteLocal(deps, eventIdOf(CAL, href));
    else await updateLocal(deps, eventIdOf(CAL, href), { summary: 'Mine' });
    if (kind === 'remote-delete') server.serverRemove(href);
    else server.serverPut(href, single('a', 'Theirs'));
    await pushAccount(
      {
        writer: server,
        store,
        now: deps.now,
        policy: 'server-wins',
        concurrency: 1,
        force: true,
        newId: () => 'conflict-1',
        onConflict: () => {},
        onProgress: () => {},
      },
      ACC,
    );
    const [conflict, ...more] = await store.outbox.listConflicts();
    expect(more).toEqual([]);
    expect(conflict?.kind).toBe(kind);
    expect(await store.outbox.count()).toBe(0);
    return { href, conflict: conflict as ConflictRecord, server };
  }

  it("'local' queues our version as an update on the server's current ETag", async () => {
    const { href, conflict, server } = await conflicted();

    const result = await resolveLocal(deps, conflict, 'local');

    expect(result).toEqual({ eventId: eventIdOf(CAL, href), calendarId: CAL, accountId: ACC, hrefs: [href] });
    expect(await store.outbox.listConflicts()).toEqual([]);
    const entry = await entryOf(href);
    expect(entry).toMatchObject({ op: 'update', ics: conflict.local, baseEtag: server.object(href)?.etag });
    expect(await store.getObject(CAL, href)).toMatchObject({ ics: conflict.local, pending: true, conflict: false });
  });

  it("'server' keeps the row as it is and queues nothing", async () => {
    const { href, conflict } = await conflicted();
    const row = await store.getObject(CAL, href);

    await resolveLocal(deps, conflict, 'server');

    expect(await store.outbox.listConflicts()).toEqual([]);
    expect(await store.outbox.count()).toBe(0);
    expect(await store.getObject(CAL, href)).toEqual({ ...row, conflict: false });
  });

  it('given ICS is queued as the new version', async () => {
    const { href, conflict } = await conflicted();
    const chosen = single('a', 'Both of us');

    await resolveLocal(deps, conflict, { ics: chosen });

    expect(await store.outbox.listConflicts()).toEqual([]);
    expect(await entryOf(href)).toMatchObject({ op: 'update', ics: chosen });
    expect(await store.getObject(CAL, href)).toMatchObject({ summary: 'Both of us', pending: true });
  });

  it('unreadable ICS rejects with invalid-input and changes nothing', async () => {
    const { conflict } = await conflicted();
    const before = await snapshot();

    const error = await rejection(resolveLocal(deps, conflict, { ics: 'BEGIN:VCALENDAR\r\nnot ics' }));

    expect(error.code).toBe('invalid-input');
    expect(await snapshot()).toEqual(before);
  });

  it("'local' on a remote-delete conflict queues our version as a create again", async () => {
    const { href, conflict } = await conflicted('remote-delete');
    expect(await store.getObject(CAL, href)).toBeUndefined();

    await resolveLocal(deps, conflict, 'local');

    expect(await store.outbox.listConflicts()).toEqual([]);
    const entry = await entryOf(href);
    expect(entry).toMatchObject({ op: 'create', ics: conflict.local });
    expect(entry.baseEtag).toBeUndefined();
    expect(await store.getObject(CAL, href)).toMatchObject({ summary: 'Mine', pending: true });
  });

  it("'local' on a local-delete conflict queues the delete on the server's current ETag", async () => {
    const { href, conflict, server } = await conflicted('local-delete');
    expect(await store.getObject(CAL, href)).toMatchObject({ summary: 'Theirs', conflict: true });

    await resolveLocal(deps, conflict, 'local');

    expect(await store.outbox.listConflicts()).toEqual([]);
    expect(await entryOf(href)).toMatchObject({ op: 'delete', baseEtag: server.object(href)?.etag });
    expect(await store.getObject(CAL, href)).toBeUndefined();
  });

  it("'server' on a remote-delete conflict only drops the conflict", async () => {
    const { href, conflict } = await conflicted('remote-delete');

    await resolveLocal(deps, conflict, 'server');

    expect(await store.outbox.listConflicts()).toEqual([]);
    expect(await store.outbox.count()).toBe(0);
    expect(await store.getObject(CAL, href)).toBeUndefined();
  });
});
