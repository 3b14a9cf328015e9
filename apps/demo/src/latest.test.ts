import { describe, expect, it } from 'vitest';
import { createLatest } from './latest.ts';

/** A promise settled from the test, so completion order is chosen, not timed. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createLatest', () => {
  it('drops an older load that resolves after a newer one', async () => {
    const latest = createLatest();
    const shown: string[] = [];
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = latest(
      () => slow.promise,
      (v) => shown.push(v),
    );
    const second = latest(
      () => fast.promise,
      (v) => shown.push(v),
    );
    fast.resolve('new');
    await expect(second).resolves.toBe(true);
    slow.resolve('old');
    await expect(first).resolves.toBe(false);
    expect(shown).toEqual(['new']);
  });

  it('drops an older load that resolves first once a newer one has started', async () => {
    const latest = createLatest();
    const shown: string[] = [];
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = latest(
      () => older.promise,
      (v) => shown.push(v),
    );
    const second = latest(
      () => newer.promise,
      (v) => shown.push(v),
    );
    older.resolve('old');
    await expect(first).resolves.toBe(false);
    expect(shown).toEqual([]);
    newer.resolve('new');
    await second;
    expect(shown).toEqual(['new']);
  });

  it('applies every load that finishes before the next starts', async () => {
    const latest = createLatest();
    const shown: number[] = [];
    await latest(
      async () => 1,
      (v) => shown.push(v),
    );
    await latest(
      async () => 2,
      (v) => shown.push(v),
    );
    expect(shown).toEqual([1, 2]);
  });

  it("swallows a stale load's failure and rethrows the newest one's", async () => {
    const latest = createLatest();
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = latest(
      () => older.promise,
      () => undefined,
    );
    const second = latest(
      () => newer.promise,
      () => undefined,
    );
    older.reject(new Error('stale'));
    newer.reject(new Error('current'));
    await expect(first).resolves.toBe(false);
    await expect(second).rejects.toThrow('current');
  });

  it('keeps separate sequences per instance', async () => {
    const a = createLatest();
    const b = createLatest();
    const shown: string[] = [];
    const slow = deferred<string>();
    const pending = a(
      () => slow.promise,
      (v) => shown.push(v),
    );
    await b(
      async () => 'b',
      (v) => shown.push(v),
    );
    slow.resolve('a');
    await pending;
    expect(shown).toEqual(['b', 'a']);
  });
});
