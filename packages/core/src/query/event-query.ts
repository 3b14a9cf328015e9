import type { EventOccurrence } from '../api/types.ts';
import type { Occurrence } from '../ical/index.ts';
import { overlaps } from '../ical/time/time.ts';
import type { ObjectRecord } from '../store/schema.ts';
import type { CalsyncStore } from '../store/store.ts';
import { toIso } from '../util/dates.ts';
import { eventIdOf } from '../model/ids.ts';
import { OccurrenceCache } from './occurrence-cache.ts';
import { type PackedOccurrences, packOccurrences, type SharedFields } from './packed.ts';

/** Series starting or ending this close to a query are warmed up after it. */
const WARM_MS = 366 * 86_400_000;
/** Longest uninterrupted slice of warm-up work, so queries are never held up long. */
const WARM_SLICE_MS = 2;
/**
 * Warm-up runs only after this long without a query: a burst of queries (a view scrolling,
 * a benchmark) is answered without warm-up slices between them, which were the main source
 * of slow outliers (month queries on 20,000 events through the Worker, back to back:
 * p50 10 → 6 ms, p95 18 → 12 ms together with 2 ms slices instead of 4).
 */
const WARM_QUIET_MS = 50;

/** Identifies one stored object. */
export interface ObjectKey {
  readonly calendarId: string;
  readonly href: string;
}

/** Beyond this many changed objects a calendar's index is rebuilt instead of patched. */
const MAX_PATCH = 200;

/** What the query index keeps per stored object (no ical.js objects). */
interface Entry {
  readonly eventId: string;
  readonly href: string;
  readonly etag: string | undefined;
  readonly ics: string;
  readonly rangeStart: number;
  readonly rangeEnd: number;
  readonly pending: boolean;
  readonly conflict: boolean;
  /** Set for plain single events: their one occurrence, from the indexed fields. */
  readonly single: Occurrence | undefined;
  readonly occurrences: OccurrenceCache;
}

/** One calendar's index: single events sorted by start, series apart (they need expansion). */
interface CalendarIndex {
  readonly singles: Entry[];
  readonly longestSingleMs: number;
  readonly series: Entry[];
  warmed: { from: number; to: number } | undefined;
}

/** One occurrence found by a query. */
interface Found {
  readonly entry: Entry;
  readonly occurrence: Occurrence;
  readonly calendarId: string;
}

/** Series of one calendar still to expand around a region, in slices. */
interface WarmTask {
  readonly index: CalendarIndex;
  readonly todo: readonly Entry[];
  next: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Answers `listEvents` from an in-memory index of each calendar (loaded from IndexedDB on
 * first use and after the calendar changes). Single events are found by binary search and
 * need no parsing (their occurrence comes from the fields indexed at sync time); series are
 * expanded once per wide window and cached, and warmed up in small slices after a query so
 * that the next month is ready too. A plain IndexedDB range scan plus fresh expansion costs
 * hundreds of milliseconds for a month of a 20,000-event calendar; this answers from memory.
 * Unchanged objects keep their cached occurrences across reloads.
 */
export class EventQueryCache {
  readonly #calendars = new Map<string, Promise<CalendarIndex>>();
  /** Loaded, current indexes: queries over them run without yielding to other work. */
  readonly #ready = new Map<string, CalendarIndex>();
  #warming: ReturnType<typeof setTimeout> | undefined;
  #warmQueue: WarmTask[] = [];
  /** While above zero, warm-up waits (a sync round is running). */
  #holds = 0;
  #lastQueryAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly store: CalsyncStore) {}

  async list(calendarIds: readonly string[], start: number, end: number): Promise<EventOccurrence[]> {
    const found = await this.#find(calendarIds, start, end);
    return found.map(({ entry, occurrence, calendarId }) => toEventOccurrence(entry, occurrence, calendarId));
  }

  /** {@link list} in the compact form that crosses the Worker boundary cheaply (see packed.ts). */
  async listPacked(calendarIds: readonly string[], start: number, end: number): Promise<PackedOccurrences> {
    const found = await this.#find(calendarIds, start, end);
    const variants = new Map<Entry, SharedFields[]>();
    return packOccurrences(
      found,
      ({ entry, occurrence, calendarId }) => {
        let known = variants.get(entry);
        if (!known) {
          known = [];
          variants.set(entry, known);
        }
        // Occurrences of one series share their texts unless an override changed them.
        for (const fields of known) {
          if (
            fields.summary === occurrence.summary &&
            fields.uid === occurrence.uid &&
            fields.allDay === occurrence.allDay &&
            fields.timezone === occurrence.timezone &&
            fields.location === occurrence.location &&
            fields.description === occurrence.description
          ) {
            return fields;
          }
        }
        const {
          start: _start,
          end: _end,
          recurrenceId: _id,
          ...fields
        } = toEventOccurrence(entry, occurrence, calendarId);
        known.push(fields);
        return fields;
      },
      ({ occurrence }) => ({ start: occurrence.start, end: occurrence.end, recurrenceId: occurrence.recurrenceId }),
    );
  }

