/** Builds stored rows for the search tests: ICS written with RFC 5545 escapes, CRLF. */
import { calendar, vevent } from '../ical/test-ics.ts';
import type { ObjectRecord } from '../model/records.ts';

/** The texts of a test event. */
export interface EventTexts {
  readonly summary?: string;
  readonly location?: string;
  readonly description?: string;
  /** Attendees' names (CN). */
  readonly attendees?: readonly string[];
  readonly categories?: readonly string[];
}

/** §3.3.11 TEXT escaping. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

/** The ICS of one event with these texts. */
export function eventIcs(uid: string, texts: EventTexts): string {
  const lines = [`UID:${uid}`, 'DTSTART:20260105T100000Z', 'DTEND:20260105T110000Z'];
  if (texts.summary !== undefined) lines.push(`SUMMARY:${escapeText(texts.summary)}`);
  if (texts.location !== undefined) lines.push(`LOCATION:${escapeText(texts.location)}`);
  if (texts.description !== undefined) lines.push(`DESCRIPTION:${escapeText(texts.description)}`);
  for (const [i, name] of (texts.attendees ?? []).entries()) {
    lines.push(`ATTENDEE;CN="${name.replace(/"/g, "^'")}";PARTSTAT=ACCEPTED:mailto:a${i}@example.com`);
  }
  if (texts.categories !== undefined && texts.categories.length > 0) {
    lines.push(`CATEGORIES:${texts.categories.map(escapeText).join(',')}`);
  }
  return calendar(vevent(...lines));
}

/** A stored row holding `ics` (state 'ok'; `summary` as the indexer would set it). */
export function rowOf(calendarId: string, href: string, ics: string, summary?: string): ObjectRecord {
  const row: ObjectRecord = { calendarId, href, etag: '"1"', ics, state: 'ok', rangeStart: 0, rangeEnd: 1 };
  if (summary !== undefined) row.summary = summary;
  return row;
}

/** A stored row of one event with these texts. */
export function eventRow(calendarId: string, href: string, texts: EventTexts): ObjectRecord {
  return rowOf(calendarId, href, eventIcs(href, texts), texts.summary);
}
