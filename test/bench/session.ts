/**
 * The calsync steps the bench times, over any `CalendarSync` — the in-thread engine in Node
 * or the Worker engine in the bench page (this module is bundled into the page, so it uses
 * nothing but the SDK and `performance.now()`).
 */
import type { CalendarSync, SyncReport } from '@calsync/core';
import { type QueryWindow, wholeRange } from './windows.ts';

/** One sync as the app sees it. */
export interface SyncTiming {
  readonly ms: number;
  /** HTTP requests of the round (`SyncReport.requests`). */
  readonly requests: number;
  /** Objects changed + deleted, summed over calendars. */
  readonly changes: number;
}

/** The first sync, until `listEvents` answers for a month. */
export interface FirstSyncTiming extends SyncTiming {
  /** Objects in the replica afterwards (`listCalendars().objectCount`). */
  readonly stored: number;
}

/** A new page on the stored replica: until the first month is answered, beside its floor. */
export interface ColdStartTiming {
  /** `createCalendarSync` until `listEvents(month)` answered. */
  readonly ms: number;
  readonly occurrences: number;
  /** A bare `getAll` of the stored objects in the same page, after the cold start. */
  readonly floorMs: number;
  readonly objects: number;
}

/** Latencies of `listEvents` over many windows, and how many occurrences each returned. */
export interface QueryTimings {
  readonly ms: readonly number[];
  readonly occurrences: readonly number[];
}

/** Outbox replay: N local edits, then one timed `sync()` pushing them. */
export interface OutboxTiming {
  readonly edits: number;
  /** Time of the N `updateEvent` calls (local only, one after the other). */
  readonly editMs: number;
  /** Time of the `sync()` that pushed them (push, then pull). */
  readonly replayMs: number;
  readonly pushed: number;
  readonly requests: number;
}

/** The timed steps on one engine whose account is already added. */
export interface CalsyncSession {
  /** The first sync and one `listEvents` for `month`: the time until the app can show data. */
  first(month: QueryWindow): Promise<FirstSyncTiming>;
  /** One `sync()`: no-change or incremental, depending on what happened before. */
  sync(): Promise<SyncTiming>;
  /** `listEvents` for each window, one after the other. */
  listEvents(windows: readonly QueryWindow[]): Promise<QueryTimings>;
  /**
   * Syncs (untimed), edits `count` single events locally (their summary), then times the
   * `sync()` that pushes them.
   */
  outbox(count: number, tag: string, anchor: Date): Promise<OutboxTiming>;
}

/** Sums what a report says changed. */
export function changesOf(report: SyncReport): number {
  return report.accounts.reduce(
    (sum, account) => sum + account.calendars.reduce((s, c) => s + c.changed + c.deleted, 0),
    0,
  );
}

/** The bench steps over `sdk`. */
export function calsyncSession(sdk: CalendarSync): CalsyncSession {
  return {
    async first(month) {
      const started = performance.now();
      const report = await sdk.sync();
      await sdk.listEvents(month);
      const ms = performance.now() - started;
      const stored = (await sdk.listCalendars()).reduce((sum, c) => sum + c.objectCount, 0);
      return { ms, requests: report.requests, changes: changesOf(report), stored };
    },
    async sync() {
      const started = performance.now();
      const report = await sdk.sync();
      return { ms: performance.now() - started, requests: report.requests, changes: changesOf(report) };
    },
    async listEvents(windows) {
      const ms: number[] = [];
      const occurrences: number[] = [];
      for (const window of windows) {
        const started = performance.now();
        const list = await sdk.listEvents(window);
        ms.push(performance.now() - started);
        occurrences.push(list.length);
      }
      return { ms, occurrences };
    },
    async outbox(count, tag, anchor) {
      // Untimed: catch up with what others pushed, so the edits start from current ETags
      // (a replay of stale bases would measure conflict handling instead).
      await sdk.sync();
      const ids = await singleEventIds(sdk, count, anchor);
      const editStarted = performance.now();
      for (const id of ids) await sdk.updateEvent(id, { summary: `Edited locally ${tag}` });
      const editMs = performance.now() - editStarted;
      const started = performance.now();
      const report = await sdk.sync();
      const replayMs = performance.now() - started;
      const pushed = report.accounts.reduce((sum, a) => sum + a.pushed, 0);
      return { edits: ids.length, editMs, replayMs, pushed, requests: report.requests };
    },
  };
}

/** `count` distinct timed, non-recurring events spread over the calendar (every k-th by start). */
async function singleEventIds(sdk: CalendarSync, count: number, anchor: Date): Promise<string[]> {
  const all = await sdk.listEvents(wholeRange(anchor));
  const ids = [...new Set(all.filter((o) => o.recurrenceId === undefined && !o.allDay).map((o) => o.eventId))];
  const step = Math.max(1, Math.floor(ids.length / count));
  return ids.filter((_, i) => i % step === 0).slice(0, count);
}
