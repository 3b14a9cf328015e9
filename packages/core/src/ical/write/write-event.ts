import ICAL from 'ical.js';
import { CalsyncError } from '../../api/errors.ts';
import type { EventInput } from '../../api/types.ts';
import { parseRuleText, ruleJcal } from '../expand/rrule-text.ts';
import { type JComponent, type JProperty, writeDocument } from '../read/document.ts';
import { fail, failInput, type Result } from '../result.ts';
import { addMissingVtimezones } from '../time/vtimezone.ts';
import { stampProperty, timeProperty } from './event-time.ts';
import { resolveTimes } from './event-times.ts';

/** PRODID written into new objects. */
export const PRODID = '-//calsync//calsync//EN';

/** Outcome of {@link createEventIcs}. */
export type CreateEventResult = Result<{ ics: string; uid: string }>;

function optionalText(value: unknown, name: string): Result<{ text: string | undefined }> {
  if (value === undefined || typeof value === 'string') return { ok: true, text: value };
  return failInput(`${name} must be a string.`);
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
    if (typeof input !== 'object' || input === null) return failInput('No event given.');
    if (typeof input.summary !== 'string') return failInput('summary must be a string.');
    const location = optionalText(input.location, 'location');
    if (!location.ok) return location;
    const description = optionalText(input.description, 'description');
    if (!description.ok) return description;
    const resolved = resolveTimes(
      { start: input.start, end: input.end, allDay: input.allDay ?? false, timezone: input.timezone ?? null },
      undefined,
    );
    if (!resolved.ok) return resolved;
    const { times } = resolved;
    if (times.end === 'keep') return failInput('end is required.');
    let rule: ICAL.Recur | undefined;
    if (input.rrule !== undefined) {
      const anchor = ICAL.Time.fromData({ ...times.start, isDate: times.style.kind === 'date' });
      const parsed = parseRuleText(input.rrule, anchor);
      if (!parsed.ok) return parsed;
      rule = parsed.rule;
    }
    const givenUid = options.uid ?? input.uid;
    if (givenUid !== undefined && (typeof givenUid !== 'string' || givenUid.trim() === '')) {
      return failInput('uid must be a non-empty string.');
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
    if (location.text !== undefined) properties.push(['location', {}, 'text', location.text]);
    if (description.text !== undefined) properties.push(['description', {}, 'text', description.text]);
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
    return fail(new CalsyncError('internal', `Could not write the event: ${message}`, { cause }));
  }
}
