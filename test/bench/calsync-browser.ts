/**
 * calsync in Chromium: the bench page's SDK with its engine in a dedicated Worker and data in
 * Chromium's real, on-disk IndexedDB. Each session is a fresh persistent profile (a
 * Playwright `newContext()` is off-the-record, and its IndexedDB lives in memory), so no
 * repetition sees another's data. Timing happens inside the page (see browser/bench-api.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import type { BenchWindow } from './browser/bench-api.ts';
import type { BenchCalendar } from './dav.ts';
import { pageSender, type ReportSender } from './limit.ts';
import type { BarePut } from './report-request.ts';
import type { CalsyncSession, ColdStartTiming, FirstSyncTiming } from './session.ts';
import type { QueryWindow } from './windows.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // measureUserAgentSpecificMemory answers at once instead of after the next GC (≤ 20 s).
  '--enable-blink-features=ForceEagerMeasureMemory',
];

/** The first sync in Chromium also reports the peak memory of page + Worker, when measurable. */
export interface BrowserFirstSyncTiming extends FirstSyncTiming {
  /** Highest `measureUserAgentSpecificMemory().bytes` seen while syncing, in MB. */
  readonly peakMemoryMb?: number;
  readonly memorySamples: number;
}

/** A Chromium profile with the bench page open and the SDK's account added. */
export interface CalsyncBrowserSession extends CalsyncSession {
  readonly page: Page;
  /** Bare REPORTs from this page: the Chromium limit. */
  readonly limit: ReportSender;
  /** The bare serial PUT loop from this page; total milliseconds. */
  barePuts(puts: readonly BarePut[], authorization: string): Promise<number>;
  /**
   * The first sync while sampling memory every 250 ms. Sampling slows the sync down by
   * ~5–10%, so its time is not a figure: use a session of its own.
   */
  firstWithMemory(...args: Parameters<CalsyncSession['first']>): Promise<BrowserFirstSyncTiming>;
  /**
   * Another page (tab) in the same profile with its own SDK (its own Worker) on the same
   * database: it shares the replica, and hears this page's changes over BroadcastChannel.
   * No account is added (it is in the database already). Closed with the session.
   */
  openTab(): Promise<Page>;
  /**
   * Closes this page's SDK, then in a new tab times a cold start on the replica it left
   * (see `BenchApi.coldStart`). The session's steps are over after this one.
   */
  coldStart(month: QueryWindow): Promise<ColdStartTiming>;
  close(): Promise<void>;
}

/** Chromium's version line, e.g. `Chromium 156.0.8078.79 built on Debian …`. */
export async function chromiumVersion(): Promise<string> {
  const { stdout } = await promisify(execFile)(CHROMIUM_PATH, ['--version']);
  return stdout.trim();
}

const DB_NAME = 'calsync-bench';

/** Opens the bench page in `context` and starts its SDK on the bench database; rejects if the engine is not in a Worker. */
async function openSdkPage(context: BrowserContext, pageUrl: string, page?: Page): Promise<Page> {
  const tab = page ?? (await context.newPage());
  tab.on('pageerror', (error) => console.error('[bench page]', error.message));
  await tab.goto(pageUrl);
  await tab.waitForFunction(() => 'calsyncBench' in window);
  // Helpers cannot be referenced inside the callbacks (they run in the page): each names
  // `window.calsyncBench` itself.
  const { inWorker } = await tab.evaluate(
    (dbName) => (window as unknown as BenchWindow).calsyncBench.open({ dbName }),
    DB_NAME,
  );
  if (!inWorker) throw new Error('the calsync engine is not running in a Worker');
  return tab;
}

/**
 * Launches a fresh persistent Chromium profile, opens the bench page, starts the SDK in its
 * Worker and adds the calendar's account (not timed). Rejects if the engine is not in a Worker.
 */
export async function openCalsyncBrowser(pageUrl: string, calendar: BenchCalendar): Promise<CalsyncBrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), 'calsync-bench-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: ARGS });
    const page = await openSdkPage(context, pageUrl, context.pages()[0]);
    await page.evaluate((input) => (window as unknown as BenchWindow).calsyncBench.addAccount(input), {
      serverUrl: calendar.serverUrl,
      username: calendar.username,
      password: calendar.password,
    });
    const opened = context;
    const tabs: Page[] = [];
    return {
      page,
      async openTab() {
        const tab = await openSdkPage(opened, pageUrl);
        tabs.push(tab);
        return tab;
      },
      async coldStart(month) {
        await page.evaluate(() => (window as unknown as BenchWindow).calsyncBench.close());
        const tab = await opened.newPage();
        tabs.push(tab);
        tab.on('pageerror', (error) => console.error('[bench page]', error.message));
        await tab.goto(pageUrl);
        await tab.waitForFunction(() => 'calsyncBench' in window);
        return tab.evaluate(
          (a) => (window as unknown as BenchWindow).calsyncBench.coldStart({ dbName: a.dbName, month: a.month }),
          { dbName: DB_NAME, month },
        );
      },
      limit: pageSender(page),
      barePuts: (puts, authorization) =>
        page.evaluate((a) => (window as unknown as BenchWindow).calsyncBench.barePuts(a.puts, a.authorization), {
          puts,
          authorization,
        }),
      first: (month) => page.evaluate((m) => (window as unknown as BenchWindow).calsyncBench.first(m), month),
      async firstWithMemory(month) {
        let peak: number | undefined;
        let samples = 0;
        const sample = async () => {
          const bytes = await page.evaluate(() => (window as unknown as BenchWindow).calsyncBench.memory());
          if (bytes === undefined) return;
          peak = Math.max(peak ?? 0, bytes);
          samples++;
        };
        let done = false;
        const sampler = (async () => {
          while (!done) {
            await sample();
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        })();
        let timing: FirstSyncTiming;
        try {
          timing = await page.evaluate((m) => (window as unknown as BenchWindow).calsyncBench.first(m), month);
        } finally {
          done = true;
          await sampler;
        }
        await sample();
        return {
          ...timing,
          ...(peak === undefined ? {} : { peakMemoryMb: Math.round(peak / 104_857.6) / 10 }),
          memorySamples: samples,
        };
      },
      sync: () => page.evaluate(() => (window as unknown as BenchWindow).calsyncBench.sync()),
      listEvents: (windows) =>
        page.evaluate((w) => (window as unknown as BenchWindow).calsyncBench.listEvents(w), windows),
      outbox: (count, tag, anchor) =>
        page.evaluate((a) => (window as unknown as BenchWindow).calsyncBench.outbox(a.count, a.tag, a.anchor), {
          count,
          tag,
          anchor,
        }),
      async close() {
        for (const tab of [...tabs, page]) {
          await tab.evaluate(() => (window as unknown as BenchWindow).calsyncBench.close()).catch(() => undefined);
        }
        await opened.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
