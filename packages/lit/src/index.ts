/**
 * @calsync/lit — reactive controllers that keep Lit elements in step with calsync: a live
 * window of events ({@link EventsController}) and the sync status ({@link SyncStatusController}).
 */

export { EventsController } from './events-controller.ts';
export { queryKey } from './query-key.ts';
export { SyncStatusController } from './sync-status-controller.ts';
