import type { ObjectRecord } from '../model/records.ts';
import { scanTexts } from './ics-scan.ts';

/**
 * The texts of one stored object that search reads, per field, each a newline-joined list of
 * values (a series' overrides add theirs). At most 64 Ki UTF-16 units in all (see
 * `TEXT_CAPS` in ics-scan.ts).
 */
export interface SearchableFields {
  /** The title shown (`row.summary`) first, then the other components' titles. */
  readonly summary: string;
  readonly location: string;
  readonly description: string;
  /** Names (CN) of the organizer and the attendees. */
  readonly attendees: string;
  readonly categories: string;
}

/**
 * Reads the searchable texts of a stored object from its ICS, every VEVENT/VTODO/VJOURNAL
 * of it (master and overrides). Never throws: unreadable lines are skipped, text is capped.
 */
export function searchableFields(row: ObjectRecord): SearchableFields {
  const texts = scanTexts(row.ics);
  return {
    summary: titleFirst(texts.summaries, row.summary).join('\n'),
    location: texts.locations.join('\n'),
    description: texts.descriptions.join('\n'),
    attendees: texts.attendees.join('\n'),
    categories: texts.categories.join('\n'),
  };
}

/** The master's title (the one shown) leads, for the ranking's "early in the title" bonus. */
function titleFirst(summaries: readonly string[], title: string | undefined): readonly string[] {
  const at = title === undefined ? -1 : summaries.indexOf(title);
  if (at <= 0) return summaries;
  return [summaries[at] as string, ...summaries.slice(0, at), ...summaries.slice(at + 1)];
}
