import { expect, test } from '@playwright/test';

const demoUrl = () => {
  const url = process.env.CALSYNC_DEMO_URL;
  if (!url) throw new Error('global setup did not start the demo');
  return url;
};

/** The demo with its console handles (`window.calsync`, …), which it exposes only on opt-in. */
const debugUrl = () => new URL('/?debug', demoUrl()).href;

test('without ?debug the demo puts no SDK handle on window', async ({ page }) => {
  await page.goto(demoUrl());
  // Enabled once the app's SDK is up, which is when it would have set the handles.
  await expect(page.getByRole('button', { name: 'Add account' })).toBeEnabled();
  const exposed = await page.evaluate(() =>
    ['calsync', 'CalsyncError', 'createCalendarSync'].filter((k) => k in window),
  );
  expect(exposed).toEqual([]);
});

test('the demo syncs through the proxy, runs the engine in a Worker, and works offline after a reload', async ({
  page,
  context,
}) => {
  const proxied: string[] = [];
  // The engine's requests come from its Worker; context-level events see them.
  context.on('request', (request) => {
    if (request.url().startsWith(process.env.CALSYNC_PROXY_URL ?? '-')) proxied.push(request.method());
  });

  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[page]', m.text());
  });
  await page.goto(debugUrl());
  // First visit: add the seeded demo account (the form is prefilled from /config.json).
  await page.getByRole('button', { name: 'Add account' }).click();

  // The seeded weekday standup is in the current week (one occurrence moved, one cancelled).
  const week = page.locator('calendar-view');
  await expect(week.locator('.summary', { hasText: 'Team standup (moved)' })).toHaveCount(1);
  await expect(week.locator('.summary', { hasText: /^Team standup$/ })).toHaveCount(3);
  // The weekly 1:1's instance of this week is cancelled by a STATUS:CANCELLED override.
  await expect(week.locator('.summary', { hasText: '1:1 with Jordan' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Next week' }).click();
  await expect(week.locator('.summary', { hasText: '1:1 with Jordan' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Today', exact: true }).click();
  await expect(week.locator('.summary', { hasText: 'Team standup (moved)' })).toHaveCount(1);
  await expect(page.locator('aside')).toContainText('Work');
  await expect(page.locator('aside')).toContainText('Holidays');
  expect(proxied).toContain('REPORT');

  // The password (prefilled from /config.json, then handed to the SDK, which keeps it
  // encrypted) is stored nowhere else: no storage key or stored field is a password.
  const stored = await page.evaluate(() => {
    const items: Record<string, string> = {};
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i) ?? '';
        items[key] = storage.getItem(key) ?? '';
      }
    }
    return items;
  });
  const storedKeys = (value: unknown): string[] =>
    value && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, inner]) => [key, ...storedKeys(inner)])
      : [];
  for (const [key, value] of Object.entries(stored)) {
    expect(key).not.toMatch(/pass|secret/i);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    expect(storedKeys(parsed).filter((k) => /pass|secret/i.test(k))).toEqual([]);
  }
  // The remembered login config is there (so the check above looked at it), minus the password.
  const login = JSON.parse(stored['calsync-demo-config'] ?? 'null');
  expect(login).toMatchObject({ username: 'demo', serverUrl: process.env.CALSYNC_RADICALE_URL });
  expect(login).not.toHaveProperty('password');
  // IndexedDB holds only the SDK's database (and Workbox's, should it make one).
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  expect(databases.filter((name) => name !== 'calsync' && !name.startsWith('workbox'))).toEqual([]);

  // The engine really runs in a dedicated Worker.
  const inWorker = await page.evaluate(() =>
    (window as unknown as { calsync: { runsInWorker(): Promise<boolean> } }).calsync.runsInWorker(),
  );
  expect(inWorker).toBe(true);
  expect(page.workers().length).toBeGreaterThan(0);

  // Errors keep their class and code across the Worker boundary.
  const failure = await page.evaluate(async (serverUrl) => {
    const w = window as unknown as {
      calsync: { addAccount(input: object): Promise<unknown> };
      CalsyncError: new (...args: never[]) => Error;
    };
    try {
      await w.calsync.addAccount({ serverUrl, username: 'demo', password: 'wrong-password' });
      return undefined;
    } catch (error) {
      const e = error as Error & { code?: string };
      return { isCalsyncError: e instanceof w.CalsyncError, name: e.name, code: e.code, message: e.message };
    }
  }, process.env.CALSYNC_RADICALE_URL);
  expect(failure).toMatchObject({ isCalsyncError: true, name: 'CalsyncError', code: 'auth' });
  expect(failure?.message).not.toContain('wrong-password');

  // The month grid and the agenda (list) show the series expanded, live from the same source.
  await page.getByRole('button', { name: 'Month', exact: true }).click();
  const standups = week.locator('.summary', { hasText: /^Team standup$/ });
  await expect.poll(() => standups.count()).toBeGreaterThan(10);
  await page.getByRole('button', { name: 'Agenda', exact: true }).click();
  await expect(week.locator('.fc-list')).toBeVisible();
  await expect.poll(() => standups.count()).toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Day', exact: true }).click();
  await expect(week.locator('.fc-timeGridDay-view')).toBeVisible();
  await page.getByRole('button', { name: 'Week', exact: true }).click();

  // Wait for the service worker to control the page, so the shell is precached.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const beforeOffline = await week.locator('.event').count();
  expect(beforeOffline).toBeGreaterThan(5);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status')).toContainText('offline');
  await expect(week.locator('.summary', { hasText: 'Team standup (moved)' })).toHaveCount(1);
  await expect(week.locator('.event')).toHaveCount(beforeOffline);
  // The service worker's navigation fallback served `/?debug` offline, query kept.
  expect(new URL(page.url()).search).toBe('?debug');
  expect(await page.evaluate(() => 'calsync' in window)).toBe(true);
  await context.setOffline(false);
});
