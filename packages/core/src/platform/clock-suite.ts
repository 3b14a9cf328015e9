import { expect, it } from 'vitest';
import { systemClock } from './clock.ts';

/**
 * The system clock's timers, run by clock.test.ts (Node: `setImmediate`) and
 * clock.browser.test.ts (Chromium: a MessageChannel).
 */
export function systemClockSuite(): void {
  it('runs zero-delay callbacks in order, each in a task of its own, and not cancelled ones', async () => {
    const ran: string[] = [];
    await new Promise<void>((done) => {
      systemClock.setTimeout(() => ran.push('a'), 0);
      const cancelled = systemClock.setTimeout(() => ran.push('cancelled'), 0);
      systemClock.setTimeout(() => {
        ran.push('b');
        done();
      }, 0);
      systemClock.clearTimeout(cancelled);
      ran.push('sync');
    });
    expect(ran).toEqual(['sync', 'a', 'b']);
  });

  it('a chain of 50 zero-delay callbacks is not clamped to 4 ms each, as nested setTimeout(0) is in browsers', async () => {
    // Baseline in the same run: the same chain through setTimeout(0).
    const chain = (schedule: (next: () => void) => void) =>
      new Promise<number>((done) => {
        const started = performance.now();
        let left = 50;
        const step = () => (--left === 0 ? done(performance.now() - started) : schedule(step));
        schedule(step);
      });
    const soon = await chain((next) => systemClock.setTimeout(next, 0));
    const timeout = await chain((next) => globalThis.setTimeout(next, 0));
    // Clamped, the baseline takes ≥ 45 × 4 ms; in Node neither is clamped (setTimeout(0) is 1 ms there).
    expect(soon).toBeLessThan(Math.max(timeout / 2, 40));
  });

  it('still waits for a positive delay', async () => {
    const started = performance.now();
    await new Promise<void>((done) => systemClock.setTimeout(done, 30));
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
}
