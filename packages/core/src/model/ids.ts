/** A random id for accounts and calendars. */
export function newId(): string {
  return crypto.randomUUID();
}

/**
 * Event ids are `calendarId|href`: stable across syncs and restarts without a lookup
 * table, and unique because objects are keyed by (calendar, href).
 */
export function eventIdOf(calendarId: string, href: string): string {
  return `${calendarId}|${href}`;
}

/**
 * The id of one occurrence: the event's id, plus `#` and the recurrence id for an instance of
 * a series (a canonical href holds no `#`). The same across syncs and reloads.
 */
export function occurrenceIdOf(eventId: string, recurrenceId: string | undefined): string {
  return recurrenceId === undefined || recurrenceId === '' ? eventId : `${eventId}#${recurrenceId}`;
}

/** Inverse of {@link eventIdOf}; undefined for a malformed id. */
export function parseEventId(eventId: string): { calendarId: string; href: string } | undefined {
  const bar = eventId.indexOf('|');
  if (bar <= 0 || bar === eventId.length - 1) return undefined;
  return { calendarId: eventId.slice(0, bar), href: eventId.slice(bar + 1) };
}
