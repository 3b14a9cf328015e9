import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { toCalsyncError } from '../api/errors.ts';
import type { CalsyncDB } from './schema.ts';

/** Durability per kind of write: strict for local edits, the outbox and accounts; relaxed for pulls. */
export const RELAXED = { durability: 'relaxed' } as const;
export const STRICT = { durability: 'strict' } as const;

/**
 * Runs `body` in one readwrite transaction. If `body` throws, the transaction is aborted
 * (nothing of it is stored) and the error is rethrown as a CalsyncError (`quota` when the
 * browser is out of room). `body` must await only IndexedDB requests.
 */
export async function writeTx<Names extends StoreNames<CalsyncDB>[], T>(
  db: IDBPDatabase<CalsyncDB>,
  stores: Names,
  options: { durability: 'strict' | 'relaxed' },
  body: (tx: IDBPTransaction<CalsyncDB, Names, 'readwrite'>) => Promise<T>,
): Promise<T> {
  try {
    const tx = db.transaction(stores, 'readwrite', options);
    let result: T;
    try {
      result = await body(tx);
    } catch (error) {
      // A failed request may have aborted the transaction already (fake-indexeddb does so
      // before our code resumes): abort() then throws InvalidStateError, which must not
      // replace the request's own error (a quota error would surface as `internal`).
      try {
        tx.abort();
      } catch {
        // already aborted
      }
      // The abort's own rejection: the caller gets the error that caused it.
      await tx.done.catch(() => undefined);
      throw error;
    }
    await tx.done;
    return result;
  } catch (error) {
    throw toCalsyncError(error, 'internal');
  }
}

/** Key range of every row of one calendar in a store keyed by [calendarId, href]. */
export function calendarRange(calendarId: string): IDBKeyRange {
  // Array keys sort after every string and number, so [id, []] bounds all [id, href].
  return IDBKeyRange.bound([calendarId], [calendarId, []]);
}
