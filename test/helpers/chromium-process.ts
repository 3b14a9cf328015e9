import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';

/**
 * A Chromium started as our own process (not by Playwright), on a persistent profile, and
 * driven over CDP: it can be killed with SIGKILL — a crash, not a shutdown — and started
 * again on the same profile.
 */
export interface ChromiumProcess {
  readonly browser: Browser;
  /** The browser's default context (the profile's). */
  readonly context: BrowserContext;
  /** Its first tab. */
  readonly page: Page;
  readonly pid: number;
  /** SIGKILL to the whole process group (browser, renderers, utility processes); resolves once the browser exited. */
  kill(): Promise<void>;
}

const ARGS = [
  '--headless=new',
  '--remote-debugging-port=0',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  // Playwright passes it too by default (this VM runs the tests as root).
  '--no-sandbox',
];

/** Waits for Chromium to write its DevTools port into the profile; fails if it exits first. */
async function devToolsEndpoint(userDataDir: string, child: ChildProcess, stderr: () => string): Promise<string> {
  const file = join(userDataDir, 'DevToolsActivePort');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`chromium exited (${child.exitCode ?? child.signalCode}): ${stderr()}`);
    const text = await readFile(file, 'utf8').catch(() => '');
    const [port, path] = text.split('\n');
    if (port && path) return `ws://127.0.0.1:${port}${path}`;
    // The file appears once the DevTools server listens; a starting process offers no event for it.
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`chromium did not open its DevTools port within 20 s: ${stderr()}`);
}

/** Starts Chromium on `userDataDir` (created if missing) and connects to it over CDP. */
export async function launchChromium(userDataDir: string): Promise<ChromiumProcess> {
  // A file left by the previous (killed) process on this profile would name a dead port.
  await rm(join(userDataDir, 'DevToolsActivePort'), { force: true });
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // Its own process group: one signal reaches every process of this browser and nothing else.
  const child = spawn(executable, [...ARGS, `--user-data-dir=${userDataDir}`, 'about:blank'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${executable}`);
  const killGroup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    await exit;
  };
  try {
    const browser = await chromium.connectOverCDP(await devToolsEndpoint(userDataDir, child, () => stderr));
    const context = browser.contexts()[0];
    if (!context) throw new Error('chromium has no default context');
    const page = context.pages()[0] ?? (await context.waitForEvent('page'));
    return {
      browser,
      context,
      page,
      pid,
      kill: killGroup,
    };
  } catch (error) {
    await killGroup();
    throw error;
  }
}
