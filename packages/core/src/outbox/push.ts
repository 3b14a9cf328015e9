import { CalsyncError, isCalsyncError, toCalsyncError } from '../api/errors.ts';
import type { ConflictPolicy } from '../api/types.ts';
import type { ConflictRecord, OutboxError, OutboxRecord } from '../model/records.ts';
import type { ReplicaStore } from '../store/port.ts';
import { placeHref } from '../transport/href.ts';
import type { CalDavWriter, WriteResult } from '../transport/port.ts';
import { backoffMs, classifyWrite } from './classify.ts';
import { confirmedRow } from './confirmed-row.ts';
import { settlePrecondition } from './resolve.ts';

/** Ports and settings of a push. */
export interface PushContext {
  readonly writer: CalDavWriter;
  readonly store: ReplicaStore;
  readonly now: () => number;
  readonly policy: ConflictPolicy;
  /** Objects pushed in parallel (order per object is kept: one entry per object). */
  readonly concurrency: number;
  /** Ignore backoff timers (an explicit `sync()`). */
  readonly force: boolean;
  readonly newId: () => string;
  readonly onConflict: (conflict: ConflictRecord) => void;
  readonly onProgress: (done: number, total: number) => void;
}

/** What a push of one account did. */
export interface PushResult {
  readonly sent: number;
  readonly conflicts: number;
  readonly quarantined: number;
  readonly retrying: number;
  /** Objects whose replica row changed (sent, adopted, merged or settled). */
  readonly touched: Array<{ calendarId: string; href: string }>;
}

type EntryOutcome = 'sent' | 'quarantined' | 'retry';

/**
 * Replays an account's outbox against the server. Each server answer has a defined
 * result (DESIGN.md "Push"): 2xx done and the replica updated; network errors and 5xx
 * retried with capped backoff; 401 stops the push with an `auth` error (the queue
 * stays); 412 re-reads the server and settles the conflict; other 4xx quarantine that
 * entry only. A network failure stops the push early (the rest would fail the same way)
 * and is rethrown after the bookkeeping is stored.
 */
export async function pushAccount(ctx: PushContext, accountId: string): Promise<PushResult> {
  const now = ctx.now();
  const due = (await ctx.store.outbox.list(accountId)).filter(
    (e) => e.state === 'pending' && (ctx.force || e.nextAttemptAt === undefined || e.nextAttemptAt <= now),
  );
  const tally = {
    sent: 0,
    conflicts: 0,
    quarantined: 0,
    retrying: 0,
    touched: [] as Array<{ calendarId: string; href: string }>,
  };
  // Entries are only ever sent inside their calendar (rows stored before hrefs were
  // contained, or a bug, must never turn into a request elsewhere).
  const calendars = new Map((await ctx.store.listCalendars(accountId)).map((c) => [c.id, c]));
  let stop: CalsyncError | undefined;
  let done = 0;
  const run = async (entries: readonly OutboxRecord[]) => {
    let next = 0;
    const worker = async () => {
      while (stop === undefined && next < entries.length) {
        const entry = entries[next++];
        if (!entry) break;
        await pushOne(entry);
        ctx.onProgress(++done, due.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ctx.concurrency, entries.length) }, worker));
  };
  const pushOne = async (entry: OutboxRecord) => {
    try {
      const calendar = calendars.get(entry.calendarId);
      const gate = entry.splitFrom === undefined ? 'send' : await splitOffGate(ctx, entry, entry.splitFrom);
      if (gate === 'wait') {
        tally.retrying++;
        return;
      }
      if (gate !== 'send') {
        await foldIntoConflict(ctx, entry, () => tally.conflicts++);
        tally.touched.push({ calendarId: entry.calendarId, href: entry.href });
        return;
      }
      const outcome =
        calendar === undefined || placeHref(calendar.url, entry.href).kind !== 'member'
          ? await quarantine(ctx, entry, {
              code: 'untrusted-origin',
              message: 'This change is for a resource outside its calendar; calsync does not send it.',
            })
          : calendar.deletedOnServer
            ? await quarantine(ctx, entry, {
                code: 'not-found',
                message: 'The calendar was deleted on the server; this change is kept here until you settle it.',
              })
            : await pushEntry(ctx, entry, () => tally.conflicts++);
      if (outcome === 'sent') {
        tally.sent++;
        tally.touched.push({ calendarId: entry.calendarId, href: entry.href });
      } else if (outcome === 'quarantined') tally.quarantined++;
      else tally.retrying++;
    } catch (error) {
      stop ??= toCalsyncError(error);
    }
  };
  // A series split off by "this and following" goes after the series it came from.
  await run(due.filter((e) => e.splitFrom === undefined));
  await run(due.filter((e) => e.splitFrom !== undefined));
  if (stop) throw stop;
  return tally;
}

/**
 * Whether the new series of a "this and following" edit may be created now: not while the
 * series it came from still has an unsent edit (`wait`), and not when that series settled
 * without the split — another device's version or rule won (returns that conflict):
 * creating ours too would show those occurrences twice. Then the new series is kept in a
 * conflict of its own instead.
 */
