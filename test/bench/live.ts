/**
 * The live-query steps the bench times in the page (bundled into it like session.ts: it
 * uses nothing but the SDK and `performance.now()`): how long after `updateEvent` a
 * `watchEvents` listener sees the edit, in the same page and in another tab on the same
 * database; what 20 open watchers cost a pull; `searchEvents` latency.
 *
 * Arrivals are promises resolved from the listener itself (no polling, no sleeps); a
 * guard timer only keeps a lost arrival from hanging the bench (it is then counted as
 * missed, not as a latency).
 */
import type { CalendarSync, EventOccurrence, EventsListener } from '@calsync/core';
import { type QueryWindow, wholeRange } from './windows.ts';

/** How long an expected listener call may take before it is counted as missed. */
export const ARRIVAL_TIMEOUT_MS = 10_000;

/** One edit in the page with a month watcher open. */
export interface LiveEditSample {
  /** The `updateEvent` call until its promise resolved (the baseline). */
  readonly updateMs: number;
  /** `updateEvent` called → the listener called with the new summary; undefined: missed. */
  readonly watcherMs: number | undefined;
}

/** The edit → watcher loop in one page. */
export interface LiveEditTimings {
  readonly samples: readonly LiveEditSample[];
  /** Occurrences in the watched month (the size of every listener call). */
  readonly windowOccurrences: number;
}

/** One edit made in this page, for another page to see (times comparable across pages). */
export interface TabEdit {
  /** `performance.timeOrigin + performance.now()` just before `updateEvent`. */
  readonly t0: number;
  readonly updateMs: number;
}

/** Which remote changes a pull brings, so the page can tell which watchers must wake. */
export interface PullExpectation {
  /** Summary the updated single events now have on the server. */
  readonly summary: string;
  /** UIDs of updated non-recurring events (every occurrence of them gets `summary`). */
  readonly updatedUids: readonly string[];
  /** UIDs of deleted objects (their occurrences leave every window). */
  readonly deletedUids: readonly string[];
}

/** One timed `sync()` pulling remote changes, with `watchers` month watchers open (0: none). */
export interface PullTiming {
  readonly watchers: number;
  /** `sync()` until it resolved. */
  readonly ms: number;
  readonly requests: number;
  /** Objects changed + deleted by the pull. */
  readonly changes: number;
  /** Listener calls after the first one, over all watchers, until they had all settled. */
  readonly calls: number;
  /** Watchers that were called at least once after their first call. */
  readonly woken: number;
  /** Watchers that showed a changed or deleted event before the pull (they must wake). */
  readonly expected: number;
  /** Of those, the ones whose listener did not show the change within the guard time. */
  readonly missed: number;
  /** `sync()` called → the last listener call (undefined: no watcher was called). */
  readonly settledMs: number | undefined;
}

/** `searchEvents` latencies, or why they could not be measured. */
export type SearchTimings =
  | {
      readonly available: true;
      readonly queries: readonly string[];
      readonly ms: readonly number[];
      readonly results: readonly number[];
    }
  | { readonly available: false; readonly reason: string };

/** The live steps over one engine. */
export interface LiveSession {
  /** Opens a month watcher, edits `count` single timed events in it one by one, times each arrival. */
  editLatency(month: QueryWindow, count: number, tag: string): Promise<LiveEditTimings>;
  /** Opens this page's month watcher for the cross-tab loop (replacing an earlier one). */
  watchMonth(month: QueryWindow): Promise<{ occurrences: number }>;
  /** `count` distinct single timed events of the watched month (every k-th, starting at `offset`). */
  pickEdits(count: number, offset: number): string[];
  /** Expects the watched month to show `eventId` with `summary` (call before the edit elsewhere). */
  arm(eventId: string, summary: string): void;
  /** When the armed arrival came, as `timeOrigin + now()`; undefined: missed. */
  arrival(eventId: string): Promise<number | undefined>;
  /** One timed `updateEvent` of the summary. */
  edit(eventId: string, summary: string): Promise<TabEdit>;
  /** Opens a watcher per window (untimed), times one `sync()`, waits until the watchers settled, closes them. */
  pull(windows: readonly QueryWindow[], expectation: PullExpectation): Promise<PullTiming>;
  /** `count` searches of 1–3 word prefixes from the calendar's own summaries and descriptions. */
  search(anchor: Date, count: number): Promise<SearchTimings>;
  /** Closes the month watcher. */
  unwatchMonth(): void;
}

