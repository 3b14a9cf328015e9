/**
 * The live-query phase: once per run, on the largest size, after its repetitions, in a
 * Chromium session of its own (so it disturbs no other figure). The timing happens in the
 * pages (live.ts); this driver only orders the steps:
 *
 * 1. first sync (untimed here), then `--live-pulls` pairs of timed pulls of the other
 *    client's 10 changes, without and with 20 month watchers open (order alternating);
 * 2. `searchEvents` over 1–3 word prefixes of the calendar's own texts;
 * 3. edit → watcher in the same page (month of the anchor);
 * 4. a second tab (own SDK, own Worker, same database) watches the same month while the
 *    first one edits: arrival in B minus `updateEvent` called in A, on one clock.
 *
 * Pulls come first: later `sync()`s would also push the edits of 3 and 4.
 */
import type { BenchWindow } from './browser/bench-api.ts';
import { openCalsyncBrowser } from './calsync-browser.ts';
import type { RemoteEditor } from './changes.ts';
import type { BenchCalendar } from './dav.ts';
import type { PullExpectation, PullTiming } from './live.ts';
import type { LiveResult, TabEditSample } from './results.ts';
import { monthAt, spreadWindows } from './windows.ts';

/** Month watchers open during the "with watchers" pulls. */
export const LIVE_WATCHERS = 20;

/** Untimed edits before the same-page loop (see there). */
const LIVE_WARMUP_EDITS = 5;

/** What the live phase needs to know. */
export interface LiveContext {
  readonly pageUrl: string;
  readonly calendar: BenchCalendar;
  readonly anchor: Date;
  readonly editor: RemoteEditor;
  /** Edits per loop (same page, other tab). */
  readonly edits: number;
  /** Pairs of pulls without / with watchers. */
  readonly pulls: number;
  readonly searchQueries: number;
  readonly log: (message: string) => void;
}

