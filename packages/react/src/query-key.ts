import type { EventQuery } from '@calsync/core';

/**
 * A string equal for two queries exactly when calsync reads them as the same window:
 * `start` and `end` as instants (a Date and its ISO string are one), `calendarIds` as a
 * set (order and repeats do not matter; absent, meaning all calendars, differs from `[]`).
 * So a query literal written inline, new on every render, keeps its watch.
 */
export function queryKey(query: EventQuery): string {
  const ids = query.calendarIds === undefined ? null : [...new Set(query.calendarIds)].sort();
  return JSON.stringify([instant(query.start), instant(query.end), ids]);
}

/** Epoch ms as calsync parses it; an unreadable value keeps its text (calsync rejects it with `invalid-input`). */
function instant(value: string | Date): number | string {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : `invalid:${String(value)}`;
}
