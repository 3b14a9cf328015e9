import { createServer, type Server, type Socket } from 'node:net';
import { expect, type Page, test } from '@playwright/test';

/**
 * A Worker that fails never hangs the app: in real Chromium, a worker script that cannot
 * be loaded, throws while loading, or fails after the start makes `createCalendarSync()`
 * and every call reject with a CalsyncError `worker`, fast (from the Worker's events, not
 * from the 15 s start timeout).
 */

const demoUrl = () => {
  const url = process.env.CALSYNC_DEMO_URL;
  if (!url) throw new Error('global setup did not start the demo');
  return url;
};

interface Outcome {
  readonly resolved: boolean;
  readonly isCalsyncError?: boolean;
  readonly code?: string | undefined;
  readonly retryable?: boolean | undefined;
  readonly message?: string;
  readonly ms: number;
}

/** Runs in the page: `window` as the demo sets it up (app.ts). */
interface DemoWindow {
  createCalendarSync(options: object): Promise<{ close(): Promise<void> }>;
  CalsyncError: new (...args: never[]) => Error;
}

async function openDemo(page: Page): Promise<void> {
  // `?debug`: the demo exposes createCalendarSync and CalsyncError only on opt-in
  // (apps/demo/src/debug.ts), once its own SDK is up.
  await page.goto(new URL('/?debug', demoUrl()).href);
  await page.waitForFunction(() => 'createCalendarSync' in window && 'CalsyncError' in window);
}

/**
 * Calls `createCalendarSync(options)` in the page; `script`, when given, becomes a blob:
 * module URL passed as `workerUrl`.
 */
function start(page: Page, options: Record<string, unknown>, script?: string): Promise<Outcome> {
  return page.evaluate(
    async ({ options, script }) => {
      const w = window as unknown as DemoWindow;
      const workerUrl = script
        ? URL.createObjectURL(new Blob([script], { type: 'text/javascript' }))
        : (options.workerUrl as string | undefined);
      const started = performance.now();
      try {
        const sdk = await w.createCalendarSync({ ...options, ...(workerUrl ? { workerUrl } : {}) });
        await sdk.close();
        return { resolved: true, ms: performance.now() - started };
      } catch (error) {
        const e = error as Error & { code?: string; retryable?: boolean };
        return {
          resolved: false,
          isCalsyncError: e instanceof w.CalsyncError,
          code: e.code,
          retryable: e.retryable,
          message: e.message,
          ms: performance.now() - started,
        };
      }
    },
    { options, script },
  );
}

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.info('[page]', m.text());
  });
  await openDemo(page);
});

test('a workerUrl that serves no script (the SPA fallback answers with index.html) rejects at once', async ({
  page,
}) => {
  const outcome = await start(page, { workerUrl: '/does-not-exist.js', dbName: 'worker-failure-1', autoSync: false });
  expect(outcome).toMatchObject({ resolved: false, isCalsyncError: true, code: 'worker', retryable: false });
  expect(outcome.message).toContain('failed to load from /does-not-exist.js');
  expect(outcome.message).toContain('`workerUrl`');
  expect(outcome.ms).toBeLessThan(5_000);
});

test('a workerUrl answered with a 404 rejects at once', async ({ page, context }) => {
  let answered = 0;
  await context.route('**/missing-worker.js', (route) => {
    answered += 1;
    return route.fulfill({ status: 404, contentType: 'text/javascript', body: '' });
  });
  const outcome = await start(page, { workerUrl: '/missing-worker.js', dbName: 'worker-failure-2', autoSync: false });
  expect(answered).toBe(1);
  expect(outcome).toMatchObject({ resolved: false, isCalsyncError: true, code: 'worker' });
  expect(outcome.message).toContain('failed to load from /missing-worker.js');
  expect(outcome.message).toContain('could not be loaded');
  expect(outcome.ms).toBeLessThan(5_000);
});

test('a worker script that throws while loading rejects at once, with the exception', async ({ page }) => {
  const outcome = await start(page, { dbName: 'worker-failure-3', autoSync: false }, 'throw new Error("boom");');
  expect(outcome).toMatchObject({ resolved: false, isCalsyncError: true, code: 'worker' });
  expect(outcome.message).toContain('boom');
  expect(outcome.ms).toBeLessThan(5_000);
});

