/**
 * What the bench page exposes as `window.calsyncBench`: the SDK started in its Worker (as an
 * app would), the timed steps of session.ts, the page-side limit REPORT and a memory
 * reading. The Node driver only calls these through `page.evaluate`, so the timing happens
 * in the page, free of the driver's round trips.
 */
import type { AccountInput, CalendarSync, CalendarSyncOptions } from '@calsync/core';
import { type LiveSession, liveSession } from '../live.ts';
import { type BarePut, barePuts, type ReportTiming, sendReport, type TimedReport } from '../report-request.ts';
import { type CalsyncSession, calsyncSession } from '../session.ts';

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
