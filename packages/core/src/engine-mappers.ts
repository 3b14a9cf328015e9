import type { Conflict, PendingChange } from './api-types.ts';
import type { ConflictRecord, OutboxRecord } from './store/schema.ts';
import { eventIdOf } from './util/ids.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Public shape of an outbox entry. */
export function toPendingChange(entry: OutboxRecord, accountPaused: boolean): PendingChange {
  return {
    id: entry.id,
    eventId: eventIdOf(entry.calendarId, entry.href),
    calendarId: entry.calendarId,
    accountId: entry.accountId,
    operation: entry.op,
    createdAt: iso(entry.createdAt),
    updatedAt: iso(entry.updatedAt),
    attempts: entry.attempts,
    state: entry.state === 'quarantined' ? 'quarantined' : accountPaused ? 'paused' : 'pending',
    ...(entry.summary === undefined ? {} : { summary: entry.summary }),
    ...(entry.nextAttemptAt === undefined ? {} : { nextAttemptAt: iso(entry.nextAttemptAt) }),
    ...(entry.lastError === undefined
      ? {}
      : {
          lastError: {
            code: entry.lastError.code as NonNullable<PendingChange['lastError']>['code'],
            message: entry.lastError.message,
            ...(entry.lastError.status === undefined ? {} : { status: entry.lastError.status }),
            ...(entry.lastError.serverMessage === undefined ? {} : { serverMessage: entry.lastError.serverMessage }),
          },
        }),
  };
}

/** Public shape of a stored conflict. */
export function toConflict(record: ConflictRecord): Conflict {
  return {
    id: record.id,
    eventId: eventIdOf(record.calendarId, record.href),
    calendarId: record.calendarId,
    kind: record.kind,
    current: record.current,
    properties: record.properties,
    createdAt: iso(record.createdAt),
    ...(record.uid === undefined ? {} : { uid: record.uid }),
    ...(record.summary === undefined ? {} : { summary: record.summary }),
    ...(record.base === undefined ? {} : { base: record.base }),
    ...(record.local === undefined ? {} : { local: record.local }),
    ...(record.server === undefined ? {} : { server: record.server }),
  };
}
