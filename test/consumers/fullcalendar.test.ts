import type { CalendarSync } from '@calsync/core';
import type { Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';
import { openReadyPage } from './live-rendering.ts';
import { exerciseViteApp } from './vite-app.ts';

// A FullCalendar app (the README example of packages/fullcalendar) that installs the packed
// @calsync/core and @calsync/fullcalendar, bundled by Vite, in real Chromium against a real
// Radicale: it passes the checks of every app, and its week grid follows the replica live.

type Window = {
  calendars: CalendarSync;
  fullCalendar: { gotoDate(date: string): void };
  notReloaded?: boolean;
};

/** The event elements in the time-grid column of `day` whose text contains `summary`. */
function inColumn(page: Page, day: string, summary: string) {
  return page.locator(`.fc-timegrid-col[data-date="${day}"] .fc-event`, { hasText: summary });
}

const hhmm = (iso: string) => iso.slice(11, 16);

/**
 * In a fresh profile: after adding the account and syncing, the seeded event shows in its
 * day column at its (UTC) time; an event created in the page appears in the grid at once,
 * marked unsynced, and loses the mark after the sync — all without a reload.
 */
async function checkLiveGrid(app: ConsumerApp, summary: string): Promise<void> {
  const page = await openReadyPage(app);
  expect(await page.locator('.fc-timegrid').count()).toBe(1);

  const seeded = await page.evaluate(async (server) => {
    const { calendars, fullCalendar } = window as unknown as Window;
    await calendars.addAccount({ serverUrl: server, username: 'demo', password: 'demo' });
    await calendars.sync();
    const [event] = (await calendars.listEvents({ start: new Date(), end: new Date(Date.now() + 7 * 864e5) })).filter(
      (e) => e.summary === 'Seeded',
    );
    if (event === undefined) throw new Error('Seeded is not in the replica');
    fullCalendar.gotoDate(event.start);
    return { start: event.start, end: event.end };
  }, app.server.url);
  const seededDay = seeded.start.slice(0, 10);
  const seededEvent = inColumn(page, seededDay, 'Seeded');
  await seededEvent.waitFor();
  expect(await seededEvent.locator('.fc-event-time').textContent()).toBe(`${hhmm(seeded.start)} - ${hhmm(seeded.end)}`);

  // Twelve hours away from the seeded one, on the same (UTC) day, so in the same week.
  const hour = (Number(seeded.start.slice(11, 13)) + 12) % 24;
  const start = `${seededDay}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  await page.evaluate(
    async ({ summary, start }) => {
      const { calendars } = window as unknown as Window;
      const [calendar] = await calendars.listCalendars();
      await calendars.createEvent(calendar?.id ?? '', {
        summary,
        start,
        end: new Date(Date.parse(start) + 30 * 60_000),
      });
    },
    { summary, start },
  );
  const created = inColumn(page, seededDay, summary);
  await created.waitFor();
  expect(await created.locator('.fc-event-time').textContent()).toBe(`${hhmm(start)} - ${hhmm(start).slice(0, 3)}30`);
  expect(await created.getAttribute('class')).toContain('calsync-pending');

  await page.evaluate(async () => {
    await (window as unknown as Window).calendars.sync();
  });
  await page.locator('.fc-event.calsync-pending').waitFor({ state: 'detached' });
  expect(await inColumn(page, seededDay, summary).count()).toBe(1);
  expect(await seededEvent.count()).toBe(1);
  expect(await page.evaluate(() => (window as unknown as Window).notReloaded)).toBe(true);
  await page.context().close();
}

describe('the packed @calsync/fullcalendar in a Vite app', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('fullcalendar', {
      type: 'module',
      adapters: ['fullcalendar'],
      dependencies: {
        '@fullcalendar/core': '6.1.22',
        '@fullcalendar/timegrid': '6.1.21',
        '@fullcalendar/daygrid': '6.1.22',
        '@fullcalendar/interaction': '6.1.22',
      },
      devDependencies: { vite: '^8.3.8' },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('production build: passes the app checks, and follows the replica live', async () => {
    await exerciseViteApp(app, 'build', (tag) => checkLiveGrid(app, `Shown live${tag}`));
  });

  it('dev server: the same, served unbundled', async () => {
    await exerciseViteApp(app, 'dev', (tag) => checkLiveGrid(app, `Shown live${tag}`));
  });
});
