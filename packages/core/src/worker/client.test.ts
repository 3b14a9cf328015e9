import { expose } from 'comlink';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import type { CalendarSyncOptions } from '../api/types.ts';
import { createCalendarSync } from '../index.ts';
import { createWorkerApi } from './api.ts';
import type { WorkerCalendarSync } from './client.ts';

/**
 * A Worker stand-in for Node (which has none): the page talks to it through a real
 * MessageChannel, the "worker" end optionally exposes an api with Comlink, and the test
 * fires `error`/`messageerror` on it as a browser would.
 */
class FakeWorker extends EventTarget {
  terminated = false;
  readonly #page: MessagePort;
  readonly #inside: MessagePort;

  constructor(api?: object) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.#page = port1;
    this.#inside = port2;
    port1.addEventListener('message', (event) => this.dispatchEvent(new MessageEvent('message', { data: event.data })));
    port1.start();
    if (api) expose(api, port2);
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.#page.postMessage(message, transfer);
  }

  terminate(): void {
    this.terminated = true;
    this.#page.close();
    this.#inside.close();
  }

  /** Fires `error` as Chromium does: a bare Event for a failed load, with `message` for a throw. */
  fail(message?: string): void {
    this.dispatchEvent(message === undefined ? new Event('error') : Object.assign(new Event('error'), { message }));
  }
}

const workers: FakeWorker[] = [];
afterEach(() => {
  vi.unstubAllGlobals();
  for (const worker of workers.splice(0)) worker.terminate();
});

/** A `worker` factory option handing out one FakeWorker; `then` runs right after creation. */
function factory(api?: object, then?: (worker: FakeWorker) => void): { worker: () => Worker; created: FakeWorker[] } {
  const created: FakeWorker[] = [];
  return {
    created,
    worker: () => {
      const worker = new FakeWorker(api);
      workers.push(worker);
      created.push(worker);
      // A browser dispatches load errors as a later task, after the listeners are attached.
      if (then) queueMicrotask(() => then(worker));
      return worker as unknown as Worker;
    },
  };
}

/** An api whose `init` and calls never answer unless given. */
const stubApi = (overrides: object = {}) => ({
  init: () => new Promise(() => undefined),
  isWorker: () => false,
  ...overrides,
});

async function failure(start: Promise<unknown>): Promise<CalsyncError> {
  const error = await start.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CalsyncError);
  return error as CalsyncError;
}

// A long start bound: these failures must come from the events, not from the timeout.
const slow: CalendarSyncOptions = { workerStartTimeoutMs: 60_000, autoSync: false };

