import ICAL from 'ical.js';
import type { EventInput } from '../../api/types.ts';
import { CalsyncError } from '../../api/errors.ts';
import { type JComponent, type JProperty, writeDocument } from '../read/document.ts';
import { stampProperty, timeProperty } from './event-time.ts';
import { resolveTimes } from './event-times.ts';
import { parseRuleText, ruleJcal } from '../expand/rrule-text.ts';
import { addMissingVtimezones } from '../time/vtimezone.ts';

/** PRODID written into new objects. */
export const PRODID = '-//calsync//calsync//EN';

/** Outcome of {@link createEventIcs}. */
export type CreateEventResult = { ok: true; ics: string; uid: string } | { ok: false; error: CalsyncError };

/** An `invalid-input` error. */
export function invalidInput(message: string): CalsyncError {
  return new CalsyncError('invalid-input', message);
}

function optionalText(value: unknown, name: string): string | undefined | CalsyncError {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : invalidInput(`${name} must be a string.`);
}

/**
 * Writes a new calendar object resource (a VCALENDAR with one VEVENT) for `input`.
 *
 * Time semantics: a Date, or an ISO string with `Z` or an offset, is an instant; with
 * `timezone` it is written as the wall time it has in that zone
 * (`DTSTART;TZID=Europe/Berlin:20261210T100000`), without one in UTC (`…Z`). An ISO string
 * without offset is a wall time in `timezone`, and is refused without one (it would depend
 * on the reader's zone). All-day events take `YYYY-MM-DD` strings (or a Date's UTC date) and
 * are written as `VALUE=DATE`, with an exclusive end date (`timezone` is then ignored).
 * The UID is `options.uid`, else `input.uid`, else `crypto.randomUUID()`.
 *
 * Validation (`invalid-input`, nothing written): summary must be a string; start/end must
 * parse and end be after start; `timezone` must be a zone timezones-ical-library knows
 * (written under its canonical IANA name); `rrule` must be a valid RFC 5545 rule.
 *
 * Written with ical.js, with a VTIMEZONE for every TZID. The `ics` package is not used: it
 * cannot write TZIDs or VTIMEZONEs (UTC and floating times only). Never throws.
 */
export function createEventIcs(input: EventInput, options: { now: number; uid?: string }): CreateEventResult {
  try {
    if (typeof input !== 'object' || input === null) return { ok: false, error: invalidInput('No event given.') };
    if (typeof input.summary !== 'string') return { ok: false, error: invalidInput('summary must be a string.') };
    const location = optionalText(input.location, 'location');
    const description = optionalText(input.description, 'description');
    for (const value of [location, description]) if (value instanceof CalsyncError) return { ok: false, error: value };
    const times = resolveTimes(
      { start: input.start, end: input.end, allDay: input.allDay ?? false, timezone: input.timezone ?? null },
      undefined,
    );
    if (typeof times === 'string') return { ok: false, error: invalidInput(times) };
    if (times.end === 'keep') return { ok: false, error: invalidInput('end is required.') };
    let rule: ICAL.Recur | undefined;
    if (input.rrule !== undefined) {
      const anchor = ICAL.Time.fromData({ ...times.start, isDate: times.style.kind === 'date' });
      const parsed = parseRuleText(input.rrule, anchor);
      if (typeof parsed === 'string') return { ok: false, error: invalidInput(parsed) };
      rule = parsed;
    }
    const givenUid = options.uid ?? input.uid;
    if (givenUid !== undefined && (typeof givenUid !== 'string' || givenUid.trim() === '')) {
      return { ok: false, error: invalidInput('uid must be a non-empty string.') };
    }
    const uid = givenUid ?? crypto.randomUUID();
    const properties: JProperty[] = [
      ['uid', {}, 'text', uid],
      stampProperty('dtstamp', options.now),
      stampProperty('created', options.now),
      stampProperty('last-modified', options.now),
      ['sequence', {}, 'integer', 0],
      ['summary', {}, 'text', input.summary],
      timeProperty('dtstart', [times.start], times.style),
      timeProperty('dtend', [times.end], times.style),
    ];
    if (typeof location === 'string') properties.push(['location', {}, 'text', location]);
    if (typeof description === 'string') properties.push(['description', {}, 'text', description]);
    if (rule !== undefined) properties.push(['rrule', {}, 'recur', ruleJcal(rule)]);
    const calendar: JComponent = [
      'vcalendar',
      [
        ['version', {}, 'text', '2.0'],
        ['prodid', {}, 'text', PRODID],
        ['calscale', {}, 'text', 'GREGORIAN'],
      ],
      [['vevent', properties, []]],
    ];
    addMissingVtimezones(calendar);
    return { ok: true, ics: writeDocument(calendar), uid };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: new CalsyncError('internal', `Could not write the event: ${message}`, { cause }) };
  }
}
