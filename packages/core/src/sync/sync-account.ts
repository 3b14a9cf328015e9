import { isCalsyncError } from '../api/errors.ts';
import { newId } from '../model/ids.ts';
import type { CalendarRecord, ObjectRecord } from '../model/records.ts';
import type { ReplicaStore } from '../store/port.ts';
import type { IssueSink } from '../transport/members.ts';
import type { CalDavTransport, RemoteCalendar } from '../transport/port.ts';
import { diffCalendars } from './plan.ts';
import { pullCalendar } from './pull.ts';
import type { CalendarPullResult, PullProgress } from './pull-context.ts';

/** What syncing one account did. */
export interface AccountPullResult {
  readonly calendars: CalendarPullResult[];
  readonly calendarsAdded: number;
  readonly calendarsRemoved: number;
  /** Calendars whose stored data changed. */
  readonly changedCalendarIds: string[];
}

/** Settings of an account pull. */
export interface AccountPullOptions {
  readonly accountId: string;
  readonly homeUrl: string;
  readonly transport: CalDavTransport;
  readonly store: ReplicaStore;
  readonly now: () => number;
  readonly reconcileAfterMs: number;
  readonly onProgress: (progress: PullProgress | { phase: 'calendars' }) => void;
  /**
   * The account's calendar list as fetched moments ago (by `addAccount`), used instead of
   * listing again. Its sync-tokens predate any data fetched now, so they are safe to start from.
   */
  readonly listing?: readonly RemoteCalendar[] | undefined;
  /** Where the pull reports objects it could not use. */
  readonly report: IssueSink;
  /** Called after each calendar is stored, so views can refresh early. */
  readonly onCalendarStored: (
    calendarId: string,
    hrefs: readonly string[],
    contents: readonly ObjectRecord[] | undefined,
  ) => void;
}

/**
 * Pulls one account: one PROPFIND for the calendar list (unless a fresh one is given), then
 * each calendar whose token/ctag says it changed (DESIGN.md "Pull" 1–6).
 */
export async function pullAccount(options: AccountPullOptions): Promise<AccountPullResult> {
  options.onProgress({ phase: 'calendars' });
  const local = await options.store.listCalendars(options.accountId);
  // getctag is only worth its cost for calendars without sync-collection (their ctag is
  // what says "unchanged"); sync-tokens cover the others.
  const remote =
    options.listing ??
    (await options.transport.listCalendars(options.homeUrl, {
      ctag: local.length === 0 || local.some((calendar) => !calendar.supportsSyncCollection),
    }));
  const diff = diffCalendars(local, remote);

  const removedIds: string[] = [];
  for (const removed of diff.removed) {
    // A calendar holding local state (unsynced or quarantined edits, open conflicts) stays,
    // flagged and read-only, until that state is settled — never silently dropped with it.
    if (await options.store.outbox.hasLocalState(removed.id)) {
      if (!removed.deletedOnServer) {
        await options.store.putCalendar({ ...removed, deletedOnServer: true });
        removedIds.push(removed.id);
      }
      continue;
    }
    await options.store.removeCalendar(removed.id);
    removedIds.push(removed.id);
  }
  const work: Array<{ record: CalendarRecord; remote: (typeof remote)[number] }> = [];
  for (const added of diff.added) {
    const record = calendarRecord(newId(), options.accountId, added);
    await options.store.putCalendar(record);
    work.push({ record, remote: added });
  }
  for (const { local: existing, remote: r } of diff.kept) {
    const record = calendarRecord(existing.id, options.accountId, r);
    if (JSON.stringify(record) !== JSON.stringify(existing)) await options.store.putCalendar(record);
    work.push({ record, remote: r });
  }

  const calendars: CalendarPullResult[] = [];
  const changedCalendarIds = [...removedIds];
  const ctx = {
    transport: options.transport,
    store: options.store,
    now: options.now,
    reconcileAfterMs: options.reconcileAfterMs,
    multigetBatch: 100,
    storeBatch: 1000,
    onProgress: options.onProgress,
    report: options.report,
  };
  // One calendar's failure (a 403 on it, an answer that cannot be read) does not stop the
  // others; the first such failure is rethrown once they are all pulled. Auth and network
  // failures would fail every calendar the same way: they stop at once.
  let failure: unknown;
  for (const { record, remote: r } of work) {
    let result: CalendarPullResult;
    try {
      result = await pullCalendar(ctx, record, r);
    } catch (error) {
      if (isCalsyncError(error, 'auth') || isCalsyncError(error, 'network')) throw error;
      failure ??= error;
      continue;
    }
    calendars.push(result);
    if (result.changed > 0 || result.deleted > 0) {
      changedCalendarIds.push(record.id);
      options.onCalendarStored(record.id, result.touched, result.contents);
    }
  }
  if (failure !== undefined) throw failure;
  return { calendars, calendarsAdded: diff.added.length, calendarsRemoved: removedIds.length, changedCalendarIds };
}

/** Builds the stored form of a remote calendar. */
export function calendarRecord(
  id: string,
  accountId: string,
  remote: {
    url: string;
    displayName: string;
    color: string | undefined;
    ctag: string | undefined;
    components: readonly string[];
    readOnly: boolean;
    supportsSyncCollection: boolean;
  },
): CalendarRecord {
  return {
    id,
    accountId,
    url: remote.url,
    displayName: remote.displayName,
    ...(remote.color === undefined ? {} : { color: normalizeColor(remote.color) }),
    ...(remote.ctag === undefined ? {} : { ctag: remote.ctag }),
    components: [...remote.components],
    readOnly: remote.readOnly,
    supportsSyncCollection: remote.supportsSyncCollection,
  };
}

/** Apple-style colors come as `#RRGGBBAA`; CSS wants `#rrggbb` (alpha is always FF in practice). */
function normalizeColor(color: string): string {
  const match = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  return match?.[1] ? `#${match[1].toLowerCase()}` : color.trim();
}
