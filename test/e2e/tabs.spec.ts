import { expect, type Page, test } from '@playwright/test';
import { DavTestClient } from '../helpers/dav-client.ts';

// Fault matrix, many tabs (issue 11), in real Chromium: two tabs of one origin share one
// database. Sync rounds never overlap (one Web Lock per round), a change in one tab reaches
// the other as `changed`, and offline edits made in both tabs land exactly once.

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`global setup did not set ${name}`);
  return value;
};
type Sdk = import('@calsync/core').CalendarSync;
const sdkOf = (page: Page) => page.waitForFunction(() => 'calsync' in window);

test('two tabs: rounds never overlap, changes reach the other tab, offline edits land once', async ({ context }) => {
  const url = new URL('/?debug', env('CALSYNC_DEMO_URL')).href;
  const proxy = env('CALSYNC_PROXY_URL');
  // Each round starts with one calendar-list PROPFIND: their time spans must not overlap.
  const rounds: Array<{ start: number; end: number }> = [];
  const open = new Map<string, number>();
  context.on('request', (r) => {
    if (r.url().startsWith(proxy) && r.method() === 'PROPFIND')
      open.set(r.url() + rounds.length + Math.random(), Date.now());
  });
  context.on('requestfinished', (r) => {
    if (!r.url().startsWith(proxy) || r.method() !== 'PROPFIND') return;
    const timing = r.timing();
    rounds.push({ start: timing.startTime, end: timing.startTime + timing.responseEnd });
  });

  const a = await context.newPage();
  await a.goto(url);
  await sdkOf(a);
  await a.getByRole('button', { name: 'Add account' }).click();
  await expect(a.locator('aside')).toContainText('Work');
  const b = await context.newPage();
  await b.goto(url);
  await sdkOf(b);

  // Tab B listens; tab A edits: B hears `changed` and sees the event.
  await b.evaluate(() => {
    const w = window as unknown as { calsync: Sdk; heard: Promise<void> };
    w.heard = new Promise((resolve) => {
      void w.calsync.subscribe((e) => {
        if (e.type === 'changed') resolve();
      });
    });
  });
  await a.evaluate(async () => {
    const sdk = (window as unknown as { calsync: Sdk }).calsync;
    const [calendar] = (await sdk.listCalendars()).filter((c) => c.name === 'Work');
    await sdk.createEvent(calendar?.id ?? '', {
      summary: 'From tab A',
      start: new Date(Date.now() + 3 * 3_600_000),
      end: new Date(Date.now() + 4 * 3_600_000),
    });
  });
  const seenInB = await b.evaluate(async () => {
    const w = window as unknown as { calsync: Sdk; heard: Promise<void> };
    await w.heard;
    const events = await w.calsync.listEvents({ start: new Date(), end: new Date(Date.now() + 864e5) });
    return events.some((e) => e.summary === 'From tab A');
  });
  expect(seenInB).toBe(true);

  // Both tabs sync at once: the rounds (one calendar-list PROPFIND each) do not overlap.
  rounds.length = 0;
  await Promise.all([a, b].map((page) => page.evaluate(() => (window as unknown as { calsync: Sdk }).calsync.sync())));
  expect(rounds.length).toBeGreaterThanOrEqual(2);
  const sorted = [...rounds].sort((x, y) => x.start - y.start);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.start ?? 0).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? 0);

  // Offline, each tab creates an event; back online, each lands exactly once.
  await context.setOffline(true);
  for (const [page, summary] of [
    [a, 'Offline in A'],
    [b, 'Offline in B'],
  ] as const) {
    await page.evaluate(async (s) => {
      const sdk = (window as unknown as { calsync: Sdk }).calsync;
      const [calendar] = (await sdk.listCalendars()).filter((c) => c.name === 'Work');
      await sdk.createEvent(calendar?.id ?? '', {
        summary: s,
        start: new Date(Date.now() + 5 * 3_600_000),
        end: new Date(Date.now() + 6 * 3_600_000),
      });
    }, summary);
  }
  await context.setOffline(false);
  await Promise.all([a, b].map((page) => page.evaluate(() => (window as unknown as { calsync: Sdk }).calsync.sync())));
  const dav = new DavTestClient(env('CALSYNC_RADICALE_URL'), 'demo', 'demo');
  const summaries = (await dav.objects('/demo/work/')).map((o) => /^SUMMARY:(.*)$/m.exec(o.ics)?.[1]?.trim());
  for (const s of ['From tab A', 'Offline in A', 'Offline in B'])
    expect(summaries.filter((x) => x === s)).toHaveLength(1);
  // Tidy up the shared demo calendar for later specs.
  await a.evaluate(async () => {
    const sdk = (window as unknown as { calsync: Sdk }).calsync;
    for (const e of await sdk.listEvents({ start: new Date(), end: new Date(Date.now() + 864e5) })) {
      if (['From tab A', 'Offline in A', 'Offline in B'].includes(e.summary)) await sdk.deleteEvent(e.eventId);
    }
    await sdk.sync();
  });
});
