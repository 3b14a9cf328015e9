import ICAL from 'ical.js';
import { failData, type Result } from '../result.ts';
import { calendarComponent } from '../time/embedded-zones.ts';

/** Outcome of {@link parseCalendar}: unreadable data is an expected result, not an exception. */
export type ParseResult = Result<{ calendar: ICAL.Component }>;

/** Picks the first VCALENDAR out of what `ICAL.parse` returned (one component or a list). */
function firstCalendar(jcal: unknown): unknown[] | undefined {
  if (!Array.isArray(jcal)) return undefined;
  const roots: unknown[] = typeof jcal[0] === 'string' ? [jcal] : jcal;
  for (const root of roots) {
    if (Array.isArray(root) && typeof root[0] === 'string' && root[0].toLowerCase() === 'vcalendar') return root;
  }
  return undefined;
}

/**
 * Parses ICS text into an ical.js VCALENDAR component. Never throws: ical.js reports bad
 * input with `ParserError`, but also with plain `Error` and `TypeError`, so everything is
 * caught and returned as a `bad-data` {@link CalsyncError}. Empty text and text without a
 * VCALENDAR are `bad-data` too. When the text holds several VCALENDARs, the first is used.
 * Embedded VTIMEZONEs are checked and shared (`resolveEmbeddedZones`).
 */
export function parseCalendar(ics: string): ParseResult {
  if (typeof ics !== 'string' || ics.trim() === '') {
    return failData('The calendar data is empty.');
  }
  // A leading byte-order mark would become part of the first line's name.
  const text = ics.charCodeAt(0) === 0xfeff ? ics.slice(1) : ics;
  try {
    const root = firstCalendar(ICAL.parse(text));
    if (root === undefined) {
      return failData('The calendar data holds no VCALENDAR.');
    }
    return { ok: true, calendar: calendarComponent(root) };
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return failData(`The calendar data cannot be parsed: ${detail}`, cause);
  }
}
