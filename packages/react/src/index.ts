/**
 * @calsync/react — React hooks over @calsync/core: live events of a window and the live
 * sync status, re-rendering on every change (sync, local edit, another tab).
 *
 * @packageDocumentation
 */

export { type EventsState, useEvents } from './use-events.ts';
export { useSyncStatus } from './use-sync-status.ts';