const absolute = () => performance.timeOrigin + performance.now();

/**
 * A watcher's listener that resolves waits for "this event shows this summary" (or "this
 * UID is gone") as soon as a call shows it, with the call's `performance.now()`.
 */
class Arrivals {
  readonly #waits = new Map<string, { test: (o: readonly EventOccurrence[]) => boolean; done: (t: number) => void }>();
  occurrences: readonly EventOccurrence[] = [];
  calls = 0;
  lastAt: number | undefined;

  readonly listener: EventsListener = (occurrences) => {
    const at = performance.now();
    this.calls++;
    this.lastAt = at;
    this.occurrences = occurrences;
    for (const [key, wait] of this.#waits) {
      if (wait.test(occurrences)) {
        this.#waits.delete(key);
        wait.done(at);
      }
    }
  };

  /** Resolves with the time of the first call (from now on) where `test` holds; undefined after the guard time. */
  wait(key: string, test: (o: readonly EventOccurrence[]) => boolean): Promise<number | undefined> {
    return new Promise((resolve) => {
      const guard = setTimeout(() => {
        this.#waits.delete(key);
        resolve(undefined);
      }, ARRIVAL_TIMEOUT_MS);
      this.#waits.set(key, {
        test,
        done: (t) => {
          clearTimeout(guard);
          resolve(t);
        },
      });
    });
  }

  summaryOf(eventId: string, summary: string): Promise<number | undefined> {
    return this.wait(eventId, (list) => list.some((o) => o.eventId === eventId && o.summary === summary));
  }
}

/** Distinct single timed events of a result, every k-th (spread over the window), from `offset`. */
function singles(occurrences: readonly EventOccurrence[], count: number, offset: number): string[] {
  const ids = [...new Set(occurrences.filter((o) => o.recurrenceId === undefined && !o.allDay).map((o) => o.eventId))];
  const step = Math.max(1, Math.floor(ids.length / count));
  return ids.filter((_, i) => i % step === offset % step).slice(0, count);
}

/** Summaries the bench itself wrote (outbox replay, bare PUTs, remote rounds, live edits): not the calendar's own text. */
const BENCH_EDIT = /^(Edited locally|Bare PUT|Changed elsewhere|Live edit|Tab edit)\b/;

/** Words of a text, as search sees them (letters and digits). */
const words = (text: string | undefined) => (text ?? '').match(/[\p{L}\p{N}]{2,}/gu) ?? [];

/**
 * `count` queries of 1–3 consecutive words of one event's summary + description, each
 * word cut to a prefix of 3–6 letters (as typed): deterministic, spread over the events.
 */
export function searchQueries(occurrences: readonly EventOccurrence[], count: number): string[] {
  const seen = new Set<string>();
  const texts = occurrences
    .filter((o) => !seen.has(o.eventId) && seen.add(o.eventId))
    .map((o) => [...(BENCH_EDIT.test(o.summary) ? [] : words(o.summary)), ...words(o.description)])
    .filter((w) => w.length > 0);
  if (texts.length === 0) return [];
  return Array.from({ length: count }, (_, i) => {
    const text = texts[(i * 7_919) % texts.length] as string[];
    const n = Math.min(text.length, 1 + (i % 3));
    const from = (i * 31) % (text.length - n + 1);
    return text
      .slice(from, from + n)
      .map((w, j) => w.slice(0, 3 + ((i + j) % 4)))
      .join(' ');
  });
}

/** `searchEvents` is not in the engine yet (it rejects with `internal` "… not implemented yet"). */
function notImplemented(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return e?.code === 'internal' && /not implemented/i.test(String(e.message));
}