describe('starting the engine Worker', () => {
  it('an error event before init rejects with code worker, says how to fix it, and terminates the Worker', async () => {
    const { worker, created } = factory(undefined, (w) => w.fail());
    const error = await failure(createCalendarSync({ ...slow, worker }));
    expect(error.code).toBe('worker');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('failed to load');
    expect(error.message).toContain('could not be loaded');
    expect(error.message).toContain('`worker` factory');
    expect(created[0]?.terminated).toBe(true);
  });

  it('the message of a Worker that threw while loading is in the error', async () => {
    const { worker, created } = factory(undefined, (w) => w.fail('Uncaught SyntaxError: Unexpected token <'));
    const error = await failure(createCalendarSync({ ...slow, worker }));
    expect(error.code).toBe('worker');
    expect(error.message).toContain('it threw: Uncaught SyntaxError: Unexpected token <');
    expect(created[0]?.terminated).toBe(true);
  });

  it('a failing workerUrl is named without credentials or query, with the bundler hint', async () => {
    const urls: unknown[] = [];
    vi.stubGlobal(
      'Worker',
      class extends FakeWorker {
        constructor(url: string | URL) {
          super();
          urls.push(url);
          workers.push(this);
          queueMicrotask(() => this.fail());
        }
      },
    );
    const withUrl = await failure(
      createCalendarSync({ ...slow, workerUrl: 'https://user:secret@cdn.example/calsync/worker.js?token=abc' }),
    );
    expect(urls[0]).toBe('https://user:secret@cdn.example/calsync/worker.js?token=abc');
    expect(withUrl.code).toBe('worker');
    expect(withUrl.message).toContain('failed to load from https://cdn.example/calsync/worker.js:');
    expect(withUrl.message).not.toMatch(/secret|token|user/);
    expect(withUrl.message).toContain('`workerUrl`');

    // Without workerUrl: the bundled default, and the advice for bundlers that miss it.
    const bundled = await failure(createCalendarSync({ ...slow }));
    expect(String(urls[1])).toMatch(/\/worker\/entry\.ts$/);
    expect(bundled.code).toBe('worker');
    expect(bundled.message).toContain("new Worker(new URL('./entry.ts', import.meta.url))");
    expect(bundled.message).toContain('pass its URL as `workerUrl`');
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('a messageerror before init rejects with code worker and terminates the Worker', async () => {
    const { worker, created } = factory(stubApi(), (w) => w.dispatchEvent(new Event('messageerror')));
    const error = await failure(createCalendarSync({ ...slow, worker }));
    expect(error.code).toBe('worker');
    expect(error.message).toContain('messageerror');
    expect(created[0]?.terminated).toBe(true);
  });

  it('a Worker that never answers rejects after workerStartTimeoutMs (retryable)', async () => {
    const { worker, created } = factory();
    const started = Date.now();
    const error = await failure(createCalendarSync({ autoSync: false, workerStartTimeoutMs: 30, worker }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('worker');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('did not answer within 30 ms');
    expect(error.message).toContain('`workerStartTimeoutMs`');
    expect(created[0]?.terminated).toBe(true);
  });

  it('a Worker that answers but whose init does not finish is reported as a slow database open', async () => {
    const { worker, created } = factory(stubApi());
    const error = await failure(createCalendarSync({ autoSync: false, workerStartTimeoutMs: 30, worker }));
    expect(error.code).toBe('worker');
    expect(error.message).toContain('did not open its database within 30 ms');
    expect(created[0]?.terminated).toBe(true);
  });

  it('an error init rejects with keeps its code, and the Worker is terminated', async () => {
    const quota = () => Promise.reject(new CalsyncError('quota', 'full'));
    const { worker, created } = factory(stubApi({ init: quota }));
    const error = await failure(createCalendarSync({ ...slow, worker }));
    expect(error).toMatchObject({ code: 'quota', message: 'full' });
    expect(created[0]?.terminated).toBe(true);
  });

  it('invalid options reject with invalid-input before any Worker is created', async () => {
    const { worker, created } = factory(stubApi());
    for (const workerStartTimeoutMs of [0, -1, Number.NaN]) {
      const error = await failure(createCalendarSync({ worker, workerStartTimeoutMs }));
      expect(error.code).toBe('invalid-input');
    }
    expect((await failure(createCalendarSync({ worker, workerUrl: '/w.js' }))).code).toBe('invalid-input');
    expect((await failure(createCalendarSync({ worker, indexedDB: new IDBFactory() }))).code).toBe('invalid-input');
    expect(created).toHaveLength(0);
  });

  it('a factory that throws rejects with code worker and its message', async () => {
    const worker = () => {
      throw new Error('no workers in this CSP');
    };
    const error = await failure(createCalendarSync({ ...slow, worker }));
    expect(error.code).toBe('worker');
    expect(error.message).toContain('no workers in this CSP');
  });

  it('starts with a working Worker: calls are forwarded, errors keep their code, close terminates it', async () => {
    const { worker, created } = factory(createWorkerApi());
    const sdk = (await createCalendarSync({ ...slow, dbName: 'worker-client-ok', worker })) as WorkerCalendarSync;
    expect(await sdk.listAccounts()).toEqual([]);
    expect(await sdk.runsInWorker()).toBe(false);
    await expect(sdk.removeAccount('nope')).rejects.toMatchObject({ name: 'CalsyncError', code: 'not-found' });
    await sdk.close();
    expect(created[0]?.terminated).toBe(true);
    await expect(sdk.listAccounts()).rejects.toMatchObject({ code: 'closed' });
  });

  it('watchEvents and watchStatus cross the boundary: first result at once, errors keep their code', async () => {
    const { worker } = factory(createWorkerApi());
    const sdk = await createCalendarSync({ ...slow, dbName: 'worker-client-watch', worker });
    const results: unknown[] = [];
    const stopEvents = await sdk.watchEvents({ start: '2026-12-01', end: '2027-01-01' }, (occurrences, change) =>
      results.push({ occurrences, change }),
    );
    expect(results).toEqual([{ occurrences: [], change: { added: [], removed: [], updated: [] } }]);
    const statuses: unknown[] = [];
    const stopStatus = await sdk.watchStatus((status) => statuses.push(status));
    expect(statuses).toEqual([{ online: true, syncing: false, pendingCount: 0 }]);
    await expect(sdk.watchEvents({ start: '2027-01-01', end: '2026-12-01' }, () => undefined)).rejects.toMatchObject({
      name: 'CalsyncError',
      code: 'invalid-input',
    });
    stopEvents();
    stopStatus();
    await sdk.close();
  });
});

const hanging = () => new Promise(() => undefined);

describe('a Worker that fails after it started', () => {
  for (const [event, expected] of [
    ['error', 'it threw: Uncaught TypeError: late'],
    ['messageerror', 'messageerror'],
  ] as const) {
    it(`rejects pending and later calls with code worker on ${event}, and terminates the Worker`, async () => {
      const { worker, created } = factory(stubApi({ init: async () => undefined, listAccounts: hanging }));
      const sdk = await createCalendarSync({ ...slow, worker });
      const fake = created[0] as FakeWorker;
      const pending = sdk.listAccounts();
      if (event === 'error') fake.fail('Uncaught TypeError: late');
      else fake.dispatchEvent(new Event('messageerror'));
      const error = await failure(pending);
      expect(error.code).toBe('worker');
      expect(error.message).toContain('The calsync worker stopped');
      expect(error.message).toContain(expected);
      expect(fake.terminated).toBe(true);
      expect((await failure(sdk.status())).code).toBe('worker');
      expect((await failure(sdk.subscribe(() => undefined))).code).toBe('worker');
      await sdk.close(); // resolves: nothing is left to close
      expect((await failure(sdk.status())).code).toBe('closed');
    });
  }
});

describe('closing a Worker engine', () => {
  it('a call still under way when close() releases the Worker rejects with closed instead of hanging', async () => {
    const { worker, created } = factory(
      stubApi({ init: async () => undefined, listAccounts: hanging, close: async () => undefined }),
    );
    const sdk = await createCalendarSync({ ...slow, worker });
    const pending = sdk.listAccounts();
    await sdk.close();
    expect(created[0]?.terminated).toBe(true);
    expect((await failure(pending)).code).toBe('closed');
  });
});
