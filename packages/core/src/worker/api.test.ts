import { describe, expect, it, vi } from 'vitest';
import type { CalendarSyncOptions } from '../api/types.ts';
import { CalendarSyncEngine } from '../engine/engine.ts';
import { createWorkerApi, type OpenEngine } from './api.ts';

let databases = 0;
const dbName = () => `worker-api-${++databases}`;

/** Opens real engines (fake-indexeddb) and records each call. */
function countingOpen(gate?: Promise<void>): { open: OpenEngine; calls: CalendarSyncOptions[] } {
  const calls: CalendarSyncOptions[] = [];
  return {
    calls,
    async open(options) {
      calls.push(options);
      await gate;
      return CalendarSyncEngine.open(options);
    },
  };
}

describe('the Worker side: init', () => {
  it('a second init with the same options resolves without opening a second engine', async () => {
    const { open, calls } = countingOpen();
    const api = createWorkerApi(open);
    const name = dbName();
    await api.init({ dbName: name, autoSync: false });
    await api.init({ autoSync: false, dbName: name }); // same options, other key order
    expect(calls).toHaveLength(1);
    expect(await api.listAccounts()).toEqual([]);
    await api.close();
  });

  it('two inits arriving before the database is open start one engine', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { open, calls } = countingOpen(gate);
    const api = createWorkerApi(open);
    const options = { dbName: dbName(), autoSync: false as const };
    const both = Promise.all([api.init(options), api.init(options)]);
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    release();
    await both;
    expect(calls).toHaveLength(1);
    expect(await api.listAccounts()).toEqual([]);
    await api.close();
  });

  it('init with other options rejects with invalid-input and the first engine keeps serving', async () => {
    const { open, calls } = countingOpen();
    const api = createWorkerApi(open);
    await api.init({ dbName: dbName(), autoSync: false });
    await expect(api.init({ dbName: dbName(), autoSync: false })).rejects.toMatchObject({
      name: 'CalsyncError',
      code: 'invalid-input',
    });
    expect(calls).toHaveLength(1);
    expect(await api.listAccounts()).toEqual([]);
    await api.close();
  });

  it('a failed open is not kept: the next init opens again', async () => {
    let attempts = 0;
    const api = createWorkerApi(async (options) => {
      attempts += 1;
      if (attempts === 1) throw new Error('disk on fire');
      return CalendarSyncEngine.open(options);
    });
    const options = { dbName: dbName(), autoSync: false as const };
    await expect(api.init(options)).rejects.toThrow('disk on fire');
    await api.init(options);
    expect(attempts).toBe(2);
    expect(await api.listAccounts()).toEqual([]);
    await api.close();
  });

  it('close during init closes the engine being opened, and calls then reject with closed', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened: CalendarSyncEngine | undefined;
    const api = createWorkerApi(async (options) => {
      await gate;
      opened = await CalendarSyncEngine.open(options);
      vi.spyOn(opened, 'close');
      return opened;
    });
    const init = api.init({ dbName: dbName(), autoSync: false });
    const closing = api.close();
    release();
    await Promise.all([init, closing]);
    expect(opened?.close).toHaveBeenCalledTimes(1);
    await expect(Promise.resolve().then(() => api.listAccounts())).rejects.toMatchObject({ code: 'closed' });
  });
});
