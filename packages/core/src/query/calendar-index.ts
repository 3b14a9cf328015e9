import type { EventOccurrence } from '../api/types.ts';
import type { Occurrence } from '../ical/index.ts';
import { overlaps } from '../ical/time/time.ts';
import { eventIdOf, occurrenceIdOf } from '../model/ids.ts';
import type { ObjectRecord } from '../model/records.ts';
import { toIso } from '../util/dates.ts';
import { OccurrenceCache } from './occurrence-cache.ts';

// The in-memory index of one calendar that answers window queries: pure data and pure
// functions (no I/O, no timers). Single events sit sorted by start for binary search and
// need no parsing (their occurrence comes from the fields indexed at sync time); each series
// keeps an occurrence cache, expanded on demand.

/** Identifies one stored object. */
export interface ObjectKey {
  readonly calendarId: string;
  readonly href: string;
}

/** What the query index keeps per stored object (no ical.js objects). */
export interface Entry {
  readonly eventId: string;
  readonly href: string;
  /** The object's UID (every component of a stored object shares it). */
  readonly uid: string | undefined;
  readonly etag: string | undefined;
  readonly ics: string;
  readonly rangeStart: number;
  readonly rangeEnd: number;
  readonly pending: boolean;
  readonly conflict: boolean;
  /** Set for plain single events: their one occurrence, from the indexed fields. */
  readonly single: Occurrence | undefined;
  /** The expanded occurrences of everything else; `undefined` for plain single events (see `single`). */
  readonly occurrences: OccurrenceCache | undefined;
}

/** One calendar's index: single events sorted by start, series apart (they need expansion). */
export interface CalendarIndex {
  readonly singles: Entry[];
  readonly longestSingleMs: number;
  readonly series: Entry[];
  warmed: { from: number; to: number } | undefined;
}

/** One occurrence found by a query. */
export interface Found {
  readonly entry: Entry;
  readonly occurrence: Occurrence;
  readonly calendarId: string;
}

/** Indexes a calendar's stored rows; entries of `previous` whose row is unchanged are reused (their expansions too). */
export function buildIndex(
  calendarId: string,
  rows: readonly ObjectRecord[],
  previous: CalendarIndex | undefined,
): CalendarIndex {
  const old = new Map([...(previous?.singles ?? []), ...(previous?.series ?? [])].map((e) => [e.href, e]));
  const singles: Entry[] = [];
  const series: Entry[] = [];
  let longestSingleMs = 0;
  for (const row of rows) {
    if (row.state !== 'ok') continue;
    const reusable = old.get(row.href);
    const entry =
      reusable && reusable.etag === row.etag && reusable.ics === row.ics && reusable.pending === (row.pending ?? false)
        ? { ...reusable, conflict: row.conflict ?? false }
        : toEntry(calendarId, row);
    if (entry.single) {
      singles.push(entry);
      longestSingleMs = Math.max(longestSingleMs, entry.single.endMs - entry.single.startMs);
    } else {
      series.push(entry);
    }
  }
  singles.sort((a, b) => a.rangeStart - b.rangeStart);
  return { singles, longestSingleMs, series, warmed: undefined };
}

/** A new index: `index` with the objects at `hrefs` replaced by `rows` (same order; `undefined`: gone). */
export function patchIndex(
  calendarId: string,
  index: CalendarIndex,
  hrefs: readonly string[],
  rows: readonly (ObjectRecord | undefined)[],
): CalendarIndex {
  const changed = new Set(hrefs);
  const singles = index.singles.filter((e) => !changed.has(e.href));
  const series = index.series.filter((e) => !changed.has(e.href));
  let longestSingleMs = index.longestSingleMs;
  for (const row of rows) {
    if (row?.state !== 'ok') continue;
    const entry = toEntry(calendarId, row);
    if (!entry.single) {
      series.push(entry);
      continue;
    }
    longestSingleMs = Math.max(longestSingleMs, entry.single.endMs - entry.single.startMs);
    // Sorted insert keeps binary search valid.
    let lo = 0;
    let hi = singles.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((singles[mid] as Entry).rangeStart < entry.rangeStart) lo = mid + 1;
      else hi = mid;
    }
    singles.splice(lo, 0, entry);
  }
  return { singles, longestSingleMs, series, warmed: undefined };
}

/** Appends to `found` the occurrences in `index` that overlap [start, end). */
export function findInIndex(
  index: CalendarIndex,
  calendarId: string,
  start: number,
  end: number,
  found: Found[],
): void {
  const { singles } = index;
  let lo = 0;
  let hi = singles.length;
  const earliest = start - index.longestSingleMs;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((singles[mid] as Entry).rangeStart < earliest) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < singles.length; k++) {
    const entry = singles[k] as Entry;
    if (entry.rangeStart >= end) break;
    findInEntry(entry, calendarId, start, end, found);
  }
  for (const entry of index.series) findInEntry(entry, calendarId, start, end, found);
}

