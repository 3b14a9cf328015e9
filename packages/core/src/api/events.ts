import type { Conflict } from './conflicts.ts';

/** Input of `createEvent`. Times are ISO 8601 strings or Dates. */
export interface EventInput {
  /** Title (SUMMARY). */
  summary: string;
  /**
   * A Date or an ISO string with `Z`/offset is an instant; an ISO string without offset is
   * wall time in `timezone` (required then); all-day events take `YYYY-MM-DD`.
   */
  start: string | Date;
  /** Exclusive end, in the same forms as `start`; must be after it. */
  end: string | Date;
  /** An all-day event (`YYYY-MM-DD` dates, `timezone` ignored); default `false`. */
  allDay?: boolean;
  /** IANA zone (e.g. `Europe/Berlin`) the times are written in, with a VTIMEZONE; without it, UTC. */
  timezone?: string;
  /** Location text (LOCATION). */
  location?: string;
  /** Description text (DESCRIPTION). */
  description?: string;
  /** RFC 5545 recurrence rule, e.g. `FREQ=WEEKLY;BYDAY=MO` (an `RRULE:` prefix is allowed). */
  rrule?: string;
  /** UID to write; default a random UUID. One the calendar already has rejects with `invalid-input`. */
  uid?: string;
}

/** Changes of `updateEvent`; absent fields stay as they are, `null` removes an optional text. */
export interface EventPatch {
  /** New title. */
  summary?: string;
  /** New start, in the forms of `EventInput.start`; absent keeps the start instant. */
  start?: string | Date;
  /** New exclusive end; absent keeps the event's length. */
  end?: string | Date;
  /** Switches between all-day and timed (without a new end: one day / one hour long). */
  allDay?: boolean;
  /** New IANA zone the times are written in; `null` writes them in UTC; absent keeps the zone. */
  timezone?: string | null;
  /** New location; `null` removes it. */
  location?: string | null;
  /** New description; `null` removes it. */
  description?: string | null;
  /** New RRULE text, or `null` to make the event single. Only with scope `'all'` (or `'future'`). */
  rrule?: string | null;
}

/** Which occurrences of a recurring event an edit applies to. */
export type EditScope = 'this' | 'future' | 'all';

/** Options of `updateEvent` / `deleteEvent` for recurring events. */
export interface EditOptions {
  /** The occurrence's original start (its `recurrenceId` from `listEvents`). Required for `'this'`/`'future'`. */
  occurrence?: string | Date;
  /** Default: `'this'` when an occurrence is given, else `'all'`. */
  scope?: EditScope;
}

/** The fields a person compares in one version of an event (see {@link Conflict}); each absent when unset. */
export interface EventDetails {
  /** Title. */
  readonly summary?: string;
  /** Start (of a series: its first occurrence), formatted as `EventOccurrence.start`. */
  readonly start?: string;
  /** Exclusive end, same format. */
  readonly end?: string;
  /** An all-day event. */
  readonly allDay?: boolean;
  /** IANA zone the event is written in; absent for UTC, floating and all-day times. */
  readonly timezone?: string;
  /** Location text. */
  readonly location?: string;
  /** Description text. */
  readonly description?: string;
  /** Recurrence rule as written, for a series. */
  readonly rrule?: string;
}

/** One occurrence of an event inside a query window (recurrences expanded). */
export interface EventOccurrence {
  /**
   * Stable id of this occurrence, the same across syncs and reloads: `eventId` for a single
   * event, `eventId#recurrenceId` for an instance of a series (e.g. a key for UI lists).
   */
  readonly occurrenceId: string;
  /** Id of the stored object (the whole series for recurring events); use with `getEvent`. */
  readonly eventId: string;
  /** The event's calendar. */
  readonly calendarId: string;
  /** The event's UID. */
  readonly uid: string;
  /** Present for occurrences of a recurring event: the instance's original start. */
  readonly recurrenceId?: string;
  /** Title; `''` when the event has none. */
  readonly summary: string;
  /** ISO 8601 UTC (`…Z`) for timed events, `YYYY-MM-DD` for all-day events. */
  readonly start: string;
  /** Exclusive end, in the format of `start` (all-day: the day after the last day). */
  readonly end: string;
  /** An all-day occurrence: `start` and `end` are `YYYY-MM-DD` dates. */
  readonly allDay: boolean;
  /** IANA zone the event is written in; absent for UTC, floating and all-day times. */
  readonly timezone?: string;
  /**
   * Floating time (no zone in the data, RFC 5545 §3.3.5): `start`/`end` are the wall-clock
   * times written as UTC (`10:00:00.000Z` means 10:00 wherever the user is). Show them at
   * that clock time in the viewer's zone, not converted from UTC. Absent otherwise.
   */
  readonly floating?: true;
  /** Location text, when set. */
  readonly location?: string;
  /** Description text, when set. */
  readonly description?: string;
  /** Has an unsynced local change. */
  readonly pending: boolean;
  /** Has an open conflict. */
  readonly conflict: boolean;
}

/** A stored calendar object (a single event or a whole series), with its raw ICS. */
export interface CalendarEvent {
  /** Stable id of the object, for `getEvent`, `updateEvent` and `deleteEvent`. */
  readonly eventId: string;
  /** Its calendar. */
  readonly calendarId: string;
  /** Absolute URL of the object resource on the server (for a local create: where it will be written). */
  readonly href: string;
  /** ETag of the last server version stored; absent for a local create not yet pushed. */
  readonly etag?: string;
  /** UID of the object; absent when `invalid`. */
  readonly uid?: string;
  /** Title; absent when the event has none or is `invalid`. */
  readonly summary?: string;
  /** Start of the event (of a series: its first occurrence), formatted as `EventOccurrence.start`; absent when `invalid`. */
  readonly start?: string;
  /** Exclusive end of that (first) occurrence, same format; absent when `invalid`. */
  readonly end?: string;
  /** An all-day event (`start`/`end` are dates); absent when `invalid`. */
  readonly allDay?: boolean;
  /** IANA zone the event is written in; absent for UTC, floating and all-day times. */
  readonly timezone?: string;
  /** Floating time: `start`/`end` are wall-clock times written as UTC (see `EventOccurrence.floating`). */
  readonly floating?: true;
  /** Location text, when set. */
  readonly location?: string;
  /** Description text, when set. */
  readonly description?: string;
  /** A series (has RRULE or RDATE); absent when `invalid`. */
  readonly recurring?: boolean;
  /** The series' recurrence rule as written (`FREQ=WEEKLY;BYDAY=MO,WE`); absent when it has none. */
  readonly rrule?: string;
  /** The object's ICS as the replica holds it: the server's version, or this device's unsynced edit (`pending`). */
  readonly ics: string;
  /** The server's data could not be parsed; it is kept raw and not shown in `listEvents`. */
  readonly invalid: boolean;
  /** Why the data could not be parsed; only when `invalid`. */
  readonly invalidReason?: string;
  /** Has an unsynced local change (see `listPending`). */
  readonly pending: boolean;
  /** Has an open conflict (see `listConflicts`). */
  readonly conflict: boolean;
}

/** Query of `listEvents`: occurrences overlapping the half-open window [start, end). */
export interface EventQuery {
  /** Window start (inclusive): ISO string or Date. */
  start: string | Date;
  /** Window end (exclusive); must be after `start`. */
  end: string | Date;
  /** Only these calendars; default all. */
  calendarIds?: string[];
}
