import type { CalendarSync } from '@calsync/core';
import type { Page } from '@playwright/test';
import { expect } from 'vitest';
import type { ConsumerApp } from './consumer-app.ts';

// The check of the adapter apps that render a live week (React, Lit): the app shows the
// window's summaries as `#events li` (unsynced ones suffixed " (not synced yet)") and a
// status line `#sync` ending in " N pending" — in the document, or in the shadow root of
// the element `host` names.

type Window = { calendars: CalendarSync; notReloaded?: boolean };

/** Where the app renders: the document, or a custom element's shadow root. */
export interface LiveRenderingOptions {
  readonly host?: string;
}

/** The page function's view of the root (runs in the page: no closures). */
type Root = { host: string | undefined };

/** The texts of the rendered week's items, once the list is rendered. */
async function renderedWeek(page: Page, root: Root): Promise<string[]> {
  const handle = await page.waitForFunction(({ host }) => {
    const scope = host ? document.querySelector(host)?.shadowRoot : document;
    const list = scope?.querySelector('#events');
    return list ? [...list.querySelectorAll('li')].map((li) => li.textContent ?? '') : undefined;
  }, root);
  return (await handle.jsonValue()) as string[];
}

/** Waits until the status line reads `pending` unsynced edits (the adapter's text, not a query). */
async function waitForPending(page: Page, root: Root, pending: number): Promise<void> {
  await page.waitForFunction(
    ({ host, pending }) => {
      const scope = host ? document.querySelector(host)?.shadowRoot : document;
      return scope?.querySelector('#sync')?.textContent?.endsWith(` ${pending} pending`);
    },
    { ...root, pending },
  );
}

/** Waits until the rendered week has an item with exactly `text`. */
async function waitForItem(page: Page, root: Root, text: string): Promise<void> {
  await page.waitForFunction(
    ({ host, text }) => {
      const scope = host ? document.querySelector(host)?.shadowRoot : document;
      return [...(scope?.querySelectorAll('#events li') ?? [])].some((li) => li.textContent === text);
    },
    { ...root, text },
  );
}

/**
 * A page of the app in a fresh browser context, once it says `ready`, marked so that a
 * check can tell it was never reloaded (`window.notReloaded`).
 */
export async function openReadyPage(app: ConsumerApp): Promise<Page> {
  const page = await (await app.browser.newContext()).newPage();
  await page.goto(app.url);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'ready', undefined, {
    timeout: 30_000,
  });
  await page.evaluate(() => {
    (window as unknown as Window).notReloaded = true;
  });
  return page;
}

/**
 * In a fresh profile: after adding the account and syncing, the week shows the server's
 * events; an event created offline appears at once as unsynced with the status line at one
 * pending edit; after the sync it is synced and the line reads 0 — all without a reload.
 */
export async function checkLiveRendering(
  app: ConsumerApp,
  summary: string,
  options: LiveRenderingOptions = {},
): Promise<void> {
  const root: Root = { host: options.host };
  const page = await openReadyPage(app);
  expect(await renderedWeek(page, root)).toEqual([]);
  await waitForPending(page, root, 0);

  await page.evaluate(async (server) => {
    const { calendars } = window as unknown as Window;
    await calendars.addAccount({ serverUrl: server, username: 'demo', password: 'demo' });
    await calendars.sync();
  }, app.server.url);
  await waitForItem(page, root, 'Seeded');

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
  await waitForItem(page, root, `${summary} (not synced yet)`);
  await waitForPending(page, root, 1);

  await page.context().setOffline(false);
  await page.evaluate(async () => {
    await (window as unknown as Window).calendars.sync();
  });
  await waitForItem(page, root, summary);
  await waitForPending(page, root, 0);
  expect(await renderedWeek(page, root)).toContain('Seeded');
  expect(await page.evaluate(() => (window as unknown as Window).notReloaded)).toBe(true);
  await page.context().close();
}