/** Appends to `found` the occurrences of one entry that overlap [start, end). */
export function findInEntry(entry: Entry, calendarId: string, start: number, end: number, found: Found[]): void {
  const single = entry.single;
  if (single) {
    if (overlaps(single.startMs, single.endMs, start, end)) found.push({ entry, occurrence: single, calendarId });
    return;
  }
  if (entry.rangeStart >= end || entry.rangeEnd <= start || !entry.occurrences) return;
  for (const occurrence of entry.occurrences.between(start, end)) found.push({ entry, occurrence, calendarId });
}

/** Query order: by start, then by title, then by event id — the same order on every load. */
export function byStartThenSummary(a: Found, b: Found): number {
  return inQueryOrder(
    a.occurrence.startMs,
    a.occurrence.summary,
    a.entry.eventId,
    b.occurrence.startMs,
    b.occurrence.summary,
    b.entry.eventId,
  );
}

/** The query order's rule on its three keys (live windows merge built occurrences by it too). */
export function inQueryOrder(
  aStartMs: number,
  aSummary: string,
  aEventId: string,
  bStartMs: number,
  bSummary: string,
  bEventId: string,
): number {
  return aStartMs - bStartMs || compareText(aSummary, bSummary) || compareText(aEventId, bEventId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toEntry(calendarId: string, row: ObjectRecord): Entry {
  const single = singleOccurrence(row);
  return {
    eventId: eventIdOf(calendarId, row.href),
    href: row.href,
    uid: row.uid,
    etag: row.etag,
    ics: row.ics,
    rangeStart: single ? single.startMs : row.rangeStart,
    rangeEnd: single ? Math.max(single.endMs, single.startMs + 1) : row.rangeEnd,
    pending: row.pending ?? false,
    conflict: row.conflict ?? false,
    single,
    occurrences: single ? undefined : new OccurrenceCache(row.ics, row.recurring ?? false),
  };
}

/**
 * The occurrence of a plain single event, built from the fields indexed at sync time.
 * Objects with a rule, RDATEs or RECURRENCE-ID components go through ical.js instead.
 */
function singleOccurrence(row: ObjectRecord): Occurrence | undefined {
  if (row.recurring || row.uid === undefined || row.start === undefined || row.end === undefined) return undefined;
  if (row.ics.includes('RECURRENCE-ID')) return undefined;
  const occurrence = new SingleOccurrence(row.uid, row.summary ?? '', row.start, row.end, row.allDay ?? false);
  if (row.timezone !== undefined) occurrence.timezone = row.timezone;
  if (row.floating === true) occurrence.floating = true;
  if (row.location !== undefined) occurrence.location = row.location;
  if (row.description !== undefined) occurrence.description = row.description;
  return occurrence;
}

/**
 * A plain single event's occurrence whose ISO strings are made when first read: an index
 * holds every stored event (a cold start on 20,000 built 40,000 strings), a query reads the
 * few hundred in its window.
 */
class SingleOccurrence implements Occurrence {
  declare timezone?: string;
  declare floating?: boolean;
  declare location?: string;
  declare description?: string;
  #start: string | undefined;
  #end: string | undefined;

  constructor(
    readonly uid: string,
    readonly summary: string,
    readonly startMs: number,
    readonly endMs: number,
    readonly allDay: boolean,
  ) {}

  get start(): string {
    this.#start ??= toIso(this.startMs, this.allDay);
    return this.#start;
  }

  get end(): string {
    this.#end ??= toIso(this.endMs, this.allDay);
    return this.#end;
  }
}

export function toEventOccurrence(entry: Entry, occurrence: Occurrence, calendarId: string): EventOccurrence {
  const result: { -readonly [K in keyof EventOccurrence]: EventOccurrence[K] } = {
    occurrenceId: occurrenceIdOf(entry.eventId, occurrence.recurrenceId),
    eventId: entry.eventId,
    calendarId,
    uid: occurrence.uid,
    summary: occurrence.summary,
    start: occurrence.start,
    end: occurrence.end,
    allDay: occurrence.allDay,
    pending: entry.pending,
    conflict: entry.conflict,
  };
  if (occurrence.recurrenceId !== undefined) result.recurrenceId = occurrence.recurrenceId;
  if (occurrence.timezone !== undefined) result.timezone = occurrence.timezone;
  if (occurrence.floating === true) result.floating = true;
  if (occurrence.location !== undefined) result.location = occurrence.location;
  if (occurrence.description !== undefined) result.description = occurrence.description;
  return result;
}
