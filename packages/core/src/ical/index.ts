/**
 * iCalendar for calsync: parsing, indexing and recurrence expansion of calendar object
 * resources, and writing them: creating events, editing and deleting events or occurrences
 * of a series, and merging concurrent edits. Pure functions over strings; no I/O.
 */
export { sameContent } from './compare.ts';
export type { DeleteEventResult } from './delete-event.ts';
export { deleteFromEventIcs } from './delete-event.ts';
export type { EditIcsOptions, UpdateEventResult } from './edit-recurrence.ts';
export { updateEventIcs } from './edit-recurrence.ts';
export type { ExpandOptions } from './expand.ts';
export { expandObject } from './expand.ts';
export type { IndexResult } from './index-object.ts';
export { indexObject, indexPrepared } from './index-object.ts';
export type { MergeResult } from './merge.ts';
export { mergeIcs } from './merge.ts';
export type { ParseResult } from './parse.ts';
export { parseCalendar } from './parse.ts';
export type { PreparedObject, PrepareResult } from './prepare.ts';
export { prepareCalendar, prepareObject } from './prepare.ts';
export type { SplitResult } from './split-series.ts';
export type { ZoneInfo } from './timezones.ts';
export { ensureZone, WINDOWS_ZONES } from './timezones.ts';
export type { IndexedFields, Occurrence } from './types.ts';
export type { CreateEventResult } from './write-event.ts';
export { createEventIcs, PRODID } from './write-event.ts';
