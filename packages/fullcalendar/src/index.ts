/**
 * @calsync/fullcalendar — FullCalendar (v6) over calsync: a live event source that applies
 * each change in place, editing handlers that write drags, resizes and selections back,
 * and the occurrence → `EventInput` mapper.
 */

export { type ChangeContext, changePatch, type EventTimes, type EventUpdate, selectionInput } from './edit-patch.ts';
export {
  type CalsyncEditing,
  type CalsyncEditingOptions,
  calsyncEditing,
  type EventEditArg,
} from './editing.ts';
export {
  type CalsyncEventInput,
  type CalsyncEventProps,
  CONFLICT_CLASS,
  calsyncEventProps,
  type EventInputExtras,
  PENDING_CLASS,
  RECURRING_CLASS,
  textColorFor,
  toEventInput,
} from './event-input.ts';
export { type CalsyncEventSource, type CalsyncEventSourceOptions, calsyncEventSource } from './event-source.ts';
