/**
 * `npm run bench:profile -- [--size 5000] [--step first|nochange|query|outbox|edit|cold] [--out file.cpuprofile]`:
 * a CPU profile of one calsync step in Chromium, on the bench's own Radicale and data.
 *
 * The SDK runs in-thread in the bench page (`worker: false`, unminified build) because
 * Chromium's DevTools protocol, as Playwright exposes it, reaches a page but not its
 * dedicated Workers; the engine code is the same. IndexedDB is the real on-disk one (a
 * persistent profile). Prints wall time, the share of it the page's JavaScript was busy
 * (the rest is waiting: network, Radicale, IndexedDB in the browser process), and the
 * functions with the most self time; the whole profile goes to `--out` for DevTools.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { BenchWindow } from './browser/bench-api.ts';
import { startBenchPage } from './browser-page.ts';
import { CHROMIUM_PATH } from './calsync-browser.ts';
import { startBenchServer } from './seed-server.ts';
import { monthAt, spreadWindows } from './windows.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
}

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const size = Number(flag('size', '5000'));
const step = flag('step', 'first');
const out = flag('out', join(tmpdir(), `calsync-${step}-${size}.cpuprofile`));
const anchor = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));

const page = await startBenchPage({ minify: false });
const server = await startBenchServer({ sizes: [size], anchor, pageOrigin: page.origin });
const profileDir = await mkdtemp(join(tmpdir(), 'calsync-profile-chromium-'));
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath: CHROMIUM_PATH,
  args: ['--disable-gpu', '--no-first-run'],
});
try {
  const calendar = server.calendars.get(size);
  if (!calendar) throw new Error('no calendar');
  const tab = context.pages()[0] ?? (await context.newPage());
  tab.on('pageerror', (error) => console.error('[page]', error.message));
  await tab.goto(page.url);
  await tab.waitForFunction(() => 'calsyncBench' in window);
  await tab.evaluate(
    (dbName) => (window as unknown as BenchWindow).calsyncBench.open({ dbName, worker: false }),
    'calsync-profile',
  );
  await tab.evaluate((input) => (window as unknown as BenchWindow).calsyncBench.addAccount(input), {
    serverUrl: calendar.serverUrl,
    username: calendar.username,
    password: calendar.password,
  });
  const month = monthAt(anchor);
  if (step !== 'first') await tab.evaluate((m) => (window as unknown as BenchWindow).calsyncBench.first(m), month);
  // A cold start is profiled in a new tab on the replica the first sync left.
  let profiled = tab;
  if (step === 'cold') {
    await tab.evaluate(() => (window as unknown as BenchWindow).calsyncBench.close());
    profiled = await context.newPage();
    await profiled.goto(page.url);
    await profiled.waitForFunction(() => 'calsyncBench' in window);
  }
  const cdp = await context.newCDPSession(profiled);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const started = performance.now();
  const result =
    step === 'first'
      ? await tab.evaluate((m) => (window as unknown as BenchWindow).calsyncBench.first(m), month)
      : step === 'outbox'
        ? await tab.evaluate(
            (a) => (window as unknown as BenchWindow).calsyncBench.outbox(a.count, 'profile', new Date(a.anchor)),
            { count: 500, anchor: anchor.toISOString() },
          )
        : step === 'cold'
          ? await profiled.evaluate(
              (m) =>
                (window as unknown as BenchWindow).calsyncBench.coldStart({
                  dbName: 'calsync-profile',
                  month: m,
                  worker: false,
                }),
              month,
            )
          : step === 'edit'
            ? await tab.evaluate(
                (m) => (window as unknown as BenchWindow).calsyncBench.editLatency(m, 30, 'profile'),
                month,
              )
            : step === 'query'
              ? await tab.evaluate(
                  (w) => (window as unknown as BenchWindow).calsyncBench.listEvents(w),
                  spreadWindows(anchor, 50, 'month'),
                )
              : await tab.evaluate(() => (window as unknown as BenchWindow).calsyncBench.sync());
  const wall = performance.now() - started;
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await writeFile(out, JSON.stringify(profile));
  print(`${step} at ${size}: wall ${Math.round(wall)} ms ${JSON.stringify(result).slice(0, 300)}`);
  summarize(profile);
  print(`profile: ${out}`);
} finally {
  await context.close();
  await rm(profileDir, { recursive: true, force: true });
  await server.stop();
  await page.close();
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Self time per sample node, and the top functions by self and by inclusive time. */
function summarize(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const total = (profile.endTime - profile.startTime) / 1000;
  const name = (id: number) => {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    return `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
  };
  const selfByName = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of self) {
    const key = name(id);
    if (key.startsWith('(idle)') || key.startsWith('(program)')) idle += ms;
    selfByName.set(key, (selfByName.get(key) ?? 0) + ms);
    // Each function counts once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = name(node);
      if (seen.has(frame)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + ms);
    }
  }
  print(
    `profiled ${Math.round(total)} ms; JS busy ${Math.round(total - idle)} ms; idle/program ${Math.round(idle)} ms`,
  );
  const top = (map: Map<string, number>, title: string) => {
    print(`-- ${title}`);
    for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
      print(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
    }
  };
  top(selfByName, 'self time');
  inclusive.delete(name(profile.nodes[0]?.id ?? 1));
  top(inclusive, 'inclusive time');
}