  async #find(calendarIds: readonly string[], start: number, end: number): Promise<Found[]> {
    this.#lastQueryAt = Date.now();
    const indexes = calendarIds.every((id) => this.#ready.has(id))
      ? calendarIds.map((id) => this.#ready.get(id) as CalendarIndex)
      : await Promise.all(calendarIds.map((id) => this.#index(id)));
    const found: Found[] = [];
    indexes.forEach((index, i) => {
      const calendarId = calendarIds[i] as string;
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
        const occurrence = entry.single as Occurrence;
        if (overlaps(occurrence.startMs, occurrence.endMs, start, end)) found.push({ entry, occurrence, calendarId });
      }
      for (const entry of index.series) {
        if (entry.rangeStart >= end || entry.rangeEnd <= start) continue;
        for (const occurrence of entry.occurrences.between(start, end)) found.push({ entry, occurrence, calendarId });
      }
    });
    found.sort(
      (a, b) =>
        a.occurrence.startMs - b.occurrence.startMs ||
        (a.occurrence.summary < b.occurrence.summary ? -1 : a.occurrence.summary > b.occurrence.summary ? 1 : 0),
    );
    for (const index of indexes) this.#warmUp(index, start, end);
    return found;
  }

  /** The calendar's stored objects changed: reload its index on the next query. */
  invalidate(calendarId: string): void {
    const previous = this.#calendars.get(calendarId);
    if (!previous) return;
    this.#ready.delete(calendarId);
    this.#calendars.set(calendarId, this.#load(calendarId, previous));
  }

  /**
   * Some objects of a calendar changed: re-read just those rows and patch the index
   * (an incremental sync of a few events must not reload a 20,000-event calendar).
   */
  update(calendarId: string, hrefs: readonly string[]): void {
    const ready = this.#ready.get(calendarId);
    if (!ready || hrefs.length > MAX_PATCH) {
      this.invalidate(calendarId);
      return;
    }
    this.#ready.delete(calendarId);
    const patched = this.#patch(calendarId, ready, hrefs);
    this.#calendars.set(calendarId, patched);
    void patched.then(
      (index) => {
        if (this.#calendars.get(calendarId) === patched) this.#ready.set(calendarId, index);
      },
      () => undefined,
    );
  }

  async #patch(calendarId: string, index: CalendarIndex, hrefs: readonly string[]): Promise<CalendarIndex> {
    const changed = new Set(hrefs);
    const rows = await Promise.all(hrefs.map((href) => this.store.getObject(calendarId, href)));
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

  /**
   * `rows` are now the calendar's whole stored content (a first download into an empty
   * replica): index them without reading 5,000 rows back from IndexedDB. If local edits or
   * conflicts exist for the calendar, stored rows may differ from `rows`, so it reloads.
   */
  replace(calendarId: string, rows: readonly ObjectRecord[]): void {
    this.#ready.delete(calendarId);
    const previous = this.#calendars.get(calendarId);
    const current: Promise<CalendarIndex> = (async () => {
      const local = await this.store.hasLocalState(calendarId);
      return this.#read(calendarId, previous, () => current, local ? undefined : rows);
    })();
    this.#calendars.set(calendarId, current);
  }

  clear(): void {
    for (const id of [...this.#calendars.keys()]) this.invalidate(id);
  }

  /** Stops background work (the engine is closing). */
  stop(): void {
    if (this.#warming !== undefined) clearTimeout(this.#warming);
    this.#warming = undefined;
    this.#warmQueue = [];
  }

  /**
   * Expands the series around a query in small slices between queries, once per region,
   * so that moving to the next or previous month does not pay for series first seen there.
   * Each calendar has at most one pending warm-up (the latest region asked for); they run
   * one after the other.
   */
  #warmUp(index: CalendarIndex, start: number, end: number): void {
    if (index.warmed && start >= index.warmed.from && end <= index.warmed.to) return;
    index.warmed = { from: start - WARM_MS / 2, to: end + WARM_MS / 2 };
    const todo = index.series.filter((e) => e.rangeEnd > start - WARM_MS && e.rangeStart < end + WARM_MS);
    const queue = this.#warmQueue.filter((task) => task.index !== index);
    if (todo.length > 0) queue.push({ index, todo, next: 0, start, end });
    this.#warmQueue = queue;
    if (this.#warming === undefined && queue.length > 0) this.#warming = setTimeout(this.#warmSlice, 0);
  }

  /** Pauses background warm-up until the matching {@link release}. */
  hold(): void {
    this.#holds++;
  }

  release(): void {
    this.#holds = Math.max(0, this.#holds - 1);
    if (this.#holds === 0 && this.#warming === undefined && this.#warmQueue.length > 0) {
      this.#warming = setTimeout(this.#warmSlice, 0);
    }
  }

  readonly #warmSlice = (): void => {
    if (this.#holds > 0) {
      this.#warming = undefined;
      return;
    }
    const quietFor = Date.now() - this.#lastQueryAt;
    if (quietFor < WARM_QUIET_MS) {
      this.#warming = setTimeout(this.#warmSlice, WARM_QUIET_MS - quietFor);
      return;
    }
    const deadline = Date.now() + WARM_SLICE_MS;
    while (this.#warmQueue.length > 0 && Date.now() < deadline) {
      const task = this.#warmQueue[0] as WarmTask;
      while (task.next < task.todo.length && Date.now() < deadline) {
        task.todo[task.next++]?.occurrences.warm(task.start, task.end);
      }
      if (task.next >= task.todo.length) this.#warmQueue.shift();
    }
    this.#warming = this.#warmQueue.length > 0 ? setTimeout(this.#warmSlice, 0) : undefined;
  };

  #index(calendarId: string): Promise<CalendarIndex> {
    let index = this.#calendars.get(calendarId);
    if (!index) {
      index = this.#load(calendarId, undefined);
      this.#calendars.set(calendarId, index);
    }
    return index;
  }

  #load(calendarId: string, previous: Promise<CalendarIndex> | undefined): Promise<CalendarIndex> {
    const current: Promise<CalendarIndex> = this.#read(calendarId, previous, () => current);
    return current;
  }

  async #read(
    calendarId: string,
    previous: Promise<CalendarIndex> | undefined,
    self: () => Promise<CalendarIndex>,
    given?: readonly ObjectRecord[],
  ): Promise<CalendarIndex> {
    const before = await previous?.catch(() => undefined);
    const old = new Map([...(before?.singles ?? []), ...(before?.series ?? [])].map((e) => [e.href, e]));
    const rows = given ?? (await this.store.objectsOfCalendar(calendarId));
    const singles: Entry[] = [];
    const series: Entry[] = [];
    let longestSingleMs = 0;
    for (const row of rows) {
      if (row.state !== 'ok') continue;
      const reusable = old.get(row.href);
      const entry =
        reusable &&
        reusable.etag === row.etag &&
        reusable.ics === row.ics &&
        reusable.pending === (row.pending ?? false)
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
    const index: CalendarIndex = { singles, longestSingleMs, series, warmed: undefined };
    // Only the latest load of a calendar becomes the ready index.
    if (this.#calendars.get(calendarId) === self()) {
      this.#ready.set(calendarId, index);
      // The year around today is where an app looks first: expand it while nobody asks.
      const now = Date.now();
      this.#warmUp(index, now, now);
    }
    return index;
  }
}

function toEntry(calendarId: string, row: ObjectRecord): Entry {
  const single = singleOccurrence(row);
  return {
    eventId: eventIdOf(calendarId, row.href),
    href: row.href,
    etag: row.etag,
    ics: row.ics,
    rangeStart: single ? single.startMs : row.rangeStart,
    rangeEnd: single ? Math.max(single.endMs, single.startMs + 1) : row.rangeEnd,
    pending: row.pending ?? false,
    conflict: row.conflict ?? false,
    single,
    occurrences: new OccurrenceCache(row.ics, row.recurring ?? false, single),
  };
}

/**
 * The occurrence of a plain single event, built from the fields indexed at sync time.
 * Objects with a rule, RDATEs or RECURRENCE-ID components go through ical.js instead.
 */
function singleOccurrence(row: ObjectRecord): Occurrence | undefined {
  if (row.recurring || row.uid === undefined || row.start === undefined || row.end === undefined) return undefined;
  if (row.ics.includes('RECURRENCE-ID')) return undefined;
  const allDay = row.allDay ?? false;
  const occurrence: Occurrence = {
    uid: row.uid,
    summary: row.summary ?? '',
    start: toIso(row.start, allDay),
    end: toIso(row.end, allDay),
    startMs: row.start,
    endMs: row.end,
    allDay,
  };
  if (row.timezone !== undefined) occurrence.timezone = row.timezone;
  if (row.location !== undefined) occurrence.location = row.location;
  if (row.description !== undefined) occurrence.description = row.description;
  return occurrence;
}

function toEventOccurrence(entry: Entry, occurrence: Occurrence, calendarId: string): EventOccurrence {
  const result: { -readonly [K in keyof EventOccurrence]: EventOccurrence[K] } = {
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
  if (occurrence.location !== undefined) result.location = occurrence.location;
  if (occurrence.description !== undefined) result.description = occurrence.description;
  return result;
}
