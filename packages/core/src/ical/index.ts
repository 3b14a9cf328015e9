/**
 * iCalendar for calsync: parsing, indexing and recurrence expansion of calendar object
 * resources, and writing them: creating events, editing and deleting events or occurrences
 * of a series, and merging concurrent edits. Pure functions over strings; no I/O.
 */

export type { ExpandOptions } from './expand/expand.ts';
export { expandObject } from './expand/expand.ts';
export { sameContent } from './read/compare.ts';
export type { IndexResult } from './read/index-object.ts';
export { indexObject, indexPrepared } from './read/index-object.ts';
export type { ParseResult } from './read/parse.ts';
export { parseCalendar } from './read/parse.ts';
export type { PreparedObject, PrepareResult } from './read/prepare.ts';
export { prepareCalendar, prepareObject } from './read/prepare.ts';
export { prepareRecent } from './read/prepared-cache.ts';
export type { ZoneInfo } from './time/timezones.ts';
export { ensureZone, WINDOWS_ZONES } from './time/timezones.ts';
export type { IndexedFields, Occurrence } from './types.ts';
export type { DeleteEventResult } from './write/delete-event.ts';
export { deleteFromEventIcs } from './write/delete-event.ts';
export type { EditIcsOptions, UpdateEventResult } from './write/edit-recurrence.ts';
export { updateEventIcs } from './write/edit-recurrence.ts';
export type { MergeResult } from './write/merge.ts';
export { mergeIcs } from './write/merge.ts';
export type { SplitResult } from './write/split-series.ts';
export type { CreateEventResult } from './write/write-event.ts';
export { createEventIcs, PRODID } from './write/write-event.ts';