/** Runs the phase; its session (both tabs) is closed, also on failure. */
export async function measureLive(ctx: LiveContext): Promise<LiveResult> {
  const { anchor, log } = ctx;
  const month = monthAt(anchor);
  const browser = await openCalsyncBrowser(ctx.pageUrl, ctx.calendar);
  const page = browser.page;
  try {
    const first = await browser.first(month);
    log(`first sync ${first.ms.toFixed(0)} ms (untimed here), ${first.stored} objects`);

    const windows = spreadWindows(anchor, LIVE_WATCHERS, 'month');
    // Untimed: the first query of a far month expands its series (a listEvents cost, not a
    // watcher's); an app's open watchers are over windows it has already shown.
    await browser.listEvents(windows);
    const pulls: PullTiming[] = [];
    for (let pair = 0; pair < ctx.pulls; pair++) {
      for (const withWatchers of pair % 2 === 0 ? [false, true] : [true, false]) {
        const round = await ctx.editor.round();
        const expectation: PullExpectation = {
          summary: round.summary,
          updatedUids: round.updated.filter((o) => !o.recurring).map((o) => o.uid),
          deletedUids: round.deleted.map((o) => o.uid),
        };
        const pull = await page.evaluate(
          (a) => (window as unknown as BenchWindow).calsyncBench.pull(a.windows, a.expectation),
          { windows: withWatchers ? windows : [], expectation },
        );
        pulls.push(pull);
        log(
          `pull with ${pull.watchers} watchers ${pull.ms.toFixed(0)} ms, ${pull.calls} watcher calls` +
            (pull.watchers > 0 ? ` (${pull.woken} woken, ${pull.expected} expected, ${pull.missed} missed)` : ''),
        );
      }
    }

    const search = await page.evaluate(
      (a) => (window as unknown as BenchWindow).calsyncBench.search(a.anchor, a.count),
      { anchor, count: ctx.searchQueries },
    );
    log(
      search.available ? `searchEvents: ${search.ms.length} queries` : `searchEvents not available: ${search.reason}`,
    );

    // The session's first edits run cold code paths (JIT, first transactions): 15–35 ms at
    // 20,000 events where later ones take 5–10. They are made first and reported apart.
    const warmup = await page.evaluate(
      (a) => (window as unknown as BenchWindow).calsyncBench.editLatency(a.month, a.count, a.tag),
      { month, count: LIVE_WARMUP_EDITS, tag: 'Live warm-up' },
    );
    const timed = await page.evaluate(
      (a) => (window as unknown as BenchWindow).calsyncBench.editLatency(a.month, a.count, a.tag),
      { month, count: ctx.edits, tag: 'Live edit' },
    );
    const edit = { ...timed, warmup: warmup.samples };
    log(`edit → watcher: ${edit.samples.length} edits in a month of ${edit.windowOccurrences} occurrences`);

    const tab = await browser.openTab();
    const watchedA = await page.evaluate((m) => (window as unknown as BenchWindow).calsyncBench.watchMonth(m), month);
    const watchedB = await tab.evaluate((m) => (window as unknown as BenchWindow).calsyncBench.watchMonth(m), month);
    const visibility = {
      a: await page.evaluate(() => (window as unknown as BenchWindow).calsyncBench.visibility()),
      b: await tab.evaluate(() => (window as unknown as BenchWindow).calsyncBench.visibility()),
    };
    if (watchedA.occurrences !== watchedB.occurrences) {
      log(`tabs see ${watchedA.occurrences} and ${watchedB.occurrences} occurrences in the month`);
    }
    // Other events than the same-page loop's where the month has enough (offset 1 of each step).
    const ids = await page.evaluate((a) => (window as unknown as BenchWindow).calsyncBench.pickEdits(a.count, 1), {
      count: ctx.edits,
    });
    const samples: TabEditSample[] = [];
    for (const [i, id] of ids.entries()) {
      const summary = `Tab edit ${i}`;
      await tab.evaluate((a) => (window as unknown as BenchWindow).calsyncBench.arm(a.id, a.summary), { id, summary });
      const sent = await page.evaluate((a) => (window as unknown as BenchWindow).calsyncBench.edit(a.id, a.summary), {
        id,
        summary,
      });
      const at = await tab.evaluate((eventId) => (window as unknown as BenchWindow).calsyncBench.arrival(eventId), id);
      samples.push({ updateMs: sent.updateMs, arrivalMs: at === undefined ? undefined : at - sent.t0 });
    }
    log(`tab A → tab B: ${samples.length} edits (visibility A ${visibility.a}, B ${visibility.b})`);

    return {
      size: ctx.calendar.size,
      watchers: LIVE_WATCHERS,
      edit,
      tab: { samples, windowOccurrences: watchedB.occurrences, visibility },
      pulls,
      search,
    };
  } finally {
    await browser.close();
  }
}

/** What the report should say about a live run beyond its figures (sanity checks). */
export function liveNotes(live: LiveResult): string[] {
  const notes: string[] = [];
  const watched = live.pulls.filter((p) => p.watchers > 0);
  const calls = watched.reduce((sum, p) => sum + p.calls, 0);
  if (watched.length > 0 && calls === 0) {
    notes.push(
      `live queries: the ${live.watchers} watchers received no call during ${watched.length} pull(s) of remote changes.`,
    );
  }
  const expected = watched.reduce((sum, p) => sum + p.expected, 0);
  const missed = watched.reduce((sum, p) => sum + p.missed, 0);
  if (missed > 0) {
    notes.push(`live queries: ${missed} of ${expected} watchers showing a changed event did not show the change.`);
  }
  if (watched.length > 0 && expected === 0) {
    notes.push('live queries: no watched month showed an event the pulls changed (the wake-up check did not run).');
  }
  const lostEdits = live.edit.samples.filter((s) => s.watcherMs === undefined).length;
  const lostTabs = live.tab.samples.filter((s) => s.arrivalMs === undefined).length;
  if (lostEdits + lostTabs > 0) {
    notes.push(
      `live queries: ${lostEdits} same-page and ${lostTabs} cross-tab edits never reached the watcher (counted as missed).`,
    );
  }
  if (live.tab.visibility.b !== 'visible') {
    notes.push(`live queries: tab B was ${live.tab.visibility.b} (a hidden tab delivers only when shown again).`);
  }
  return notes;
}
