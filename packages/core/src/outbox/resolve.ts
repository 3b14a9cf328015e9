import { CalsyncError } from '../api/errors.ts';
import type { ConflictPolicy } from '../api/types.ts';
import { indexObject, mergeIcs, sameContent } from '../ical/index.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { PushOutcome } from '../store/outbox-store.ts';
import type { ConflictRecord, OutboxRecord } from '../store/schema.ts';
import type { CalDavWriter, ReadResult } from '../transport/types.ts';
import { classifyWrite } from './classify.ts';
import { confirmedRow } from './confirmed-row.ts';

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
 * then adopt an identical create, merge, or apply the policy — and keep whatever loses as
 * a Conflict. Returns the outcome to store, or 'retry' when the server kept changing.
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
  const local = entry.ics;
  const conflict = (fields: Pick<ConflictRecord, 'kind' | 'current'> & Partial<ConflictRecord>): ConflictRecord => ({
    id: ctx.newId(),
    calendarId: entry.calendarId,
    href: entry.href,
    properties: [],
    createdAt: ctx.now(),
    ...(entry.uid === undefined ? {} : { uid: entry.uid }),
    ...(entry.summary === undefined ? {} : { summary: entry.summary }),
    ...(entry.baseIcs === undefined ? {} : { base: entry.baseIcs }),
    ...fields,
  });
  const serverRow = (s: Extract<ReadResult, { status: 200 }>) =>
    toObjectRecord(entry.calendarId, entry.href, s.etag, s.ics);

  if (server.status === 404) {
    if (entry.op === 'delete') return { row: null };
    if (entry.op === 'create') return 'again';
    // Changed here, deleted there: never drop the modification silently.
    if (ctx.policy === 'client-wins') {
      const written = await putOrAgain(ctx, entry, local ?? '', { ifNoneMatch: '*' });
      if (written === 'again' || written === 'retry') return written;
      return { row: written, conflict: conflict({ kind: 'remote-delete', current: 'local', ...opt('local', local) }) };
    }
    return { row: null, conflict: conflict({ kind: 'remote-delete', current: 'deleted', ...opt('local', local) }) };
  }

  if (entry.op === 'create' && local !== undefined && sameContent(server.ics, local)) {
    // Our own create, whose first answer was lost: adopt it, no duplicate.
    return { row: serverRow(server) };
  }
  if (entry.op === 'delete') {
    if (ctx.policy === 'client-wins') {
      const result = await ctx.writer.remove(entry.href, server.etag ? { ifMatch: server.etag } : {});
      const kind = classifyWrite(result.status, result.condition);
      if (kind === 'precondition') return 'again';
      if (kind !== 'done' && kind !== 'gone') throw writeError(result.status);
      return { row: null, conflict: conflict({ kind: 'local-delete', current: 'deleted', server: server.ics }) };
    }
    // Deleted here, changed there: the server's modification stays; the delete is kept to re-apply.
    return {
      row: serverRow(server),
      conflict: conflict({ kind: 'local-delete', current: 'server', server: server.ics }),
    };
  }

  const kind: ConflictRecord['kind'] = entry.op === 'create' ? 'create-create' : 'edit-edit';
  if (ctx.policy === 'client-wins') {
    const written = await putOrAgain(ctx, entry, local ?? '', server.etag ? { ifMatch: server.etag } : {});
    if (written === 'again' || written === 'retry') return written;
    return { row: written, conflict: conflict({ kind, current: 'local', server: server.ics, ...opt('local', local) }) };
  }
  if (ctx.policy === 'merge' && entry.baseIcs !== undefined && local !== undefined) {
    const merged = mergeIcs(entry.baseIcs, local, server.ics);
    if (merged.ok) {
      const lost = merged.conflicts.length > 0;
      const lostConflict = () =>
        conflict({ kind, current: 'merged', server: server.ics, local, properties: [...merged.conflicts] });
      if (sameContent(merged.ics, server.ics)) {
        return lost ? { row: serverRow(server), conflict: lostConflict() } : { row: serverRow(server) };
      }
      const written = await putOrAgain(ctx, entry, merged.ics, server.etag ? { ifMatch: server.etag } : {});
      if (written === 'again' || written === 'retry') return written;
      return lost ? { row: written, conflict: lostConflict() } : { row: written };
    }
  }
  // server-wins, or nothing to merge against: the server's version stays, ours is kept.
  return {
    row: serverRow(server),
    conflict: conflict({ kind, current: 'server', server: server.ics, ...opt('local', local) }),
  };
}

async function putOrAgain(
  ctx: SettleContext,
  entry: OutboxRecord,
  ics: string,
  precondition: { ifMatch: string } | { ifNoneMatch: '*' } | Record<string, never>,
) {
  const result = await ctx.writer.put(entry.href, ics, precondition);
  const kind = classifyWrite(result.status, result.condition);
  if (kind === 'precondition') return 'again' as const;
  if (kind === 'retry') return 'retry' as const;
  if (kind !== 'done') throw writeError(result.status);
  return confirmedRow(ctx, entry, result, ics);
}

function writeError(status: number): CalsyncError {
  if (status === 401)
    return new CalsyncError('auth', `The server rejected the credentials (HTTP ${status}).`, { status });
  return new CalsyncError('server', `The server refused the change (HTTP ${status}).`, {
    status,
    retryable: status >= 500,
  });
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Checks that resolution ICS is readable before it is queued. */
export function assertReadableIcs(ics: string): void {
  const indexed = indexObject(ics);
  if (!indexed.ok) throw new CalsyncError('invalid-input', `The given ICS cannot be used: ${indexed.error.message}`);
}
