import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { sameContent } from '../ical/index.ts';
import type { LocalChange, PushOutcome } from '../model/outbox.ts';
import type { ConflictRecord, ObjectRecord, OutboxRecord } from '../model/records.ts';
import type { OutboxQueue } from './port.ts';
import { readRow, type WritableRows, writeOne } from './rows.ts';
import type { CalsyncDB } from './schema.ts';
import { calendarRange, STRICT, writeTx } from './tx.ts';

/**
 * Outbox and conflict storage. Every local edit is written together with its outbox entry
 * in one strict transaction, so an edit the app saw succeed survives a crash or reload.
 */
export class OutboxStore implements OutboxQueue {
  constructor(private readonly db: IDBPDatabase<CalsyncDB>) {}

  /** Writes rows and outbox entries of one user action atomically (a split writes two objects). */
  async recordChanges(changes: readonly LocalChange[]): Promise<void> {
    await writeTx(this.db, ['pages', 'singleRows', 'outbox'], STRICT, async (tx) => {
      const rows = rowStores(tx);
      for (const change of changes) {
        await writeOne(rows, change.calendarId, change.href, change.row ?? undefined);
        if (change.entry) await tx.objectStore('outbox').put(change.entry);
        else await tx.objectStore('outbox').delete([change.calendarId, change.href]);
      }
    });
  }

  async get(calendarId: string, href: string): Promise<OutboxRecord | undefined> {
    return this.db.get('outbox', [calendarId, href]);
  }

  async getById(id: string): Promise<OutboxRecord | undefined> {
    return this.db.getFromIndex('outbox', 'by-id', id);
  }

  /** Entries of one account (or all), oldest first. */
  async list(accountId?: string): Promise<OutboxRecord[]> {
    const rows =
      accountId === undefined
        ? await this.db.getAll('outbox')
        : await this.db.getAllFromIndex('outbox', 'by-account', accountId);
    return rows.sort((a, b) => a.createdAt - b.createdAt);
  }

  async count(): Promise<number> {
    return this.db.count('outbox');
  }

  async countForCalendar(calendarId: string): Promise<number> {
    return this.db.count('outbox', calendarRange(calendarId));
  }

  /**
   * Whether a calendar holds anything only this device has: outbox entries (pending or
   * quarantined) or open conflicts. Such a calendar is never removed with its data.
   */
  async hasLocalState(calendarId: string): Promise<boolean> {
    if ((await this.countForCalendar(calendarId)) > 0) return true;
    return (await this.db.countFromIndex('conflicts', 'by-object', calendarRange(calendarId))) > 0;
  }

  /**
   * Drops what this device holds for one object of a calendar deleted on the server: its
   * outbox entry, its conflicts and its row. Nothing is sent.
   */
  async discard(calendarId: string, href: string): Promise<void> {
    await writeTx(this.db, ['pages', 'singleRows', 'outbox', 'conflicts'], STRICT, async (tx) => {
      await tx.objectStore('outbox').delete([calendarId, href]);
      const conflicts = tx.objectStore('conflicts');
      for (const key of await conflicts.index('by-object').getAllKeys([calendarId, href])) await conflicts.delete(key);
      await writeOne(rowStores(tx), calendarId, href, undefined);
    });
  }

  /** Stores retry/quarantine bookkeeping, unless a newer edit replaced the entry meanwhile. */
  async updateBookkeeping(entry: OutboxRecord): Promise<void> {
    await writeTx(this.db, ['outbox'], STRICT, async (tx) => {
      const current = await tx.objectStore('outbox').get([entry.calendarId, entry.href]);
      if (!current) return;
      await tx.objectStore('outbox').put({
        ...current,
        attempts: entry.attempts,
        state: current.revision === entry.revision ? entry.state : 'pending',
        ...(entry.nextAttemptAt === undefined ? {} : { nextAttemptAt: entry.nextAttemptAt }),
        ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
      });
    });
  }

