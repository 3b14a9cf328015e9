import type { EventQuery } from '@calsync/core';

/**
 * A query as a string that is equal exactly when two queries ask for the same window:
 * start and end as instants, the calendars as a list. An app may build a new query
 * object on every render; only a different window opens a new watcher.
 */
export function queryKey(query: EventQuery): string {
  const instant = (value: string | Date) => {
    const ms = value instanceof Date ? value.getTime() : Date.parse(value);
    // An unreadable value keeps its text: calsync rejects it with `invalid-input`.
    return Number.isNaN(ms) ? `?${String(value)}` : String(ms);
  };
  return JSON.stringify([instant(query.start), instant(query.end), query.calendarIds ?? null]);
}
