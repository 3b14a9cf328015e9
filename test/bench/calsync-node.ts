/**
 * calsync in Node, for reference: the engine in this thread (`worker: false`) over
 * fake-indexeddb (a fresh `IDBFactory` per repetition, so nothing is shared between runs),
 * `autoSync: false` so that only the bench starts rounds. fake-indexeddb keeps everything in
 * the JS heap and is slower than a real IndexedDB; the Chromium figures are the ones the
 * targets are about.
 */
import 'fake-indexeddb/auto';
import { createCalendarSync } from '@calsync/core';
import { IDBFactory } from 'fake-indexeddb';
import type { BenchCalendar } from './dav.ts';
import { type MemoryPeak, withMemoryPeak } from './memory.ts';
import { type CalsyncSession, calsyncSession, type FirstSyncTiming } from './session.ts';

/** The Node session: the first sync also reports the process's peak memory. */
export interface CalsyncNodeSession extends Omit<CalsyncSession, 'first'> {
  first(...args: Parameters<CalsyncSession['first']>): Promise<FirstSyncTiming & { memory: MemoryPeak }>;
  close(): Promise<void>;
}

/** Starts an in-thread engine on a fresh fake IndexedDB and adds the calendar's account (not timed). */
export async function openCalsyncNode(calendar: BenchCalendar): Promise<CalsyncNodeSession> {
  const sdk = await createCalendarSync({ worker: false, indexedDB: new IDBFactory(), autoSync: false });
  await sdk.addAccount({ serverUrl: calendar.serverUrl, username: calendar.username, password: calendar.password });
  const session = calsyncSession(sdk);
  return {
    ...session,
    async first(month) {
      const { value, memory } = await withMemoryPeak(() => session.first(month));
      return { ...value, memory };
    },
    close: () => sdk.close(),
  };
}
