import { expect, test } from '@playwright/test';
import { buildIcs } from '../helpers/ics-builder.ts';

// The server boundary in real Chromium, with the engine in its Worker: an object another
// client stored with a control character (Radicale hands it back raw inside its XML) is
// flagged invalid while the rest syncs, the warning reaches the page's logger across the
// Worker, and methods after close() reject with the CalsyncError class. Uses the demo
// Radicale's second user, so the demo account's data is untouched.

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`global setup did not set ${name}`);
  return value;
};

test('an unparseable object is flagged, the rest syncs, and the warning reaches the logger through the Worker', async ({
  page,
}) => {
  const radicale = env('CALSYNC_RADICALE_URL');
  const auth = { Authorization: `Basic ${Buffer.from('other:other-password').toString('base64')}` };
  const calendar = new URL('/other/boundary/', radicale).toString();
  const made = await fetch(calendar, { method: 'MKCALENDAR', headers: auth });
  expect([201, 405]).toContain(made.status); // 405: left by an earlier run on a kept folder
  const put = async (name: string, summary: string) => {
    const response = await fetch(new URL(`${name}.ics`, calendar), {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'text/calendar' },
      body: buildIcs({ uid: name, summary, start: '20261209T090000Z', end: '20261209T100000Z' }),
    });
    expect([201, 204]).toContain(response.status);
  };
  for (const n of [1, 2, 3]) await put(`fine-${n}`, `Fine ${n}`);
  await put('pasted', 'pasted\u000bfrom\u0001a PDF');

  // `?debug`: the demo exposes createCalendarSync only on opt-in (apps/demo/src/debug.ts).
  await page.goto(new URL('/?debug', env('CALSYNC_DEMO_URL')).href);
  await page.waitForFunction(() => 'createCalendarSync' in window);
  const result = await page.evaluate(
    async ({ serverUrl, proxyUrl }) => {
      type Sdk = {
        addAccount(input: object): Promise<unknown>;
        sync(): Promise<unknown>;
        listEvents(query: object): Promise<Array<{ summary: string }>>;
        listCalendars(): Promise<Array<{ id: string }>>;
        getEvent(id: string): Promise<{ invalid: boolean } | undefined>;
        runsInWorker(): Promise<boolean>;
        close(): Promise<void>;
      };
      const w = window as unknown as {
        createCalendarSync(options: object): Promise<Sdk>;
        CalsyncError: new (...args: never[]) => Error;
      };
      const warnings: Array<{ message: string; code: unknown; href: unknown }> = [];
      let warned: () => void = () => undefined;
      const firstWarning = new Promise<void>((resolve) => {
        warned = resolve;
      });
      const sdk = await w.createCalendarSync({
        dbName: `boundary-${Date.now()}`,
        proxyUrl,
        autoSync: false,
        logger: {
          warn: (message: string, details?: Record<string, unknown>) => {
            warnings.push({ message, code: details?.code, href: details?.href });
            warned();
          },
        },
      });
      await sdk.addAccount({ serverUrl, username: 'other', password: 'other-password' });
      await sdk.sync();
      const events = await sdk.listEvents({ start: '2026-12-09T00:00:00Z', end: '2026-12-10T00:00:00Z' });
      const [cal] = await sdk.listCalendars();
      const bad = await sdk.getEvent(`${cal?.id}|${serverUrl}other/boundary/pasted.ics`);
      const inWorker = await sdk.runsInWorker();
      // The logger's calls cross from the Worker asynchronously.
      await firstWarning;
      await sdk.close();
      let closed: { isCalsyncError: boolean; code: unknown } | undefined;
      try {
        await sdk.sync();
      } catch (error) {
        closed = { isCalsyncError: error instanceof w.CalsyncError, code: (error as { code?: unknown }).code };
      }
      return { summaries: events.map((e) => e.summary).sort(), invalid: bad?.invalid, inWorker, warnings, closed };
    },
    { serverUrl: radicale, proxyUrl: env('CALSYNC_PROXY_URL') },
  );
  expect(result.inWorker).toBe(true);
  expect(result.summaries).toEqual(['Fine 1', 'Fine 2', 'Fine 3']);
  expect(result.invalid).toBe(true);
  expect(result.warnings.map((w) => [w.code, w.href])).toEqual([
    ['object-unreadable', `${radicale}other/boundary/pasted.ics`],
  ]);
  expect(result.closed).toEqual({ isCalsyncError: true, code: 'closed' });
  // The crash spec syncs this user's whole calendar home (specs run in any order).
  expect((await fetch(calendar, { method: 'DELETE', headers: auth })).status).toBeLessThan(300);
});
