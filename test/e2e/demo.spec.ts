import { expect, test } from '@playwright/test';

const demoUrl = () => {
  const url = process.env.CALSYNC_DEMO_URL;
  if (!url) throw new Error('global setup did not start the demo');
  return url;
};

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
  await page.goto(demoUrl());
  // First visit: add the seeded demo account (the form is prefilled from /config.json).
  await page.getByRole('button', { name: 'Add account' }).click();

  // The seeded weekday standup is in the current week (one occurrence moved, one cancelled).
  const week = page.locator('week-view');
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

  // The agenda lists the coming weeks, recurring events expanded.
  await page.getByRole('button', { name: 'Agenda', exact: true }).click();
  const agendaStandups = page.locator('agenda-view .summary', { hasText: /^Team standup$/ });
  await expect.poll(() => agendaStandups.count()).toBeGreaterThan(10);
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
  await context.setOffline(false);
});
