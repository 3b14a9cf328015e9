/**
 * @calsync/core — offline-first CalDAV sync for web apps.
 *
 * `createCalendarSync()` starts the engine (in a Worker by default) over a local
 * IndexedDB replica of the user's CalDAV calendars.
 */

export { createCalendarSync } from './api/create.ts';
export { CalsyncError, type ErrorCode, isCalsyncError } from './api/errors.ts';
export type {
  Account,
  AccountInput,
  AccountSyncReport,
  Calendar,
  CalendarEvent,
  CalendarSync,
  CalendarSyncOptions,
  CalendarSyncReport,
  CalsyncLogger,
  Conflict,
  ConflictPolicy,
  ConflictResolution,
  EditOptions,
  EditScope,
  EventDetails,
  EventInput,
  EventOccurrence,
  EventPatch,
  EventQuery,
  EventsListener,
  OccurrenceChange,
  PendingChange,
  PullMode,
  SearchOptions,
  StatusListener,
  SyncErrorInfo,
  SyncEvent,
  SyncOptions,
  SyncReport,
  SyncStatus,
  SyncWarning,
} from './api/types.ts';
export type { WorkerCalendarSync } from './worker/client.ts';
