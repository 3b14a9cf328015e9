/** Helpers shared by the outbox tests (not shipped: `test-*.ts`). */
import { expect } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import type { CalendarRecord } from '../model/records.ts';

/** A stored event calendar of `accountId`, with `extra` fields changed. */
export function calendarRecord(
  accountId: string,
  id: string,
  url: string,
  extra: Partial<CalendarRecord> = {},
): CalendarRecord {
  return {
    id,
    accountId,
    url,
    displayName: id,
    components: ['VEVENT'],
    readOnly: false,
    supportsSyncCollection: true,
    ...extra,
  };
}

/** Deletes an IndexedDB database (after its connections were closed). */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** The CalsyncError `promise` rejects with (fails the test when it resolves or rejects otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<CalsyncError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CalsyncError);
  return error as CalsyncError;
}
