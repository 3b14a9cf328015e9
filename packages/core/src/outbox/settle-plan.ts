import type { ConflictPolicy } from '../api/types.ts';
import { mergeIcs, sameContent } from '../ical/index.ts';
import type { ConflictRecord, OutboxRecord } from '../model/records.ts';
import type { ReadResult, WritePrecondition } from '../transport/port.ts';

/** The parts of a conflict the plan decides; the executor adds id, object and time. */
export type ConflictDraft = Pick<ConflictRecord, 'kind' | 'current'> &
  Partial<Pick<ConflictRecord, 'server' | 'local' | 'properties'>>;

/**
 * What to do about an entry whose precondition failed, given the server's current version
 * (DESIGN.md "Conflicts"). Pure: no I/O, no clock. A `conflict` keeps the losing side.
 * - `gone`: the object is gone on the server and the replica drops it.
 * - `reread`: the server's state is not what the entry assumed yet (a create met 404): read again.
 * - `server`: the server's version becomes the replica's.
 * - `put` / `remove`: write (or delete) with this precondition; the result becomes the replica's.
 */
export type SettleAction =
  | { readonly kind: 'gone'; readonly conflict?: ConflictDraft }
  | { readonly kind: 'reread' }
  | { readonly kind: 'server'; readonly conflict?: ConflictDraft }
  | {
      readonly kind: 'put';
      readonly ics: string;
      readonly precondition: WritePrecondition;
      readonly conflict?: ConflictDraft;
    }
  | { readonly kind: 'remove'; readonly precondition: WritePrecondition; readonly conflict: ConflictDraft };

/** Decides how `entry` settles against `server` under `policy`. */
export function planSettle(entry: OutboxRecord, server: ReadResult, policy: ConflictPolicy): SettleAction {
  const local = entry.ics;
  const localPart = local === undefined ? {} : { local };

  if (server.status === 404) {
    if (entry.op === 'delete') return { kind: 'gone' };
    if (entry.op === 'create') return { kind: 'reread' };
    // Changed here, deleted there: never drop the modification silently.
    if (policy === 'client-wins') {
      return {
        kind: 'put',
        ics: local ?? '',
        precondition: { ifNoneMatch: '*' },
        conflict: { kind: 'remote-delete', current: 'local', ...localPart },
      };
    }
    return { kind: 'gone', conflict: { kind: 'remote-delete', current: 'deleted', ...localPart } };
  }

  const ifMatch: WritePrecondition = server.etag ? { ifMatch: server.etag } : {};
  if (entry.op === 'create' && local !== undefined && sameContent(server.ics, local)) {
    // Our own create, whose first answer was lost: adopt it, no duplicate.
    return { kind: 'server' };
  }
  if (entry.op === 'delete') {
    if (policy === 'client-wins') {
      return {
        kind: 'remove',
        precondition: ifMatch,
        conflict: { kind: 'local-delete', current: 'deleted', server: server.ics },
      };
    }
    // Deleted here, changed there: the server's modification stays; the delete is kept to re-apply.
    return { kind: 'server', conflict: { kind: 'local-delete', current: 'server', server: server.ics } };
  }

  const kind: ConflictRecord['kind'] = entry.op === 'create' ? 'create-create' : 'edit-edit';
  if (policy === 'client-wins') {
    return {
      kind: 'put',
      ics: local ?? '',
      precondition: ifMatch,
      conflict: { kind, current: 'local', server: server.ics, ...localPart },
    };
  }
  if (policy === 'merge' && entry.baseIcs !== undefined && local !== undefined) {
    const merged = mergeIcs(entry.baseIcs, local, server.ics);
    if (merged.ok) {
      const conflict: ConflictDraft | undefined =
        merged.conflicts.length > 0
          ? { kind, current: 'merged', server: server.ics, local, properties: [...merged.conflicts] }
          : undefined;
      const withConflict = conflict === undefined ? {} : { conflict };
      if (sameContent(merged.ics, server.ics)) return { kind: 'server', ...withConflict };
      return { kind: 'put', ics: merged.ics, precondition: ifMatch, ...withConflict };
    }
  }
  // server-wins, or nothing to merge against: the server's version stays, ours is kept.
  return { kind: 'server', conflict: { kind, current: 'server', server: server.ics, ...localPart } };
}
