import { type ChildProcess, spawn } from 'node:child_process';
import { type Browser, chromium, type Page } from '@playwright/test';
import { stopChild } from '../helpers/child-process.ts';
import { DavTestClient } from '../helpers/dav-client.ts';

/** Starts an app's server (`vite preview`, `vite`, `next start` …) and waits until it answers. */
export async function serveApp(command: string, args: string[], cwd: string, url: string): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited: ${output}`);
    try {
      if ((await fetch(url)).ok) return child;
    } catch {
      // Not listening yet: poll, as a starting server offers no readiness event.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`${command} did not answer at ${url}: ${output}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
}

/**
 * What every consumer app must do in real Chromium (issue 10): the engine runs in a Worker;
 * it adds an account on the real Radicale, syncs and lists the seeded events; an event
 * created offline reaches the server once back online.
 */
export async function exerciseApp(
  page: Page,
  appUrl: string,
  server: { url: string; username: string; password: string; calendarPath: string },
  offlineSummary = 'Made offline',
): Promise<{ summaries: string[]; workers: number; onServer: string[] }> {
  await page.goto(appUrl);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent !== 'starting', undefined, {
    timeout: 30_000,
  });
  const status = await page.locator('#status').textContent();
  if (status !== 'ready') throw new Error(`the app did not start: ${status}`);
  const summaries = await page.evaluate(async ({ url, username, password }) => {
    const calendars = (window as unknown as { calendars: import('@calsync/core').CalendarSync }).calendars;
    await calendars.addAccount({ serverUrl: url, username, password });
    await calendars.sync();
    const events = await calendars.listEvents({
      start: new Date(Date.now() - 864e5),
      end: new Date(Date.now() + 7 * 864e5),
    });
    return events.map((e) => e.summary);
  }, server);
  await page.context().setOffline(true);
  await page.evaluate(async (summary) => {
    const calendars = (window as unknown as { calendars: import('@calsync/core').CalendarSync }).calendars;
    const [calendar] = await calendars.listCalendars();
    await calendars.createEvent(calendar?.id ?? '', {
      summary,
      start: new Date(Date.now() + 86_400_000),
      end: new Date(Date.now() + 90_000_000),
    });
  }, offlineSummary);
  await page.context().setOffline(false);
  await page.evaluate(async () => {
    const calendars = (window as unknown as { calendars: import('@calsync/core').CalendarSync }).calendars;
    await calendars.sync();
  });
  const dav = new DavTestClient(server.url, server.username, server.password);
  const onServer = (await dav.objects(server.calendarPath)).map(
    (o) => /^SUMMARY:(.*)$/m.exec(o.ics)?.[1]?.trim() ?? '',
  );
  return { summaries, workers: page.workers().length, onServer };
}

/** Serves a folder of built files on 127.0.0.1 (what any static host does), until closed. */
export async function serveStatic(dir: string, port: number): Promise<{ close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, join, normalize } = await import('node:path');
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.map': 'application/json',
    '.css': 'text/css',
  };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => server.close(() => resolve())) };
}
