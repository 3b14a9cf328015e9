import { expect, type Page, test } from '@playwright/test';
import { DEMO_USER } from '../../scripts/seed.ts';
import { DavTestClient } from '../helpers/dav-client.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`global setup did not set ${name}`);
  return value;
};

/** Reads the server directly (not through the SDK or the browser). */
function server(): DavTestClient {
  return new DavTestClient(env('CALSYNC_RADICALE_URL'), DEMO_USER.username, DEMO_USER.password);
}

/** All objects of a calendar on the server, as one text, with CRs removed. */
async function calendarText(path: string): Promise<string> {
  return (await server().objects(path)).map((o) => o.ics.replace(/\r/g, '')).join('\n');
}

/** `YYYY-MM-DDTHH:mm` of this week's day (Monday = 0) at the given hour, for datetime-local inputs. */
function thisWeek(day: number, hour: number): string {
  const now = new Date();
  const monday = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)),
  );
  const d = new Date(monday.getTime() + day * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

/** The VEVENT block of a calendar-query answer that contains `line`. */
function vevent(text: string, line: string): string {
  return (
    text
      .split('BEGIN:VEVENT')
      .find((block) => block.includes(line))
      ?.split('END:VEVENT')[0] ?? ''
  );
}

async function openEvent(page: Page, summary: string, nth = 0) {
  await page
    .locator('calendar-view .event', { has: page.locator('.summary', { hasText: new RegExp(`^${summary}$`) }) })
    .nth(nth)
    .click();
  await expect(page.getByRole('dialog', { name: 'Edit event' })).toBeVisible();
}

test('offline edits show at once, survive a reload offline, reach Radicale when online; a conflict keeps both versions', async ({
  page,
  context,
}) => {
  await page.goto(env('CALSYNC_DEMO_URL'));
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const week = page.locator('calendar-view');
  await expect(week.locator('.summary', { hasText: /^Team lunch$/ })).toHaveCount(1);
  // The first sync stores one calendar after the other: wait for the Work calendar too
  // (the standups) before going offline, or its pull may be cut off (a flake seen once).
  await expect(week.locator('.summary', { hasText: /^Team standup$/ })).toHaveCount(3);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });

  await context.setOffline(true);

  // Create.
  await page.getByRole('button', { name: 'New event', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New event' });
  await dialog.getByLabel('Calendar', { exact: true }).selectOption({ label: 'Work' });
  await dialog.getByLabel('Title', { exact: true }).fill('Offline planning');
  await dialog.getByLabel('Start', { exact: true }).fill(thisWeek(2, 14));
  await dialog.getByLabel('End', { exact: true }).fill(thisWeek(2, 15));
  await dialog.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Create a weekly series.
  await page.getByRole('button', { name: 'New event', exact: true }).click();
  await dialog.getByLabel('Calendar', { exact: true }).selectOption({ label: 'Work' });
  await dialog.getByLabel('Title', { exact: true }).fill('Weekly sync');
  await dialog.getByLabel('Start', { exact: true }).fill(thisWeek(4, 16));
  await dialog.getByLabel('End', { exact: true }).fill(thisWeek(4, 17));
  await dialog.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
  await dialog.getByLabel('Repeat', { exact: true }).selectOption('weekly');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Next week', exact: true }).click();
  await expect(week.locator('.summary', { hasText: /^Weekly sync$/ })).toHaveCount(1);
  await page.getByRole('button', { name: 'Today', exact: true }).click();

  // Edit a single event.
  await openEvent(page, 'Team lunch');
  await page.getByLabel('Title', { exact: true }).fill('Team lunch (Italian)');
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  // Edit one occurrence of a series (Tuesday's standup).
  await openEvent(page, 'Team standup', 1);
  await page.getByLabel('Title', { exact: true }).fill('Standup with guests');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('button', { name: 'This event', exact: true }).click();

  // Delete a single event.
  await openEvent(page, 'Quarterly review');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();

  // Pending is per object: every occurrence of the edited series is marked too.
  const pendingSummaries = () =>
    week
      .locator('.event', { has: page.locator('.pending-badge') })
      .locator('.summary')
      .allTextContents();
  const expectedPending = [
    'Offline planning',
    'Standup with guests',
    'Team lunch (Italian)',
    'Team standup',
    'Team standup (moved)',
    'Weekly sync',
  ];
  await expect(week.locator('.summary', { hasText: /^Quarterly review$/ })).toHaveCount(0);
  await expect.poll(async () => [...new Set(await pendingSummaries())].sort()).toEqual(expectedPending);
  await expect(page.locator('.pending-count')).toHaveText('5 unsynced');

  // Reload while offline: the shell comes from the service worker, the edits from IndexedDB.
  await page.reload();
  await expect(page.getByRole('status')).toContainText('offline');
  await expect(week.locator('.summary', { hasText: /^Offline planning$/ })).toHaveCount(1);
  await expect(week.locator('.summary', { hasText: /^Team lunch \(Italian\)$/ })).toHaveCount(1);
  await expect(week.locator('.summary', { hasText: /^Standup with guests$/ })).toHaveCount(1);
  await expect(week.locator('.summary', { hasText: /^Quarterly review$/ })).toHaveCount(0);
  await expect.poll(async () => [...new Set(await pendingSummaries())].sort()).toEqual(expectedPending);
  await expect(page.locator('.pending-count')).toHaveText('5 unsynced');

  // Back online: the edits reach the server, checked with plain HTTP.
  await context.setOffline(false);
  await expect(page.locator('.pending-count')).toBeHidden({ timeout: 30_000 });
  const work = await calendarText('/demo/work/');
  const personal = await calendarText('/demo/personal/');
  expect(work).toContain('SUMMARY:Offline planning');
  expect(vevent(work, 'SUMMARY:Weekly sync')).toContain('RRULE:FREQ=WEEKLY');
  expect(vevent(work, 'SUMMARY:Standup with guests')).toMatch(/RECURRENCE-ID;TZID=Europe\/Berlin:\d{8}T093000/);
  expect(work).not.toContain('SUMMARY:Quarterly review');
  expect((await server().get('/demo/work/demo-quarterly-review.ics')).status).toBe(404);
  expect(personal).toContain('SUMMARY:Team lunch (Italian)');
  expect(work.match(/SUMMARY:Offline planning/g)).toHaveLength(1);

  // A conflicting edit: this device and another client change the same title while offline.
  await context.setOffline(true);
  await openEvent(page, 'Team lunch \\(Italian\\)');
  await page.getByLabel('Title', { exact: true }).fill('Lunch (mine)');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const lunch = await server().get('/demo/personal/demo-team-lunch.ics');
  await server().put(
    '/demo/personal/demo-team-lunch.ics',
    lunch.body.replace('SUMMARY:Team lunch (Italian)', 'SUMMARY:Lunch (theirs)'),
  );
  await context.setOffline(false);

  await expect(page.getByText(/1 conflict needs your decision/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const conflicts = page.locator('conflicts-panel');
  await expect(conflicts).toContainText('Lunch (mine)');
  await expect(conflicts).toContainText('Lunch (theirs)');
  // Nothing lost: the server keeps theirs until we decide; ours is kept in the conflict.
  expect((await server().get('/demo/personal/demo-team-lunch.ics')).body).toContain('SUMMARY:Lunch (theirs)');
  await page.getByRole('button', { name: 'Keep mine', exact: true }).click();
  await expect
    .poll(async () => (await server().get('/demo/personal/demo-team-lunch.ics')).body, { timeout: 30_000 })
    .toContain('SUMMARY:Lunch (mine)');
  await expect(page.getByText(/conflicts? needs? your decision/)).toBeHidden();
});
