import { CalsyncError } from '../api/errors.ts';
import type { OutboxRecord } from '../model/records.ts';

/** A local edit of one object, before it is merged into the object's outbox entry. */
export type LocalEdit =
  | { readonly kind: 'create'; readonly ics: string }
  | { readonly kind: 'update'; readonly ics: string }
  | { readonly kind: 'delete' };

/** What is known of the object when the edit is made. */
export interface EditContext {
  readonly id: string;
  readonly calendarId: string;
  readonly accountId: string;
  readonly href: string;
  readonly uid?: string | undefined;
  readonly summary?: string | undefined;
  /** The server version the replica holds (absent for objects never synced). */
  readonly serverEtag?: string | undefined;
  readonly serverIcs?: string | undefined;
  readonly now: number;
}

/**
 * Folds a new edit into the object's pending outbox entry (DESIGN.md "Push"):
 *
 * | pending \ new | create | update            | delete            |
 * |---------------|--------|-------------------|-------------------|
 * | (none)        | create | update (base now) | delete (base now) |
 * | create        | —      | create            | (nothing)         |
 * | update        | —      | update (same base)| delete (same base)|
 * | delete        | —      | —                 | —                 |
 *
 * Returns the entry to keep, or null when nothing needs sending. Impossible combinations
 * (editing an object already deleted locally, creating over a pending object) are
 * `invalid-input` errors. Pure.
 */
export function coalesce(existing: OutboxRecord | undefined, edit: LocalEdit, ctx: EditContext): OutboxRecord | null {
  if (!existing) return fresh(edit, ctx);
  if (existing.op === 'delete') {
    throw new CalsyncError('invalid-input', 'This event was deleted on this device and cannot be changed.', {
      retryable: false,
    });
  }
  if (edit.kind === 'create') {
    throw new CalsyncError('invalid-input', 'An event with this UID already exists in the calendar.', {
      retryable: false,
    });
  }
  const touched = {
    updatedAt: ctx.now,
    revision: existing.revision + 1,
    // A new edit gets a fresh chance: a quarantined entry is retried with the new content.
    state: 'pending' as const,
    attempts: 0,
    ...(ctx.summary === undefined ? {} : { summary: ctx.summary }),
  };
  const { nextAttemptAt: _next, lastError: _error, ...rest } = existing;
  if (edit.kind === 'delete') {
    if (existing.op === 'create') return null;
    const { ics: _ics, ...withoutIcs } = rest;
    return { ...withoutIcs, ...touched, op: 'delete' };
  }
  return { ...rest, ...touched, op: existing.op, ics: edit.ics };
}

function fresh(edit: LocalEdit, ctx: EditContext): OutboxRecord {
  const fields = {
    id: ctx.id,
    calendarId: ctx.calendarId,
    accountId: ctx.accountId,
    href: ctx.href,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    revision: 1,
    attempts: 0,
    state: 'pending' as const,
    ...(ctx.uid === undefined ? {} : { uid: ctx.uid }),
    ...(ctx.summary === undefined ? {} : { summary: ctx.summary }),
  };
  if (edit.kind === 'create') return { ...fields, op: 'create', ics: edit.ics };
  const base = {
    ...fields,
    ...(ctx.serverEtag === undefined ? {} : { baseEtag: ctx.serverEtag }),
    ...(ctx.serverIcs === undefined ? {} : { baseIcs: ctx.serverIcs }),
  };
  return edit.kind === 'update' ? { ...base, op: 'update', ics: edit.ics } : { ...base, op: 'delete' };
}
