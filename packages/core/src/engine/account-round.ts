import { CalsyncError, storedErrorCode, toCalsyncError } from '../api/errors.ts';
import { toConflict } from '../api/mappers.ts';
import type { AccountSyncReport, ConflictPolicy, SyncErrorInfo, SyncEvent } from '../api/types.ts';
import { newId } from '../model/ids.ts';
import type { AccountRecord, ObjectRecord } from '../model/records.ts';
import { type PushResult, pushAccount } from '../outbox/push.ts';
import type { Log } from '../platform/logger.ts';
import { reason } from '../platform/logger.ts';
import type { ObjectKey } from '../query/event-query.ts';
import type { ReplicaStore } from '../store/port.ts';
import { pullAccount } from '../sync/sync-account.ts';
import type { ServerIssue } from '../transport/members.ts';
import type { CalDavClient, RemoteCalendar } from '../transport/port.ts';

const RECONCILE_AFTER_MS = 24 * 60 * 60_000;

/** What one round needs from the engine. */
export interface RoundDeps {
  readonly store: ReplicaStore;
  readonly policy: ConflictPolicy;
  readonly transport: (account: AccountRecord, password: string) => CalDavClient;
  /** The engine's clock (platform/clock.ts). */
  readonly now: () => number;
  readonly log: Log;
  /** Where pulls report server answers they could not use (warning event + logger). */
  readonly report: (accountId: string, issue: ServerIssue) => void;
  readonly emit: (event: SyncEvent) => void;
  /** The replica changed (empty list: possibly everywhere); `contents`: a calendar's whole new content. */
  readonly changed: (
    accountId: string,
    calendarIds: readonly string[],
    hrefs?: readonly ObjectKey[],
    contents?: readonly ObjectRecord[],
  ) => void;
  /**
   * The calendar list `addAccount` fetched for this account, if that was moments ago: the
   * first round uses it instead of listing again. Given out once.
   */
  readonly takeFreshListing: (accountId: string) => readonly RemoteCalendar[] | undefined;
  /** After every push, successful or not (pending counts, retry timers). */
  readonly afterPush: () => Promise<void>;
}

/**
 * One account's part of a sync round: push its outbox, then (full rounds) pull. A 401/403
 * pauses the account's automatic pushes until `updateCredentials` (the queue stays).
 * Returns the report; rethrows nothing — failures are in the report and in `error` events.
 */
export async function syncAccountRound(
  deps: RoundDeps,
  account: AccountRecord,
  mode: 'full' | 'push',
  force: boolean,
): Promise<{ report: AccountSyncReport; error?: CalsyncError }> {
  const empty = {
    accountId: account.id,
    calendars: [],
    calendarsAdded: 0,
    calendarsRemoved: 0,
    pushed: 0,
    conflicts: 0,
  };
  try {
    const password = await deps.store.getPassword(account.id);
    if (password === undefined) throw new CalsyncError('auth', 'No password is stored for this account.');
    const transport = deps.transport(account, password);
    if (account.paused && !force) return { report: { ...empty, ok: false, ...lastError(account) } };
    const pushed = await push(deps, account, transport, force);
    if (account.paused) {
      const { paused: _resumed, ...resumed } = account;
      await deps.store.updateAccount(resumed);
    }
    if (mode === 'push') return { report: { ...empty, ok: true, pushed: pushed.sent, conflicts: pushed.conflicts } };
    const result = await pullAccount({
      accountId: account.id,
      homeUrl: account.homeUrl,
      transport,
      store: deps.store,
      now: deps.now,
      reconcileAfterMs: RECONCILE_AFTER_MS,
      listing: deps.takeFreshListing(account.id),
      report: (issue) => deps.report(account.id, issue),
      onProgress: (p) =>
        deps.emit({
          type: 'progress',
          accountId: account.id,
          ...('calendarId' in p
            ? { calendarId: p.calendarId, phase: p.phase, done: p.done, total: p.total }
            : { phase: p.phase, done: 0, total: 0 }),
        }),
      onCalendarStored: (calendarId, hrefs, contents) =>
        deps.changed(
          account.id,
          [calendarId],
          hrefs.map((href) => ({ calendarId, href })),
          contents,
        ),
    });
    const { lastError: _cleared, paused: _paused, ...rest } = account;
    await deps.store.updateAccount({ ...rest, lastSyncAt: deps.now() });
    if (result.calendarsRemoved > 0) deps.changed(account.id, []);
    deps.emit({ type: 'progress', accountId: account.id, phase: 'done', done: 1, total: 1 });
    return {
      report: {
        accountId: account.id,
        ok: true,
        calendars: result.calendars.map((c) => ({
          calendarId: c.calendarId,
          mode: c.mode,
          changed: c.changed,
          deleted: c.deleted,
          invalid: c.invalid,
        })),
        calendarsAdded: result.calendarsAdded,
        calendarsRemoved: result.calendarsRemoved,
        pushed: pushed.sent,
        conflicts: pushed.conflicts,
      },
    };
  } catch (thrown) {
    const error = toCalsyncError(thrown);
    const info: SyncErrorInfo = { code: error.code, message: error.message };
    const paused = error.code === 'auth' ? { paused: true } : {};
    // Best effort: the round's outcome is in the report and the event either way.
    await deps.store.updateAccount({ ...account, ...paused, lastError: info }).catch((failure) => {
      deps.log.warn('Could not store the last error of an account', { accountId: account.id, reason: reason(failure) });
    });
    deps.emit({ type: 'error', accountId: account.id, error: info });
    return { report: { ...empty, ok: false, error: info }, error };
  }
}

async function push(
  deps: RoundDeps,
  account: AccountRecord,
  transport: CalDavClient,
  force: boolean,
): Promise<PushResult> {
  try {
    const result = await pushAccount(
      {
        writer: transport,
        store: deps.store,
        now: deps.now,
        policy: deps.policy,
        // As many as a browser keeps connections to one host (HTTP/1.1): the server, not
        // the client, then sets the pace (4 → 6 cut a 500-edit replay in Chromium by ~8%).
        concurrency: 6,
        force,
        newId,
        onConflict: (conflict) => deps.emit({ type: 'conflict', conflict: toConflict(conflict) }),
        onProgress: (done, total) =>
          deps.emit({ type: 'progress', accountId: account.id, phase: 'pushing', done, total }),
      },
      account.id,
    );
    if (result.touched.length > 0) {
      deps.changed(account.id, [...new Set(result.touched.map((t) => t.calendarId))], result.touched);
    }
    return result;
  } finally {
    await deps.afterPush();
  }
}

function lastError(account: AccountRecord): { error?: SyncErrorInfo } {
  return account.lastError
    ? { error: { code: storedErrorCode(account.lastError.code), message: account.lastError.message } }
    : {};
}
