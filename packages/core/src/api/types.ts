/** The public types of @calsync/core, one file per concept; this file gathers them. */

export type { Account, AccountInput, Calendar } from './accounts.ts';
export type { CalendarSync } from './calendar-sync.ts';
export type { Conflict, ConflictPolicy, ConflictResolution, PendingChange } from './conflicts.ts';
export type {
  CalendarEvent,
  EditOptions,
  EditScope,
  EventDetails,
  EventInput,
  EventOccurrence,
  EventPatch,
  EventQuery,
} from './events.ts';
export type { EventsListener, OccurrenceChange, SearchOptions, StatusListener } from './live.ts';
export type { CalendarSyncOptions, CalsyncLogger } from './options.ts';
export type {
  AccountSyncReport,
  CalendarSyncReport,
  PullMode,
  SyncErrorInfo,
  SyncEvent,
  SyncOptions,
  SyncReport,
  SyncStatus,
  SyncWarning,
} from './sync.ts';