/** The live steps over `sdk`. */
export function liveSession(sdk: CalendarSync): LiveSession {
  let month: { arrivals: Arrivals; stop: () => void } | undefined;
  const armed = new Map<string, Promise<number | undefined>>();
  const watched = () => {
    if (!month) throw new Error('watchMonth() first');
    return month.arrivals;
  };
  return {
    async editLatency(window, count, tag) {
      const arrivals = new Arrivals();
      const stop = await sdk.watchEvents(window, arrivals.listener);
      try {
        const samples: LiveEditSample[] = [];
        for (const [i, id] of singles(arrivals.occurrences, count, 0).entries()) {
          const summary = `${tag} ${i}`;
          const arrived = arrivals.summaryOf(id, summary);
          const t0 = performance.now();
          await sdk.updateEvent(id, { summary });
          const updateMs = performance.now() - t0;
          const at = await arrived;
          samples.push({ updateMs, watcherMs: at === undefined ? undefined : at - t0 });
        }
        return { samples, windowOccurrences: arrivals.occurrences.length };
      } finally {
        stop();
      }
    },
    async watchMonth(window) {
      month?.stop();
      const arrivals = new Arrivals();
      const stop = await sdk.watchEvents(window, arrivals.listener);
      month = { arrivals, stop };
      return { occurrences: arrivals.occurrences.length };
    },
    pickEdits: (count, offset) => singles(watched().occurrences, count, offset),
    arm(eventId, summary) {
      armed.set(
        eventId,
        watched()
          .summaryOf(eventId, summary)
          .then((at) => (at === undefined ? undefined : performance.timeOrigin + at)),
      );
    },
    async arrival(eventId) {
      const at = armed.get(eventId);
      armed.delete(eventId);
      if (!at) throw new Error(`nothing armed for ${eventId}`);
      return at;
    },
    async edit(eventId, summary) {
      const t0 = absolute();
      const started = performance.now();
      await sdk.updateEvent(eventId, { summary });
      return { t0, updateMs: performance.now() - started };
    },
    async pull(windows, expectation) {
      const watchers = await Promise.all(
        windows.map(async (window) => {
          const arrivals = new Arrivals();
          const stop = await sdk.watchEvents(window, arrivals.listener);
          return { arrivals, stop, firstCalls: arrivals.calls };
        }),
      );
      try {
        // A watcher that shows a changed or deleted event must be called with the change.
        const updated = new Set(expectation.updatedUids);
        const deleted = new Set(expectation.deletedUids);
        const waits: Array<Promise<number | undefined>> = [];
        for (const [i, w] of watchers.entries()) {
          const shown = w.arrivals.occurrences;
          const mustUpdate = [...new Set(shown.filter((o) => updated.has(o.uid)).map((o) => o.uid))];
          const mustLeave = [...new Set(shown.filter((o) => deleted.has(o.uid)).map((o) => o.uid))];
          if (mustUpdate.length + mustLeave.length === 0) continue;
          waits.push(
            w.arrivals.wait(`pull ${i}`, (list) => {
              const byUid = new Map<string, EventOccurrence>();
              for (const o of list) if (updated.has(o.uid) || deleted.has(o.uid)) byUid.set(o.uid, o);
              return (
                mustUpdate.every((uid) => byUid.get(uid)?.summary === expectation.summary) &&
                mustLeave.every((uid) => !byUid.has(uid))
              );
            }),
          );
        }
        const started = performance.now();
        const report = await sdk.sync();
        const ms = performance.now() - started;
        const arrived = await Promise.all(waits);
        const calls = watchers.reduce((sum, w) => sum + w.arrivals.calls - w.firstCalls, 0);
        const last = Math.max(...watchers.map((w) => (w.arrivals.calls > w.firstCalls ? (w.arrivals.lastAt ?? 0) : 0)));
        return {
          watchers: watchers.length,
          ms,
          requests: report.requests,
          changes: report.accounts.reduce(
            (sum, a) => sum + a.calendars.reduce((s, c) => s + c.changed + c.deleted, 0),
            0,
          ),
          calls,
          woken: watchers.filter((w) => w.arrivals.calls > w.firstCalls).length,
          expected: waits.length,
          missed: arrived.filter((t) => t === undefined).length,
          settledMs: last > 0 ? last - started : undefined,
        };
      } finally {
        for (const w of watchers) w.stop();
      }
    },
    async search(anchor, count) {
      const queries = searchQueries(await sdk.listEvents(wholeRange(anchor)), count);
      const ms: number[] = [];
      const results: number[] = [];
      for (const text of queries) {
        const started = performance.now();
        try {
          const found = await sdk.searchEvents(text, { limit: 50 });
          ms.push(performance.now() - started);
          results.push(found.length);
        } catch (error) {
          if (notImplemented(error)) return { available: false, reason: String((error as Error).message) };
          throw error;
        }
      }
      return { available: true, queries, ms, results };
    },
    unwatchMonth() {
      month?.stop();
      month = undefined;
    },
  };
}
