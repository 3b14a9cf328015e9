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
  page.on('request', (request) => {
    if (request.url().startsWith(process.env.CALSYNC_PROXY_URL ?? '-')) proxied.push(request.method());
  });
  // The engine's requests come from the Worker; context-level events see them too.
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
  await expect(page.locator('aside')).toContainText('Work');
  await expect(page.locator('aside')).toContainText('Holidays');
  expect(proxied).toContain('REPORT');

  // The engine really runs in a dedicated Worker.
  const inWorker = await page.evaluate(() =>
    (window as unknown as { calsync: { runsInWorker(): Promise<boolean> } }).calsync.runsInWorker(),
  );
  expect(inWorker).toBe(true);
  expect(page.workers().length).toBeGreaterThan(0);

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
