import { describe, expect, it } from 'vitest';
import { safeLog } from '../platform/logger.ts';
import { ManualClock, ManualOnline } from '../platform/test-platform.ts';
import { type SchedulerOptions, SyncScheduler } from './scheduler.ts';

// The scheduler on a manual clock and a scripted `online` signal: every wake-up of
// DESIGN.md "When it replays", with no real waiting and no global fake timers.

function setUp(overrides: Partial<SchedulerOptions> = {}) {
  const clock = new ManualClock();
  const online = new ManualOnline();
  const calls: Array<{ kind: 'full' | 'push'; at: number }> = [];
  const debug: string[] = [];
  let retryAt: number | undefined;
  const scheduler = new SyncScheduler({
    autoSync: { intervalMs: 60_000 },
    clock,
    online,
    log: safeLog({ debug: (message) => debug.push(message) }),
    full: async () => {
      calls.push({ kind: 'full', at: clock.now() });
    },
    push: async () => {
      calls.push({ kind: 'push', at: clock.now() });
    },
    nextRetryAt: async () => retryAt,
    ...overrides,
  });
  const t0 = clock.now();
  const count = (kind: 'full' | 'push') => calls.filter((c) => c.kind === kind).length;
  return { clock, online, calls, debug, scheduler, t0, count, setRetryAt: (at: number) => (retryAt = at) };
}

describe('SyncScheduler', () => {
  it('runs a full round on start, then once per interval', async () => {
    const { clock, scheduler, count, calls, t0 } = setUp();
    scheduler.start();
    await clock.advance(0);
    expect(count('full')).toBe(1);
    await clock.advance(59_999);
    expect(count('full')).toBe(1);
    await clock.advance(1);
    expect(count('full')).toBe(2);
    await clock.advance(180_000);
    expect(calls.map((c) => c.at - t0)).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
  });

  it('runs a full round on every online event, and stops listening on stop', async () => {
    const { clock, online, scheduler, count } = setUp();
    scheduler.start();
    online.fire();
    online.fire();
    await clock.advance(0);
    expect(count('full')).toBe(3);
    scheduler.stop();
    expect(online.listeners).toBe(0);
    online.fire();
    await clock.advance(600_000);
    expect(count('full')).toBe(3);
    expect(clock.pending).toEqual([]);
  });

  it('debounces pushes after a burst of edits: one push 500 ms after the last', async () => {
    const { clock, scheduler, calls, t0 } = setUp();
    scheduler.start();
    scheduler.pushSoon();
    await clock.advance(300);
    scheduler.pushSoon();
    await clock.advance(300);
    scheduler.pushSoon();
    await clock.advance(499);
    expect(calls.filter((c) => c.kind === 'push')).toEqual([]);
    await clock.advance(1);
    expect(calls.filter((c) => c.kind === 'push').map((c) => c.at - t0)).toEqual([1_100]);
  });

  it('wakes a push when the earliest backed-off entry is due, re-armed by each call', async () => {
    const { clock, scheduler, calls, setRetryAt, t0 } = setUp();
    scheduler.start();
    setRetryAt(t0 + 8_000);
    await scheduler.scheduleRetry();
    setRetryAt(t0 + 2_000);
    await scheduler.scheduleRetry();
    await clock.advance(10_000);
    expect(calls.filter((c) => c.kind === 'push').map((c) => c.at - t0)).toEqual([2_000]);
  });

  it('a retry already due runs at once', async () => {
    const { clock, scheduler, count, setRetryAt, t0 } = setUp();
    scheduler.start();
    setRetryAt(t0 - 5_000);
    await scheduler.scheduleRetry();
    await clock.advance(0);
    expect(count('push')).toBe(1);
  });

  it('autoSync: false runs nothing and sets no timer', async () => {
    const { clock, online, scheduler, count } = setUp({ autoSync: false });
    scheduler.start();
    scheduler.pushSoon();
    await scheduler.scheduleRetry();
    online.fire();
    await clock.advance(3_600_000);
    expect(count('full') + count('push')).toBe(0);
    expect(clock.pending).toEqual([]);
    expect(online.listeners).toBe(0);
  });

  it('nothing fires after stop (no push, no retry, no interval)', async () => {
    const { clock, scheduler, count, setRetryAt, t0 } = setUp();
    scheduler.start();
    await clock.advance(0);
    scheduler.pushSoon();
    setRetryAt(t0 + 1_000);
    await scheduler.scheduleRetry();
    scheduler.stop();
    await clock.advance(3_600_000);
    expect(count('full')).toBe(1);
    expect(count('push')).toBe(0);
  });

  it('a failing automatic round is logged (debug), and the next one still runs', async () => {
    let fail = true;
    const { clock, scheduler, debug, count } = setUp({
      full: async () => {
        if (fail) throw new Error('offline');
      },
    });
    scheduler.start();
    await clock.advance(0);
    expect(debug).toEqual(['Automatic full round failed']);
    fail = false;
    scheduler.pushSoon();
    await clock.advance(500);
    expect(count('push')).toBe(1);
  });
});
