import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { DEMO_USER } from '../../scripts/seed.ts';
import { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';

// The demo's calendar UI (FullCalendar through @calsync/fullcalendar) as a user meets it:
// seeded zoned events at the right wall time in two zones, a drag made offline that
// survives a reload and reaches Radicale, an edit in a second tab appearing live, and
// search by a word of a description while offline.

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`global setup did not set ${name}`);
  return value;
};
const debugUrl = () => new URL('/?debug', env('CALSYNC_DEMO_URL')).href;
const dav = () => new DavTestClient(env('CALSYNC_RADICALE_URL'), DEMO_USER.username, DEMO_USER.password);

/** Monday of this week (UTC date) plus `days`, as `YYYY-MM-DD`. */
function weekDay(days: number): string {
  const now = new Date();
  const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
  return new Date(monday + days * 86_400_000).toISOString().slice(0, 10);
}

/** The instant of wall time `date`T`time` in `zone` (two passes settle the zone offset). */
function instantIn(date: string, time: string, zone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let instant = wall;
  for (let i = 0; i < 2; i++) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
        .formatToParts(new Date(instant))
        .map((p) => [p.type, p.value]),
    );
    const shown = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`);
    instant += wall - shown;
  }
  return new Date(instant);
}

/** Date and `HH:mm` of an instant as shown in `zone`. */
function shownIn(instant: Date, zone: string): { date: string; time: string } {
  const f = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', ...o }).format(instant);
  return {
    date: f({ year: 'numeric', month: '2-digit', day: '2-digit' }),
    time: f({ hour: '2-digit', minute: '2-digit' }),
  };
}

/** A timed event of the calendar view with this exact title. */
const eventNamed = (page: Page, summary: string) =>
  page.locator('calendar-view .fc-timegrid-event', {
    has: page.locator('.summary', { hasText: new RegExp(`^${summary.replace(/[()]/g, '\\$&')}$`) }),
  });

/** Opens the demo in `context`, adds the seeded account and waits for the Work calendar. */
async function openDemo(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(debugUrl());
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  await expect(eventNamed(page, 'Team standup (moved)')).toHaveCount(1);
  return page;
}

for (const zone of ['Europe/Berlin', 'America/New_York']) {
  test(`the week grid shows zoned series and overrides at their wall time in ${zone}`, async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: zone });
    try {
      const page = await openDemo(context);
      const cases = [
        // The Berlin standup's moved Wednesday instance (an override), and Tuesday's single review.
        { summary: 'Team standup (moved)', date: weekDay(2), time: '11:00', from: 'Europe/Berlin' },
        { summary: 'Quarterly review', date: weekDay(1), time: '14:00', from: 'Europe/Berlin' },
      ];
      for (const c of cases) {
        const expected = shownIn(instantIn(c.date, c.time, c.from), zone);
        const event = eventNamed(page, c.summary);
        await expect(event.locator('.time')).toHaveText(new RegExp(`^${expected.time}`));
        // In the day column of the date it has in this zone.
        const column = page.locator(`calendar-view td.fc-timegrid-col[data-date="${expected.date}"]`);
        await expect(column.locator('.summary', { hasText: c.summary })).not.toHaveCount(0);
      }
      // The New York 1:1 of next week, written in America/New_York at 11:00.
      await page.getByRole('button', { name: 'Next week', exact: true }).click();
      const oneOnOne = shownIn(instantIn(weekDay(10), '11:00', 'America/New_York'), zone);
      await expect(eventNamed(page, '1:1 with Jordan (New York)').locator('.time')).toHaveText(
        new RegExp(`^${oneOnOne.time}`),
      );
    } finally {
      await context.close();
    }
  });
}

test('an event dragged offline stays moved and pending after a reload, then reaches Radicale', async ({ browser }) => {
  const path = '/demo/work/';
  const uid = `drag-${Date.now()}`;
  await dav().put(
    `${path}${uid}.ics`,
    buildIcs({
      uid,
      summary: 'Drag me',
      start: `${weekDay(1).replaceAll('-', '')}T080000Z`,
      end: `${weekDay(1).replaceAll('-', '')}T090000Z`,
    }),
  );
  const context = await browser.newContext({ timezoneId: 'UTC' });
  try {
    const page = await openDemo(context);
    const event = eventNamed(page, 'Drag me');
    await expect(event.locator('.time')).toHaveText(/^08:00/);
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await context.setOffline(true);

    // One hour down: two 30-minute slots.
    const slot = await page.locator('calendar-view .fc-timegrid-slot-lane').first().boundingBox();
    const box = await event.boundingBox();
    if (!slot || !box) throw new Error('the grid is not laid out');
    await page.mouse.move(box.x + box.width / 2, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + 5 + slot.height, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2, box.y + 5 + 2 * slot.height, { steps: 5 });
    await page.mouse.up();
    // While FullCalendar's drag mirror fades out the event shows twice: wait for one.
    await expect(event).toHaveCount(1);
    await expect(event.locator('.time')).toHaveText(/^09:00/);
    await expect(event.locator('.pending-badge')).toHaveCount(1);

    await page.reload();
    await expect(eventNamed(page, 'Drag me').locator('.time')).toHaveText(/^09:00/);
    await expect(eventNamed(page, 'Drag me').locator('.pending-badge')).toHaveCount(1);
    await expect(page.locator('calsync-app .progress')).toContainText('Offline');

    await context.setOffline(false);
    await page.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect(eventNamed(page, 'Drag me').locator('.pending-badge')).toHaveCount(0);
    const stored = (await dav().objects(path)).find((o) => o.ics.includes(`UID:${uid}`))?.ics ?? '';
    expect(stored.replace(/\r/g, '')).toMatch(new RegExp(`DTSTART[^:\\n]*:${weekDay(1).replaceAll('-', '')}T090000Z`));
  } finally {
    await context.close();
  }
});

test('an edit in a second tab appears in the first without a reload; search works offline', async ({ browser }) => {
  // An event of its own: the later specs edit the seeded ones by their titles.
  const uid = `tabs-${Date.now()}`;
  const day = weekDay(1).replaceAll('-', '');
  await dav().put(
    `/demo/work/${uid}.ics`,
    buildIcs({ uid, summary: 'Tab review', start: `${day}T120000Z`, end: `${day}T130000Z` }),
  );
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  try {
    const first = await openDemo(context);
    const second = await context.newPage();
    await second.goto(debugUrl());
    await expect(eventNamed(second, 'Tab review')).toHaveCount(1);
    await second.evaluate(async () => {
      const sdk = (window as unknown as { calsync: import('@calsync/core').CalendarSync }).calsync;
      const [review] = (await sdk.searchEvents('tab review')).filter((o) => o.summary === 'Tab review');
      if (!review) throw new Error('no review');
      await sdk.updateEvent(review.eventId, { summary: 'Tab review (tab 2)' });
    });
    await expect(eventNamed(first, 'Tab review (tab 2)')).toHaveCount(1);
    await expect(eventNamed(first, 'Tab review')).toHaveCount(0);
    const reloaded = await first.evaluate(() => performance.getEntriesByType('navigation').length);
    expect(reloaded).toBe(1);

    // Offline, a word of the standup's description finds it.
    await context.setOffline(true);
    const search = first.getByRole('searchbox', { name: 'Search events' });
    await search.fill('blocker');
    const results = first.getByRole('listbox', { name: 'Search results' });
    // The series, as its next occurrence (this week's may be the moved one).
    await expect(results.locator('.summary').first()).toHaveText(/^Team standup/);
    await search.press('Enter');
    await expect(first.getByRole('dialog', { name: 'Edit event' })).toBeVisible();
    await context.setOffline(false);
  } finally {
    await context.close();
  }
});