  /**
   * Records the end of a push: the server-confirmed row replaces the local one and the
   * entry is removed — unless the user edited the object again while the push was under
   * way (revision moved): then the newer edit stays queued, now based on what was pushed.
   */
  async complete(sent: OutboxRecord, outcome: PushOutcome): Promise<void> {
    await writeTx(this.db, ['calendars', 'pages', 'singleRows', 'outbox', 'conflicts'], STRICT, async (tx) => {
      const outbox = tx.objectStore('outbox');
      const rows = rowStores(tx);
      const current = await outbox.get([sent.calendarId, sent.href]);
      if (!current && sent.op !== 'delete' && !(await readRow(rows, sent.calendarId, sent.href))) {
        // Entry and row went while the push was under way. Its calendar removed, or the
        // object discarded (calendar deleted on the server): nothing comes back. Else the
        // user deleted it (create + delete cancelled out while the create was in flight):
        // the object now exists on the server, so that delete still has to be sent.
        const calendar = await tx.objectStore('calendars').get(sent.calendarId);
        if (!calendar || calendar.deletedOnServer) return;
        if (outcome.row && !outcome.conflict) {
          await outbox.put(deleteAfter(sent, outcome.row));
          return;
        }
      }
      const hasConflict =
        outcome.conflict !== undefined || (await this.#hasConflict(tx.objectStore('conflicts'), sent));
      if (outcome.conflict) await tx.objectStore('conflicts').put(outcome.conflict);
      if (current && current.revision !== sent.revision) {
        // The later edit was made on the version sent: it is rebased only when the server now
        // holds that version. After a merge or a policy the server holds something else; the
        // edit keeps its old base, so the next push meets a 412 and merges (or applies the
        // policy) again instead of overwriting what the server added.
        const asSent = outcome.row !== null && (sent.ics === undefined || sameContent(outcome.row.ics, sent.ics));
        const rebased: OutboxRecord = current.op === 'create' && asSent ? { ...current, op: 'update' } : { ...current };
        if (outcome.row && asSent) {
          rebased.baseIcs = outcome.row.ics;
          if (outcome.row.etag !== undefined) rebased.baseEtag = outcome.row.etag;
        }
        if (rebased.op === 'delete' && outcome.row === null) {
          await outbox.delete([sent.calendarId, sent.href]);
          await writeOne(rows, sent.calendarId, sent.href, undefined);
          return;
        }
        await outbox.put(rebased);
        const row = await readRow(rows, sent.calendarId, sent.href);
        if (row) await writeOne(rows, sent.calendarId, sent.href, { ...row, conflict: hasConflict });
        return;
      }
      await outbox.delete([sent.calendarId, sent.href]);
      const confirmed = outcome.row ? { ...outcome.row, pending: false, conflict: hasConflict } : undefined;
      await writeOne(rows, sent.calendarId, sent.href, confirmed);
    });
  }

  async listConflicts(): Promise<ConflictRecord[]> {
    return (await this.db.getAll('conflicts')).sort((a, b) => a.createdAt - b.createdAt);
  }

  async getConflict(id: string): Promise<ConflictRecord | undefined> {
    return this.db.get('conflicts', id);
  }

  /** Removes a conflict, together with the local change that settles it (if any). */
  async settleConflict(conflict: ConflictRecord, change: LocalChange | undefined): Promise<void> {
    await writeTx(this.db, ['pages', 'singleRows', 'outbox', 'conflicts'], STRICT, async (tx) => {
      await tx.objectStore('conflicts').delete(conflict.id);
      const others = await tx.objectStore('conflicts').index('by-object').count([conflict.calendarId, conflict.href]);
      const rows = rowStores(tx);
      if (change) {
        const row = change.row ? { ...change.row, conflict: others > 0 } : undefined;
        await writeOne(rows, change.calendarId, change.href, row);
        if (change.entry) await tx.objectStore('outbox').put(change.entry);
        else await tx.objectStore('outbox').delete([change.calendarId, change.href]);
        return;
      }
      const row = await readRow(rows, conflict.calendarId, conflict.href);
      if (row) await writeOne(rows, conflict.calendarId, conflict.href, { ...row, conflict: others > 0 });
    });
  }

  async #hasConflict(
    conflicts: { index(name: 'by-object'): { count(key: [string, string]): Promise<number> } },
    entry: OutboxRecord,
  ): Promise<boolean> {
    return (await conflicts.index('by-object').count([entry.calendarId, entry.href])) > 0;
  }
}

/** The pages and single rows of a transaction that holds both. */
function rowStores(tx: IDBPTransaction<CalsyncDB, ArrayLike<StoreNames<CalsyncDB>>, 'readwrite'>): WritableRows {
  return { pages: tx.objectStore('pages'), singles: tx.objectStore('singleRows') };
}

/** The delete of an object the user removed while its push (confirmed as `row`) was in flight. */
function deleteAfter(sent: OutboxRecord, row: ObjectRecord): OutboxRecord {
  const { ics: _ics, nextAttemptAt: _next, lastError: _error, ...fields } = sent;
  return {
    ...fields,
    op: 'delete',
    ...(row.etag === undefined ? {} : { baseEtag: row.etag }),
    baseIcs: row.ics,
    revision: sent.revision + 1,
    attempts: 0,
    state: 'pending',
  };
}
