/**
 * What the sync engine stores about one calendar object resource (one .ics on the
 * server: a VCALENDAR holding one UID, possibly with RECURRENCE-ID overrides).
 * Produced by `indexObject` from the raw ICS; everything here is derived and can be
 * recomputed from `ics`, which stays the source of truth.
 */
export interface IndexedFields {
  /** UID of the master (or of the first component when there is no master). */
  uid: string;
  /** Main component type: 'VEVENT', 'VTODO', 'VJOURNAL' … */
  componentType: string;
  summary?: string;
  location?: string;
  description?: string;
  /** DTSTART of the master as UTC epoch ms (all-day: midnight UTC of the date). */
  start: number;
  /** End of the first instance as UTC epoch ms (DTEND, or DTSTART+DURATION, or RFC 5545 defaults). */
  end: number;
  allDay: boolean;
  /** IANA (or resolved) TZID of DTSTART; absent for UTC, floating and all-day values. */
  timezone?: string;
  /** True when a TZID could not be resolved and the time was read as floating (UTC). */
  timezoneUnresolved?: boolean;
  /** DTSTART is a floating date-time (read as UTC wall time: show it at that clock time in any zone). */
  floating?: boolean;
  /** True when the object has RRULE or RDATE (then it is a series). */
  recurring: boolean;
  /**
   * The time span that any instance of the object may touch, UTC epoch ms, for
   * range indexing: [rangeStart, rangeEnd). `rangeEnd` is `Number.POSITIVE_INFINITY`
   * for unbounded series. Overrides moved outside the rule are included.
   */
  rangeStart: number;
  rangeEnd: number;
}

/** One expanded occurrence of an object within a query window. */
export interface Occurrence {
  uid: string;
  /** RECURRENCE-ID of this instance as ISO string (UTC, or a date for all-day); absent for non-recurring objects. */
  recurrenceId?: string;
  summary: string;
  /** ISO 8601: `YYYY-MM-DDTHH:mm:ss.sssZ` for timed events, `YYYY-MM-DD` for all-day events. */
  start: string;
  end: string;
  /** Same instants as epoch ms (all-day: midnight UTC), for sorting and window checks. */
  startMs: number;
  endMs: number;
  allDay: boolean;
  timezone?: string;
  /** Floating times: `start`/`end` are wall-clock times written as UTC. */
  floating?: boolean;
  location?: string;
  description?: string;
}
