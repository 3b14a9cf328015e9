import { afterEach, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { createLocal } from '../outbox/local-edits.ts';
import { uidInUseOf } from '../outbox/test-edit-deps.ts';
import { syncAccountRound } from './account-round.ts';
import { eventIcs, type RoundFixture, roundFixture } from './test-round.ts';

// One account's round on fakes: push, then pull; failures land in the report, the
// account and the events — never thrown — and a refused password pauses the account.

let f: RoundFixture;
afterEach(() => f?.close());

const ids = () => {
  let n = 0;
  return () => `id-${++n}`;
};

describe('syncAccountRound', () => {
  it('first round: finds the calendars, downloads them, reports and records the sync time', async () => {
    f = await roundFixture();
    const work = f.server.addCalendar('work', { displayName: 'Work' });
    f.server.serverPut(`${work}a.ics`, eventIcs('a', 'Standup'));
    f.server.serverPut(`${work}b.ics`, eventIcs('b', 'Review'));
    const account = await f.account();
    const { report, error } = await syncAccountRound(f.deps, account, 'full', true);
    expect(error).toBeUndefined();
    expect(report).toMatchObject({ accountId: 'acc', ok: true, calendarsAdded: 1, pushed: 0, conflicts: 0 });
    expect(report.calendars).toEqual([
      { calendarId: expect.any(String), mode: 'full-query', changed: 2, deleted: 0, invalid: 0 },
    ]);
    const [calendar] = await f.store.listCalendars('acc');
    expect(calendar?.displayName).toBe('Work');
    expect([...(await f.store.objectEtags(calendar?.id ?? '')).keys()].sort()).toEqual([
      `${work}a.ics`,
      `${work}b.ics`,
    ]);
    expect((await f.store.getAccount('acc'))?.lastSyncAt).toBe(f.clock.now());
    expect(f.events.at(-1)).toEqual({ type: 'progress', accountId: 'acc', phase: 'done', done: 1, total: 1 });
  });

  it('pushes local edits before pulling, in the same round', async () => {
    f = await roundFixture();
    const work = f.server.addCalendar('work');
    const account = await f.account();
    await syncAccountRound(f.deps, account, 'full', true);
    const [calendar] = await f.store.listCalendars('acc');
    await createLocal(
      { store: f.store, now: () => f.clock.now(), newId: ids(), uidInUse: uidInUseOf(f.store) },
      calendar?.id ?? '',
      {
        summary: 'Made offline',
        start: '2026-01-07T09:00:00Z',
        end: '2026-01-07T10:00:00Z',
        uid: 'offline-1',
      },
    );
    const { report } = await syncAccountRound(f.deps, account, 'full', true);
    expect(report).toMatchObject({ ok: true, pushed: 1 });
    expect(f.server.object(`${work}offline-1.ics`)?.ics).toContain('SUMMARY:Made offline');
    expect(await f.store.outbox.count()).toBe(0);
    expect((await f.store.getObject(calendar?.id ?? '', `${work}offline-1.ics`))?.pending).toBeFalsy();
  });

  it('push mode replays the outbox and does not pull', async () => {
    f = await roundFixture();
    f.server.addCalendar('work');
    const account = await f.account();
    await syncAccountRound(f.deps, account, 'full', true);
    f.server.resetCalls();
    const { report } = await syncAccountRound(f.deps, account, 'push', true);
    expect(report).toMatchObject({ ok: true, pushed: 0, calendars: [] });
    expect(f.server.calls('listCalendars') + f.server.calls('syncCollection') + f.server.calls('fetchAll')).toBe(0);
  });

  it('a network failure is reported, stored on the account and emitted — not thrown', async () => {
    f = await roundFixture();
    f.server.addCalendar('work');
    const account = await f.account();
    f.server.failNext('listCalendars', new CalsyncError('network', 'Failed to fetch'));
    const { report, error } = await syncAccountRound(f.deps, account, 'full', true);
    expect(error?.code).toBe('network');
    expect(report).toMatchObject({ ok: false, error: { code: 'network' }, calendars: [] });
    expect((await f.store.getAccount('acc'))?.lastError).toEqual({ code: 'network', message: 'Failed to fetch' });
    expect(f.events).toContainEqual({
      type: 'error',
      accountId: 'acc',
      error: { code: 'network', message: 'Failed to fetch' },
    });
    expect((await f.store.getAccount('acc'))?.paused).toBeUndefined();
  });

  it('a refused password pauses the account: automatic rounds skip it, a forced one resumes it', async () => {
    f = await roundFixture();
    f.server.addCalendar('work');
    const account = await f.account();
    f.server.failNext('listCalendars', new CalsyncError('auth', 'The server rejected the credentials (HTTP 401).'));
    await syncAccountRound(f.deps, account, 'full', true);
    const paused = await f.store.getAccount('acc');
    expect(paused?.paused).toBe(true);
    f.server.resetCalls();
    const skipped = await syncAccountRound(f.deps, paused ?? account, 'full', false);
    expect(skipped.report).toMatchObject({ ok: false, error: { code: 'auth' } });
    expect(f.server.calls('listCalendars')).toBe(0);
    const forced = await syncAccountRound(f.deps, paused ?? account, 'full', true);
    expect(forced.report.ok).toBe(true);
    expect((await f.store.getAccount('acc'))?.paused).toBeUndefined();
  });

  it('no stored password is an auth error without a request', async () => {
    f = await roundFixture();
    const account = await f.account();
    const { report } = await syncAccountRound(f.deps, { ...account, id: 'ghost' }, 'full', true);
    expect(report).toMatchObject({ ok: false, error: { code: 'auth' } });
    expect(f.server.calls('discover') + f.server.calls('listCalendars')).toBe(0);
  });

  it('when even storing the error fails, the round still reports it and the logger hears why', async () => {
    f = await roundFixture();
    const account = await f.account();
    f.server.failNext('listCalendars', new CalsyncError('server', 'HTTP 503'));
    f.store.close(); // every write now fails
    const { report } = await syncAccountRound(f.deps, account, 'full', true);
    expect(report).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    expect(f.logged.some((m) => m.includes('Could not store the last error'))).toBe(true);
  });

  it('an incremental round after a server change pulls just the change', async () => {
    f = await roundFixture();
    const work = f.server.addCalendar('work');
    f.server.serverPut(`${work}a.ics`, eventIcs('a', 'One'));
    const account = await f.account();
    await syncAccountRound(f.deps, account, 'full', true);
    f.server.serverPut(`${work}a.ics`, eventIcs('a', 'Two'));
    f.server.serverPut(`${work}c.ics`, eventIcs('c', 'New'));
    const { report } = await syncAccountRound(f.deps, account, 'full', true);
    expect(report.calendars).toEqual([
      { calendarId: expect.any(String), mode: 'incremental', changed: 2, deleted: 0, invalid: 0 },
    ]);
    const [calendar] = await f.store.listCalendars('acc');
    expect((await f.store.getObject(calendar?.id ?? '', `${work}a.ics`))?.summary).toBe('Two');
  });
});