test('a worker script whose import fails rejects at once', async ({ page }) => {
  const missing = new URL('/does-not-exist/module.js', demoUrl()).href;
  const outcome = await start(
    page,
    { dbName: 'worker-failure-4', autoSync: false },
    `import ${JSON.stringify(missing)};`,
  );
  expect(outcome).toMatchObject({ resolved: false, isCalsyncError: true, code: 'worker' });
  expect(outcome.message).toContain('could not be loaded');
  expect(outcome.ms).toBeLessThan(5_000);
});

test('a worker script that loads but never answers rejects after workerStartTimeoutMs', async ({ page }) => {
  const outcome = await start(
    page,
    { dbName: 'worker-failure-5', autoSync: false, workerStartTimeoutMs: 1_000 },
    '/* not calsync */',
  );
  expect(outcome).toMatchObject({ resolved: false, isCalsyncError: true, code: 'worker', retryable: true });
  expect(outcome.message).toContain('did not answer within 1000 ms');
  expect(outcome.ms).toBeGreaterThanOrEqual(990);
  expect(outcome.ms).toBeLessThan(5_000);
});

test.describe('a Worker that fails after it started', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  test.beforeAll(async () => {
    // Accepts connections and never answers: a call to it stays pending (for 60 s).
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  test.afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  test('rejects the pending call and every later one with code worker', async ({ page }) => {
    const address = silent.address();
    if (!address || typeof address !== 'object') throw new Error('no port');
    // The demo's own Worker (chunk named after worker/entry.ts) tells which script URL the build produced.
    const scriptUrl = page
      .workers()
      .find((w) => /\/entry-[^/]*\.js$/.test(w.url()))
      ?.url();
    expect(scriptUrl).toBeTruthy();

    const created = page.waitForEvent('worker', (w) => w.url() === scriptUrl);
    // Starts an engine through the `worker` factory, then a call that will not be answered.
    await page.evaluate(
      async ({ scriptUrl, serverUrl }) => {
        const w = window as unknown as DemoWindow & Record<string, unknown>;
        const sdk = (await w.createCalendarSync({
          dbName: 'worker-failure-6',
          autoSync: false,
          worker: () => new Worker(scriptUrl, { type: 'module', name: 'calsync-e2e' }),
        })) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        w.e2eSdk = sdk;
        w.e2ePending = (sdk.addAccount?.({ serverUrl, username: 'u', password: 'p' }) ?? Promise.resolve()).then(
          () => ({ resolved: true }),
          (e: Error & { code?: string }) => ({
            resolved: false,
            code: e.code,
            message: e.message,
            at: performance.now(),
          }),
        );
      },
      { scriptUrl: scriptUrl as string, serverUrl: `http://127.0.0.1:${address.port}/` },
    );
    const worker = await created;
    await expect.poll(() => sockets.size).toBeGreaterThan(0); // the call is under way
    const thrownAt = await page.evaluate(() => performance.now());
    // An exception nothing catches in the Worker fires `error` on the page's Worker object.
    await worker.evaluate(() => {
      setTimeout(() => {
        throw new Error('late failure');
      });
    });

    const pending = (await page.evaluate(() => (window as unknown as { e2ePending: Promise<unknown> }).e2ePending)) as {
      resolved: boolean;
      code?: string;
      message?: string;
      at: number;
    };
    expect(pending).toMatchObject({ resolved: false, code: 'worker' });
    expect(pending.message).toContain('The calsync worker stopped');
    expect(pending.message).toContain('late failure');
    expect(pending.at - thrownAt).toBeLessThan(5_000);

    const later = await page.evaluate(async () => {
      const w = window as unknown as DemoWindow & {
        e2eSdk: { status(): Promise<unknown>; close(): Promise<void> };
      };
      const status = await w.e2eSdk.status().then(
        () => undefined,
        (e: Error & { code?: string }) => ({ isCalsyncError: e instanceof w.CalsyncError, code: e.code }),
      );
      await w.e2eSdk.close();
      return status;
    });
    expect(later).toEqual({ isCalsyncError: true, code: 'worker' });
  });
});
