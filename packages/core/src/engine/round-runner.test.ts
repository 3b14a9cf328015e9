import { afterEach, describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import type { RoundLock } from '../platform/lock.ts';
import { realmLock } from '../platform/lock.ts';
import { safeLog } from '../platform/logger.ts';
import { FakeTransport } from '../transport/fake-transport.ts';
import { RoundRunner, type RunnerDeps } from './round-runner.ts';
import { eventIcs, type RoundFixture, roundFixture } from './test-round.ts';

// The round runner on fakes: one round at a time per engine and under the database lock,
// the rejection rule of sync() (reject only when no account synced), and status bookkeeping.

let f: RoundFixture;
afterEach(() => f?.close());

function runner(fixture: RoundFixture, overrides: Partial<RunnerDeps> = {}) {
  const syncing: boolean[] = [];
  const errors: string[] = [];
  let held = 0;
  let after = 0;
  const deps: RunnerDeps = {
    clock: fixture.clock,
    lock: realmLock(),
    lockName: 'calsync-sync:test',
    log: safeLog({ error: (m) => errors.push(m) }),
    round: fixture.deps,
    accounts: async (only) => {
      const all = await fixture.store.listAccounts();
      return only === undefined ? all : all.filter((a) => a.id === only);
    },
    requests: () => 0,
    syncing: (s) => syncing.push(s),
    hold: () => held++,
    release: () => held--,
    after: () => after++,
    ...overrides,
  };
  return { runner: new RoundRunner(deps), syncing, errors, held: () => held, after: () => after };
}

describe('RoundRunner', () => {
  it('queues rounds: the second starts after the first ended, in call order', async () => {
    f = await roundFixture();
    f.server.addCalendar('work');
    await f.account();
    const order: string[] = [];
    const lock: RoundLock = {
      run: async (name, work) => {
        order.push(`lock ${name}`);
        try {
          return await work();
        } finally {
          order.push('unlock');
        }
      },
    };
    const { runner: r, syncing } = runner(f, { lock });
    const first = r.run(undefined, 'full', true);
    const second = r.run(undefined, 'push', true);
    expect(r.busy).toBe(true);
    await Promise.all([first, second]);
    expect(order).toEqual(['lock calsync-sync:test', 'unlock', 'lock calsync-sync:test', 'unlock']);
    expect(syncing).toEqual([true, false, true, false]);
    await r.idle();
    expect(r.busy).toBe(false);
  });

  it('with one account, its failure rejects sync() with that error', async () => {
    f = await roundFixture();
    f.server.addCalendar('work');
    await f.account();
    f.server.failNext('listCalendars', new CalsyncError('network', 'Failed to fetch'));
    const { runner: r, errors } = runner(f);
    await expect(r.run(undefined, 'full', true)).rejects.toMatchObject({ code: 'network' });
    expect(r.lastError).toEqual({ code: 'network', message: 'Failed to fetch' });
    expect(r.lastSyncAt).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it('with two accounts of which one fails, sync() resolves; the failed one carries its error', async () => {
    f = await roundFixture();
    f.server.addCalendar('work');
    const other = new FakeTransport('https://other.fake.test/');
    other.addCalendar('home');
    await f.account('a1');
    await f.account('a2', other);
    other.failNext('listCalendars', new CalsyncError('server', 'HTTP 503'));
    const { runner: r } = runner(f);
    const report = await r.run(undefined, 'full', true);
    expect(report.accounts.map((a) => [a.accountId, a.ok, a.error?.code])).toEqual(
      expect.arrayContaining([
        ['a1', true, undefined],
        ['a2', false, 'server'],
      ]),
    );
    expect(r.lastError?.code).toBe('server');
    expect(r.lastSyncAt).toBeUndefined();
  });

  it('with two accounts that both fail, sync() rejects with the first error — the same rule as for one', async () => {
    f = await roundFixture();
    const other = new FakeTransport('https://other.fake.test/');
    await f.account('a1');
    await f.account('a2', other);
    const accounts = (await f.store.listAccounts()).map((a) => a.id);
    const first = accounts[0] === 'a1' ? f.server : other;
    const second = first === f.server ? other : f.server;
    first.failNext('listCalendars', new CalsyncError('network', 'first'));
    second.failNext('listCalendars', new CalsyncError('server', 'second'));
    const { runner: r } = runner(f);
    await expect(r.run(undefined, 'full', true)).rejects.toMatchObject({ code: 'network', message: 'first' });
  });

  it('a good round records the sync time from the clock and clears the last error', async () => {
    f = await roundFixture();
    const work = f.server.addCalendar('work');
    f.server.serverPut(`${work}a.ics`, eventIcs('a', 'One'));
    await f.account();
    f.server.failNext('listCalendars', new CalsyncError('network', 'down'));
    const { runner: r, held, after } = runner(f);
    await r.run(undefined, 'full', true).catch(() => undefined);
    await f.clock.advance(60_000);
    const report = await r.run('acc', 'full', true);
    expect(report.accounts[0]?.ok).toBe(true);
    expect(r.lastSyncAt).toBe(f.clock.now());
    expect(r.lastError).toBeUndefined();
    expect(held()).toBe(0);
    expect(after()).toBe(2);
  });

  it('no accounts: an empty report, no lock trouble', async () => {
    f = await roundFixture();
    const { runner: r } = runner(f);
    await expect(r.run(undefined, 'full', true)).resolves.toMatchObject({ accounts: [] });
  });
});
