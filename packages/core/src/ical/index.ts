/**
 * iCalendar reading for calsync: parsing, indexing and recurrence expansion of calendar
 * object resources. Pure functions over strings; no I/O.
 */
export type { ExpandOptions } from './expand.ts';
export { expandObject } from './expand.ts';
export type { IndexResult } from './index-object.ts';
export { indexObject, indexPrepared } from './index-object.ts';
export type { ParseResult } from './parse.ts';
export { parseCalendar } from './parse.ts';
export type { PreparedObject, PrepareResult } from './prepare.ts';
export { prepareCalendar, prepareObject } from './prepare.ts';
export type { ZoneInfo } from './timezones.ts';
export { ensureZone, WINDOWS_ZONES } from './timezones.ts';
export type { IndexedFields, Occurrence } from './types.ts';
