import type { ConflictRecord, ObjectRecord, OutboxRecord } from './records.ts';

/** A local edit of one object: the row to show and the outbox entry to keep (null = remove). */
export interface LocalChange {
  readonly calendarId: string;
  readonly href: string;
  readonly row: ObjectRecord | null;
  readonly entry: OutboxRecord | null;
}

/** What a finished push leaves behind for one object. */
export interface PushOutcome {
  /** The server-confirmed row, or null when the object no longer exists. */
  readonly row: ObjectRecord | null;
  readonly conflict?: ConflictRecord;
}
