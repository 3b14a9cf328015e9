/**
 * The limit: the server's own time, with nothing between a bare `fetch` and Radicale — in
 * Node, and from the Chromium bench page (cross-origin, same bodies). No client syncs
 * faster than the server hands the data over, so every calsync figure is also given as a
 * ratio to these.
 */
import type { Page } from '@playwright/test';
import type { BenchWindow } from './browser/bench-api.ts';
import { type BenchCalendar, basicAuth } from './dav.ts';
import {
  CALENDAR_LIST_BODY,
  CALENDAR_QUERY_ALL_BODY,
  CALENDAR_QUERY_BODY,
  type ReportTiming,
  sendReport,
  syncCollectionBody,
  type TimedReport,
} from './report-request.ts';

/** The limit figures of one repetition, in one runtime. */
export interface LimitSample {
  /** calendar-query REPORT with calendar-data, VEVENT filter: every event. */
  readonly calendarQuery: ReportTiming;
  /** The same with the VCALENDAR filter alone (calsync's first download): every object. */
  readonly calendarQueryAll: ReportTiming;
  /** sync-collection from the empty token with calendar-data: every object plus a token. */
  readonly syncCollection: ReportTiming;
  /** sync-collection with the current token: the server's "nothing changed". */
  readonly noChange: ReportTiming;
  /**
   * calsync's calendar-list PROPFIND on the calendar home (not a limit of the issue: the
   * server's time for calsync's own first request, to tell server from client cost).
   */
  readonly calendarList: ReportTiming;
}

/** A sender of timed REPORTs: Node's fetch, or the page's. */
export type ReportSender = (request: TimedReport) => Promise<ReportTiming>;

/** Sends REPORTs from Node with the global fetch. */
export const nodeSender: ReportSender = sendReport;

/** Sends REPORTs with the bench page's fetch (Radicale answers with CORS headers). */
export function pageSender(page: Page): ReportSender {
  return (request) => page.evaluate((r) => (window as unknown as BenchWindow).calsyncBench.report(r), request);
}

const request = (
  calendar: BenchCalendar,
  body: string,
  depth: '0' | '1',
  method: TimedReport['method'] = 'REPORT',
  url = calendar.url,
): TimedReport => ({
  method,
  url,
  body,
  depth,
  authorization: basicAuth(calendar.username, calendar.password),
});

/**
 * One repetition of the limit: full calendar-query (two filters), full sync-collection, the no-change
 * sync-collection with the token just received, and calsync's calendar-list PROPFIND. Rejects when an answer is not a
 * 207 or lists the wrong number of objects (a wrong figure is worse than none).
 */
export async function measureLimit(send: ReportSender, calendar: BenchCalendar): Promise<LimitSample> {
  const calendarQuery = checked(await send(request(calendar, CALENDAR_QUERY_BODY, '1')), { live: calendar.size });
  const calendarQueryAll = checked(await send(request(calendar, CALENDAR_QUERY_ALL_BODY, '1')), {
    live: calendar.size,
  });
  const full = await send(request(calendar, syncCollectionBody('', true), '0'));
  const syncCollection = checked(full, { live: calendar.size });
  if (!syncCollection.token) throw new Error(`no sync-token from ${calendar.url}`);
  const noChange = checked(await send(request(calendar, syncCollectionBody(syncCollection.token, true), '0')), {
    total: 0,
  });
  const home = new URL('..', calendar.url).toString();
  // The home and its one calendar.
  const calendarList = checked(await send(request(calendar, CALENDAR_LIST_BODY, '1', 'PROPFIND', home)), { total: 2 });
  return { calendarQuery, calendarQueryAll, syncCollection, noChange, calendarList };
}

/** The server's time to hand over what changed since `token`, with data (the incremental limit). */
export async function measureChangesSince(
  send: ReportSender,
  calendar: BenchCalendar,
  token: string,
  expectedChanges: number,
): Promise<ReportTiming> {
  return checked(await send(request(calendar, syncCollectionBody(token, true), '0')), { total: expectedChanges });
}

/** Checks the status and either the live objects listed or all entries (deletions included). */
function checked(timing: ReportTiming, expected: { live?: number; total?: number }): ReportTiming {
  if (timing.status !== 207) throw new Error(`limit request answered ${timing.status}`);
  const live = timing.responses - timing.gone;
  if (expected.live !== undefined && live !== expected.live) {
    throw new Error(`limit request listed ${live} objects, expected ${expected.live}`);
  }
  if (expected.total !== undefined && timing.responses !== expected.total) {
    throw new Error(`limit request listed ${timing.responses} entries, expected ${expected.total}`);
  }
  return timing;
}
