import { describe, expect, it } from 'vitest';
import { realmLock } from './lock.ts';
import { safeLog } from './logger.ts';
import { ManualClock, TabHub } from './test-platform.ts';

describe('realmLock', () => {
  it('runs work under one name one at a time, in call order, also after a failure', async () => {
    const lock = realmLock();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = lock.run('x', async () => {
      log.push('a start');
      await gate;
      log.push('a end');
      throw new Error('a failed');
    });
    const b = lock.run('x', async () => {
      log.push('b');
      return 2;
    });
    const other = lock.run('y', async () => {
      log.push('y');
    });
    await other;
    expect(log).toEqual(['a start', 'y']);
    release();
    await expect(a).rejects.toThrow('a failed');
    await expect(b).resolves.toBe(2);
    expect(log).toEqual(['a start', 'y', 'a end', 'b']);
  });
});

describe('safeLog', () => {
  it('is silent without a logger and never throws for a throwing or rejecting one', () => {
    expect(() => safeLog(undefined).error('x')).not.toThrow();
    const log = safeLog({
      warn: () => {
        throw new Error('down');
      },
      error: () => Promise.reject(new Error('async down')) as never,
    });
    expect(() => log.warn('w')).not.toThrow();
    expect(() => log.error('e')).not.toThrow();
  });

  it('drops undefined details and passes the rest', () => {
    const seen: unknown[] = [];
    safeLog({ debug: (message, details) => seen.push(message, details) }).debug('m', { a: 1, b: undefined, c: 'x' });
    expect(seen).toEqual(['m', { a: 1, c: 'x' }]);
  });
});

describe('test doubles', () => {
  it('ManualClock fires due timers in order, including ones set while advancing', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 20);
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push(-1), 12);
    clock.clearTimeout(cancelled);
    await clock.advance(30);
    expect(fired).toEqual([10, 15, 20]);
    expect(clock.now()).toBe(30);
  });

  it('TabHub delivers a post to the other channels of the database only', () => {
    const hub = new TabHub();
    const heard: string[] = [];
    const a = hub.open('db', (m) => heard.push(`a:${m.accountId}`));
    hub.open('db', (m) => heard.push(`b:${m.accountId}`));
    hub.open('other', (m) => heard.push(`c:${m.accountId}`));
    a.post({ type: 'changed', accountId: 'x', calendarIds: [] });
    expect(heard).toEqual(['b:x']);
    a.close();
  });
});
