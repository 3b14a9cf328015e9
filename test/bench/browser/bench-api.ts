/**
 * What the bench page exposes as `window.calsyncBench`: the SDK started in its Worker (as an
 * app would), the timed steps of session.ts, the page-side limit REPORT and a memory
 * reading. The Node driver only calls these through `page.evaluate`, so the timing happens
 * in the page, free of the driver's round trips.
 */
import type { AccountInput, CalendarSync, CalendarSyncOptions } from '@calsync/core';
import { type LiveSession, liveSession } from '../live.ts';
import { type BarePut, barePuts, type ReportTiming, sendReport, type TimedReport } from '../report-request.ts';
import { type CalsyncSession, type ColdStartTiming, calsyncSession } from '../session.ts';
import type { QueryWindow } from '../windows.ts';

/** The page's bench handle: the timed steps of session.ts and of live.ts. */
export interface BenchApi extends CalsyncSession, LiveSession {
  /** Starts the SDK (in its Worker: no `worker` option, as in an app), with `autoSync: false`. */
  open(options: { dbName: string; worker?: boolean }): Promise<{ inWorker: boolean }>;
  addAccount(input: AccountInput): Promise<void>;
  /** One bare REPORT from the page (the Chromium limit). */
  report(request: TimedReport): Promise<ReportTiming>;
  /** The bare serial PUT loop from the page; total milliseconds. */
  barePuts(puts: readonly BarePut[], authorization: string): Promise<number>;
  /**
   * Bytes used by the page and its Workers (`performance.measureUserAgentSpecificMemory`,
   * needs cross-origin isolation), or `undefined` where that API is missing.
   */
  memory(): Promise<number | undefined>;
  /**
   * Cold start on the stored replica, in a page that has not started the SDK: times
   * `createCalendarSync` until its first `listEvents(month)` answers (the SDK stays open as
   * this page's), then the floor — a bare `getAll` of the same stored objects, straight
   * from IndexedDB, in the same page.
   */
  coldStart(options: { dbName: string; month: QueryWindow; worker?: boolean }): Promise<ColdStartTiming>;
  /** `document.visibilityState` (a hidden tab's watchers deliver only when it is shown again). */
  visibility(): string;
  close(): Promise<void>;
}

/** `window` of the bench page. */
export interface BenchWindow {
  readonly calsyncBench: BenchApi;
}

interface MemoryMeasurement {
  readonly bytes: number;
}

/** Builds the handle around `createCalendarSync` (injected, so this module stays testable). */
export function createBenchApi(create: (options: CalendarSyncOptions) => Promise<CalendarSync>): BenchApi {
  let sdk: CalendarSync | undefined;
  let session: CalsyncSession | undefined;
  let live: LiveSession | undefined;
  const current = () => {
    if (!session) throw new Error('calsyncBench.open() first');
    return session;
  };
  const currentLive = () => {
    if (!live) throw new Error('calsyncBench.open() first');
    return live;
  };
  return {
    async open({ dbName, worker }) {
      const opened = await create({ dbName, autoSync: false, ...(worker === undefined ? {} : { worker }) });
      sdk = opened;
      session = calsyncSession(opened);
      live = liveSession(opened);
      const probe = opened as CalendarSync & { runsInWorker?: () => Promise<boolean> };
      return { inWorker: (await probe.runsInWorker?.()) ?? false };
    },
    async addAccount(input) {
      if (!sdk) throw new Error('calsyncBench.open() first');
      await sdk.addAccount(input);
    },
    first: (month) => current().first(month),
    sync: () => current().sync(),
    listEvents: (windows) => current().listEvents(windows),
    outbox: (count, tag, anchor) => current().outbox(count, tag, anchor),
    editLatency: (month, count, tag) => currentLive().editLatency(month, count, tag),
    watchMonth: (month) => currentLive().watchMonth(month),
    pickEdits: (count, offset) => currentLive().pickEdits(count, offset),
    arm: (eventId, summary) => currentLive().arm(eventId, summary),
    arrival: (eventId) => currentLive().arrival(eventId),
    edit: (eventId, summary) => currentLive().edit(eventId, summary),
    pull: (windows, expectation) => currentLive().pull(windows, expectation),
    search: (anchor, count) => currentLive().search(anchor, count),
    unwatchMonth: () => live?.unwatchMonth(),
    async coldStart({ dbName, month, worker }) {
      if (sdk) throw new Error('coldStart needs a page without an SDK');
      const started = performance.now();
      const opened = await create({ dbName, autoSync: false, ...(worker === undefined ? {} : { worker }) });
      const occurrences = (await opened.listEvents(month)).length;
      const ms = performance.now() - started;
      sdk = opened;
      session = calsyncSession(opened);
      live = liveSession(opened);
      const floor = await bareGetAll(dbName);
      return { ms, occurrences, floorMs: floor.ms, objects: floor.objects };
    },
    visibility: () => document.visibilityState,
    report: sendReport,
    barePuts,
    async memory() {
      const measure = (
        performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<MemoryMeasurement> }
      ).measureUserAgentSpecificMemory;
      if (!measure || !crossOriginIsolated) return undefined;
      return (await measure.call(performance)).bytes;
    },
    async close() {
      live?.unwatchMonth();
      await sdk?.close();
      sdk = undefined;
      session = undefined;
      live = undefined;
    },
  };
}

/** The floor of a cold start: every stored object read in one `getAll` (of its pages), nothing else. */
async function bareGetAll(dbName: string): Promise<{ ms: number; objects: number }> {
  const started = performance.now();
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(dbName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const pages = await new Promise<Array<{ rows: unknown[] }>>((resolve, reject) => {
      const request = db.transaction('pages').objectStore('pages').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    let objects = 0;
    for (const page of pages) objects += page.rows.length;
    return { ms: performance.now() - started, objects };
  } finally {
    db.close();
  }
}
