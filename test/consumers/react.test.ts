import type { CalendarSync } from '@calsync/core';
import type { Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerApp, setUpConsumerApp } from './consumer-app.ts';
import { exerciseViteApp } from './vite-app.ts';

// A React app (the README example of packages/react) that installs the packed @calsync/core
// and @calsync/react, bundled by Vite, in real Chromium against a real Radicale: it passes
// the checks of every app, and its rendered week and status line follow the replica live.

type Window = { calendars: CalendarSync; notReloaded?: boolean };

const ITEMS = '#events li';

/** The texts of the rendered week, once it is rendered. */
async function renderedWeek(page: Page): Promise<string[]> {
  await page.locator('#events').waitFor({ state: 'attached' });
  return page.locator(ITEMS).allTextContents();
}

/** Waits until the status line reads `pending` unsynced edits (the hook's text, not a query). */
async function waitForPending(page: Page, pending: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('#sync')?.textContent?.endsWith(` ${n} pending`), pending);
}

/** Waits until the rendered week has an item with exactly `text`. */
async function waitForItem(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    ({ selector, text }) => [...document.querySelectorAll(selector)].some((li) => li.textContent === text),
    { selector: ITEMS, text },
  );
}

/**
 * In a fresh profile: after adding the account and syncing, the week shows the server's
 * events; an event created offline appears at once as unsynced with the status line at one
 * pending edit; after the sync it is synced and the line reads 0 — all without a reload.
 */
async function checkLiveRendering(app: ConsumerApp, summary: string): Promise<void> {
  const page = await (await app.browser.newContext()).newPage();
  await page.goto(app.url);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'ready', undefined, {
    timeout: 30_000,
  });
  await page.evaluate(() => {
    (window as unknown as Window).notReloaded = true;
  });
  expect(await renderedWeek(page)).toEqual([]);
  await waitForPending(page, 0);

  await page.evaluate(async (server) => {
    const { calendars } = window as unknown as Window;
    await calendars.addAccount({ serverUrl: server, username: 'demo', password: 'demo' });
    await calendars.sync();
  }, app.server.url);
  await waitForItem(page, 'Seeded');

  await page.context().setOffline(true);
  await page.evaluate(async (summary) => {
    const { calendars } = window as unknown as Window;
    const [calendar] = await calendars.listCalendars();
    await calendars.createEvent(calendar?.id ?? '', {
      summary,
      start: new Date(Date.now() + 3 * 3_600_000),
      end: new Date(Date.now() + 4 * 3_600_000),
    });
  }, summary);
  await waitForItem(page, `${summary} (not synced yet)`);
  await waitForPending(page, 1);

  await page.context().setOffline(false);
  await page.evaluate(async () => {
    await (window as unknown as Window).calendars.sync();
  });
  await waitForItem(page, summary);
  await waitForPending(page, 0);
  expect(await renderedWeek(page)).toContain('Seeded');
  expect(await page.evaluate(() => (window as unknown as Window).notReloaded)).toBe(true);
  await page.context().close();
}

describe('the packed @calsync/react in a Vite app', () => {
  let app: ConsumerApp;

  beforeAll(async () => {
    app = await setUpConsumerApp('react', {
      type: 'module',
      adapters: ['react'],
      dependencies: { react: '^19.3.1', 'react-dom': '^19.3.1' },
      devDependencies: { vite: '^8.3.8' },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  it('production build: passes the app checks, and follows the replica live', async () => {
    await exerciseViteApp(app, 'build', (tag) => checkLiveRendering(app, `Rendered live${tag}`));
  });

  it('dev server: the same, served unbundled', async () => {
    await exerciseViteApp(app, 'dev', (tag) => checkLiveRendering(app, `Rendered live${tag}`));
  });
});
