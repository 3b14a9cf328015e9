import { CalsyncError } from '../api/errors.ts';
import type { ConflictPolicy } from '../api/types.ts';
import { indexObject } from '../ical/index.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { PushOutcome } from '../model/outbox.ts';
import type { ConflictRecord, OutboxRecord } from '../model/records.ts';
import type { CalDavWriter, ReadResult } from '../transport/port.ts';
import { classifyWrite } from './classify.ts';
import { confirmedRow } from './confirmed-row.ts';
import { type ConflictDraft, planSettle } from './settle-plan.ts';

/** What settling needs from the push. */
export interface SettleContext {
  readonly writer: CalDavWriter;
  readonly now: () => number;
  readonly policy: ConflictPolicy;
  readonly newId: () => string;
}

/** A 412 that keeps recurring after this many re-reads is retried later instead. */
const MAX_ROUNDS = 3;

/**
 * Settles an entry whose precondition failed (412, or 404 on update): re-read the server,
 * decide with the pure plan (settle-plan.ts: adopt an identical create, merge, or apply the
 * policy — whatever loses is kept as a Conflict), then carry the decision out. Returns the outcome to store, or 'retry' when the server kept changing.
 * Throws typed errors for auth/network failures.
 */
export async function settlePrecondition(ctx: SettleContext, entry: OutboxRecord): Promise<PushOutcome | 'retry'> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const server = await ctx.writer.get(entry.href);
    const outcome = await settleOnce(ctx, entry, server);
    if (outcome !== 'again') return outcome;
  }
  return 'retry';
}

async function settleOnce(
  ctx: SettleContext,
  entry: OutboxRecord,
  server: ReadResult,
): Promise<PushOutcome | 'retry' | 'again'> {
  const action = planSettle(entry, server, ctx.policy);
  const conflict = (draft: ConflictDraft | undefined) =>
    draft === undefined ? {} : { conflict: record(ctx, entry, draft) };
  switch (action.kind) {
    case 'reread':
      return 'again';
    case 'gone':
      return { row: null, ...conflict(action.conflict) };
    case 'server': {
      const current = server as Extract<ReadResult, { status: 200 }>;
      return {
        row: toObjectRecord(entry.calendarId, entry.href, current.etag, current.ics),
        ...conflict(action.conflict),
      };
    }
    case 'put': {
      const result = await ctx.writer.put(entry.href, action.ics, action.precondition);
      const kind = classifyWrite(result.status, result.condition);
      if (kind === 'precondition') return 'again';
      if (kind === 'retry') return 'retry';
      if (kind !== 'done') throw writeError(result.status);
      return { row: await confirmedRow(ctx, entry, result, action.ics), ...conflict(action.conflict) };
    }
    case 'remove': {
      const result = await ctx.writer.remove(entry.href, action.precondition);
      const kind = classifyWrite(result.status, result.condition);
      if (kind === 'precondition') return 'again';
      if (kind !== 'done' && kind !== 'gone') throw writeError(result.status);
      return { row: null, ...conflict(action.conflict) };
    }
  }
}

/** A conflict record for `entry` from the plan's draft. */
function record(ctx: SettleContext, entry: OutboxRecord, draft: ConflictDraft): ConflictRecord {
  return {
    id: ctx.newId(),
    calendarId: entry.calendarId,
    href: entry.href,
    properties: [],
    createdAt: ctx.now(),
    ...(entry.uid === undefined ? {} : { uid: entry.uid }),
    ...(entry.summary === undefined ? {} : { summary: entry.summary }),
    ...(entry.baseIcs === undefined ? {} : { base: entry.baseIcs }),
    ...draft,
  };
}

function writeError(status: number): CalsyncError {
  if (status === 401)
    return new CalsyncError('auth', `The server rejected the credentials (HTTP ${status}).`, { status });
  return new CalsyncError('server', `The server refused the change (HTTP ${status}).`, {
    status,
    retryable: status >= 500,
  });
}

/** Checks that resolution ICS is readable before it is queued. */
export function assertReadableIcs(ics: string): void {
  const indexed = indexObject(ics);
  if (!indexed.ok) throw new CalsyncError('invalid-input', `The given ICS cannot be used: ${indexed.error.message}`);
}
