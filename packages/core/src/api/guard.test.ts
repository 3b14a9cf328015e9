import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createCalendarSync } from '../index.ts';
import { CalsyncError } from './errors.ts';
import { guardCalendarSync } from './guard.ts';
import type { CalendarSync } from './types.ts';

describe('the public face of an in-thread engine', () => {
  it('after close(), every method returns a promise that rejects with closed (none throws)', async () => {
    const sdk = await createCalendarSync({ worker: false, indexedDB: new IDBFactory(), autoSync: false });
    await sdk.close();
    const calls: Array<() => Promise<unknown>> = [
      () => sdk.sync(),
      () => sdk.listEvents({ start: '2026-12-01', end: '2026-12-02' }),
      () => sdk.addAccount({ serverUrl: 'http://127.0.0.1:1/', username: 'u', password: 'p' }),
      () => sdk.status(),
      () => sdk.listPending(),
      () => sdk.subscribe(() => undefined),
    ];
    for (const call of calls) {
      let result: Promise<unknown> | undefined;
      expect(() => {
        result = call();
      }).not.toThrow();
      await expect(result).rejects.toMatchObject({ name: 'CalsyncError', code: 'closed' });
    }
  });

  it('turns anything else that escapes into a CalsyncError with code internal', async () => {
    const broken = {
      sync: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
      listEvents: async () => {
        throw new TypeError('x is undefined');
      },
      status: async () => {
        throw new CalsyncError('network', 'offline');
      },
    } as unknown as CalendarSync;
    const guarded = guardCalendarSync(broken);
    await expect(guarded.sync()).rejects.toMatchObject({ name: 'CalsyncError', code: 'internal' });
    await expect(guarded.listEvents({ start: '2026-12-01', end: '2026-12-02' })).rejects.toBeInstanceOf(CalsyncError);
    await expect(guarded.status()).rejects.toMatchObject({ code: 'network' });
  });
});