async function splitOffGate(
  ctx: PushContext,
  entry: OutboxRecord,
  origin: string,
): Promise<'send' | 'wait' | ConflictRecord> {
  if (entry.op !== 'create') return 'send';
  // Also while the series' change is quarantined: the new series follows once it settles
  // (a new edit of the series revives it; listPending shows both).
  if (await ctx.store.outbox.get(entry.calendarId, origin)) return 'wait';
  const conflicts = await ctx.store.outbox.listConflicts();
  // The split did not reach the server when the server's version of the series stayed
  // (`server`: another device's change won, or our delete of the rest lost to its edit), or
  // when the merge kept the server's rule.
  const lost = conflicts.find(
    (c) =>
      c.calendarId === entry.calendarId &&
      c.href === origin &&
      // Only a conflict the split itself met (an older one is about an earlier edit).
      c.createdAt >= entry.createdAt &&
      (c.current === 'server' || (c.current === 'merged' && c.properties.some((p) => p.toUpperCase() === 'RRULE'))),
  );
  return lost ?? 'send';
}

/** Keeps a split-off series that must not be created (see {@link splitOffGate}) as a conflict. */
async function foldIntoConflict(ctx: PushContext, entry: OutboxRecord, countConflict: () => void): Promise<void> {
  const conflict: ConflictRecord = {
    id: ctx.newId(),
    calendarId: entry.calendarId,
    href: entry.href,
    kind: 'split',
    current: 'deleted',
    properties: ['RRULE'],
    createdAt: ctx.now(),
    ...(entry.uid === undefined ? {} : { uid: entry.uid }),
    ...(entry.summary === undefined ? {} : { summary: entry.summary }),
    ...(entry.ics === undefined ? {} : { local: entry.ics }),
  };
  await ctx.store.outbox.complete(entry, { row: null, conflict });
  countConflict();
  ctx.onConflict(conflict);
}

async function pushEntry(ctx: PushContext, entry: OutboxRecord, countConflict: () => void): Promise<EntryOutcome> {
  let result: WriteResult;
  try {
    result = await send(ctx.writer, entry);
  } catch (error) {
    const failure = toCalsyncError(error, 'network');
    await scheduleRetry(ctx, entry, failure);
    // Stop the whole push: the next entries would meet the same network.
    throw failure;
  }
  switch (classifyWrite(result.status, result.condition)) {
    case 'done':
      await ctx.store.outbox.complete(entry, {
        row: entry.op === 'delete' ? null : await confirmedRow(ctx, entry, result),
      });
      return 'sent';
    case 'gone':
      if (entry.op === 'delete') {
        await ctx.store.outbox.complete(entry, { row: null });
        return 'sent';
      }
      return settle(ctx, entry, countConflict);
    case 'precondition':
      return settle(ctx, entry, countConflict);
    case 'retry':
      await scheduleRetry(
        ctx,
        entry,
        new CalsyncError('server', `The server failed (HTTP ${result.status}).`, { status: result.status }),
      );
      return 'retry';
    case 'auth': {
      const error = new CalsyncError('auth', `The server rejected the credentials (HTTP ${result.status}).`, {
        status: result.status,
      });
      throw error;
    }
    case 'reject':
      return quarantine(ctx, entry, {
        code: 'server',
        message: `The server refused this change (HTTP ${result.status}${result.condition ? `, ${result.condition}` : ''}).`,
        status: result.status,
        serverMessage: result.body,
      });
  }
}

/** Parks an entry with its error; the others carry on, and a new edit of it retries. */
async function quarantine(ctx: PushContext, entry: OutboxRecord, lastError: OutboxError): Promise<'quarantined'> {
  await ctx.store.outbox.updateBookkeeping({ ...entry, attempts: entry.attempts + 1, state: 'quarantined', lastError });
  return 'quarantined';
}

async function settle(ctx: PushContext, entry: OutboxRecord, countConflict: () => void): Promise<EntryOutcome> {
  try {
    const outcome = await settlePrecondition(ctx, entry);
    if (outcome === 'retry') {
      await scheduleRetry(
        ctx,
        entry,
        new CalsyncError('server', 'The object kept changing on the server; will retry.'),
      );
      return 'retry';
    }
    await ctx.store.outbox.complete(entry, outcome);
    if (outcome.conflict) {
      countConflict();
      ctx.onConflict(outcome.conflict);
    }
    return 'sent';
  } catch (error) {
    if (isCalsyncError(error, 'auth') || isCalsyncError(error, 'network')) {
      if (isCalsyncError(error, 'network')) await scheduleRetry(ctx, entry, error);
      throw error;
    }
    const failure = toCalsyncError(error);
    // The server refused the merged or re-sent version (a 4xx: a policy, a read-only
    // object): retrying would meet the same answer.
    if (failure.status !== undefined && failure.status >= 400 && failure.status < 500) {
      return quarantine(ctx, entry, {
        code: failure.code,
        message: failure.message,
        status: failure.status,
      });
    }
    await scheduleRetry(ctx, entry, failure);
    return 'retry';
  }
}

function send(writer: CalDavWriter, entry: OutboxRecord): Promise<WriteResult> {
  switch (entry.op) {
    case 'create':
      return writer.put(entry.href, entry.ics, { ifNoneMatch: '*' });
    case 'update':
      return writer.put(entry.href, entry.ics, entry.baseEtag ? { ifMatch: entry.baseEtag } : {});
    case 'delete':
      return writer.remove(entry.href, entry.baseEtag ? { ifMatch: entry.baseEtag } : {});
  }
}

async function scheduleRetry(ctx: PushContext, entry: OutboxRecord, error: CalsyncError): Promise<void> {
  const attempts = entry.attempts + 1;
  await ctx.store.outbox.updateBookkeeping({
    ...entry,
    attempts,
    nextAttemptAt: ctx.now() + backoffMs(attempts),
    lastError: {
      code: error.code,
      message: error.message,
      ...(error.status === undefined ? {} : { status: error.status }),
    },
  });
}
