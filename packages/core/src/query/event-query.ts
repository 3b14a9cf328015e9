import type { EventOccurrence } from '../api/types.ts';
import type { Occurrence } from '../ical/index.ts';
import { overlaps } from '../ical/time/time.ts';
import type { ObjectRecord } from '../model/records.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import type { ReplicaStore } from '../store/port.ts';
import {
  buildIndex,
  byStartThenSummary,
  type CalendarIndex,
  type Entry,
  type Found,
  findInEntry,
  findInIndex,
  patchIndex,
  toEventOccurrence,
} from './calendar-index.ts';
import { type PackedOccurrences, packOccurrences, type SharedFields } from './packed.ts';
import { WarmUp } from './warm-up.ts';

/** The time a stored object spans (epoch ms): first occurrence's start to last one's end. */
export interface Span {
  readonly rangeStart: number;
  readonly rangeEnd: number;
}

export type { ObjectKey } from './calendar-index.ts';

/** Beyond this many changed objects a calendar's index is rebuilt instead of patched. */
const MAX_PATCH = 200;

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
  readonly #warm: WarmUp;
  readonly #clock: Clock;
  /**
   * Per index entry, the shared-field sets its occurrences have shown (overrides may differ):
   * kept across queries, so a month query builds them only for entries it has not met.
   * Entries are replaced, never changed, when their object changes.
   */
  readonly #variants = new WeakMap<Entry, SharedFields[]>();

  constructor(
    private readonly store: ReplicaStore,
    clock: Clock = systemClock,
  ) {
    this.#clock = clock;
    this.#warm = new WarmUp(clock);
  }

  async list(calendarIds: readonly string[], start: number, end: number): Promise<EventOccurrence[]> {
    const found = await this.#find(calendarIds, start, end);
    return found.map(({ entry, occurrence, calendarId }) => toEventOccurrence(entry, occurrence, calendarId));
  }

  /** {@link list} in the compact form that crosses the Worker boundary cheaply (see packed.ts). */
  async listPacked(calendarIds: readonly string[], start: number, end: number): Promise<PackedOccurrences> {
    const found = await this.#find(calendarIds, start, end);
    const variants = this.#variants;
    return packOccurrences(
      found,
      ({ entry, occurrence, calendarId }) => {
        let known = variants.get(entry);
        if (!known) {
          known = [];
          variants.set(entry, known);
        }
        // Occurrences of one series share their texts unless an override changed them. Compared
        // on the index's occurrence (entry-wide fields are equal): no object per occurrence is built.
        for (const fields of known) {
          if (
            fields.summary === occurrence.summary &&
            fields.uid === occurrence.uid &&
            fields.allDay === occurrence.allDay &&
            fields.timezone === occurrence.timezone &&
            fields.floating === (occurrence.floating ? true : undefined) &&
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
          occurrenceId: _occurrence,
          ...fields
        } = toEventOccurrence(entry, occurrence, calendarId);
        known.push(fields);
        return fields;
      },
      ({ occurrence }) => ({ start: occurrence.start, end: occurrence.end, recurrenceId: occurrence.recurrenceId }),
    );
  }

  async #find(calendarIds: readonly string[], start: number, end: number): Promise<Found[]> {
    this.#warm.noteQuery();
    const indexes = calendarIds.every((id) => this.#ready.has(id))
      ? calendarIds.map((id) => this.#ready.get(id) as CalendarIndex)
      : await Promise.all(calendarIds.map((id) => this.#index(id)));
    const found: Found[] = [];
    for (const [i, index] of indexes.entries()) findInIndex(index, calendarIds[i] as string, start, end, found);
    found.sort(byStartThenSummary);
    for (const index of indexes) this.#warm.around(index, start, end);
    // The quiet spell warm-up waits for counts from the answer (a load may have taken long).
    this.#warm.noteQuery();
    return found;
  }

  /**
   * Per href, the time range its object spans in the current index (`undefined` when the
   * calendar has no such shown object): lets a live query tell whether a change concerns it.
   */
  async spans(calendarId: string, hrefs: readonly string[]): Promise<Array<Span | undefined>> {
    const entries = await this.#entriesAt(calendarId, hrefs);
    return entries.map((entry) => entry && { rangeStart: entry.rangeStart, rangeEnd: entry.rangeEnd });
  }

  /**
   * The occurrences in [start, end) of just these objects of one calendar, in query order
   * (a live window patches its result with them instead of querying the whole window).
   * Objects no longer shown have none.
   */
  async occurrencesOf(
    calendarId: string,
    hrefs: readonly string[],
    start: number,
    end: number,
  ): Promise<EventOccurrence[]> {
    const found: Found[] = [];
    for (const entry of await this.#entriesAt(calendarId, hrefs)) {
      if (entry) findInEntry(entry, calendarId, start, end, found);
    }
    found.sort(byStartThenSummary);
    return found.map(({ entry, occurrence }) => toEventOccurrence(entry, occurrence, calendarId));
  }

  /**
   * Per href, the occurrence that stands for its event in a search result: a single
   * event's own (if it overlaps the window), a series' first in the window — without a
   * window, its next one from `now`, or its last one if it ended. `undefined`: none (or
   * no such shown object).
   */
  async representatives(
    calendarId: string,
    hrefs: readonly string[],
    window: { start?: number; end?: number },
    now: number,
  ): Promise<Array<EventOccurrence | undefined>> {
    const entries = await this.#entriesAt(calendarId, hrefs);
    return entries.map((entry) => {
      const occurrence = entry && representative(entry, window, now);
      return occurrence && toEventOccurrence(entry, occurrence, calendarId);
    });
  }

  /**
   * Whether a stored object of the calendar has this UID (rows that could not be read have
   * none). The index follows every write of this engine and, patched, of other tabs.
   */
  async hasUid(calendarId: string, uid: string): Promise<boolean> {
    const index = this.#ready.get(calendarId) ?? (await this.#index(calendarId));
    return index.singles.some((e) => e.uid === uid) || index.series.some((e) => e.uid === uid);
  }

  /** Per href, its entry in the calendar's current index (`undefined`: no such shown object). */
  async #entriesAt(calendarId: string, hrefs: readonly string[]): Promise<Array<Entry | undefined>> {
    const index = this.#ready.get(calendarId) ?? (await this.#index(calendarId));
    const wanted = new Map(hrefs.map((href, i) => [href, i]));
    const entries: Array<Entry | undefined> = new Array(hrefs.length).fill(undefined);
    for (const list of [index.singles, index.series]) {
      for (const entry of list) {
        const i = wanted.get(entry.href);
        if (i !== undefined) entries[i] = entry;
      }
    }
    return entries;
  }

  /** The calendar's stored objects changed: reload its index on the next query. */
  invalidate(calendarId: string): void {
    const previous = this.#calendars.get(calendarId);
    if (!previous) return;
    this.#ready.delete(calendarId);
    this.#calendars.set(calendarId, this.#load(calendarId, previous));
  }

  /**
   * Some objects of a calendar changed: re-read just those rows — or take `rows`, as they
   * were just stored — and patch the index (an incremental sync of a few events must not
   * reload a 20,000-event calendar).
   */
  update(calendarId: string, hrefs: readonly string[], rows?: ReadonlyArray<ObjectRecord | undefined>): void {
    const ready = this.#ready.get(calendarId);
    if (!ready || hrefs.length > MAX_PATCH) {
      this.invalidate(calendarId);
      return;
    }
    if (rows !== undefined) {
      // The rows as just stored (a local edit): patched at once, no read, no waiting.
      const index = patchIndex(calendarId, ready, hrefs, rows);
      this.#ready.set(calendarId, index);
      this.#calendars.set(calendarId, Promise.resolve(index));
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
    const rows = await Promise.all(hrefs.map((href) => this.store.getObject(calendarId, href)));
    return patchIndex(calendarId, index, hrefs, rows);
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
    this.#warm.stop();
  }

  /** Pauses background warm-up until the matching {@link release} (a sync round is running). */
  hold(): void {
    this.#warm.hold();
  }

  release(): void {
    this.#warm.release();
  }

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
    // The previous index only offers reusable entries; if its load failed, that query
    // already got the error and this load starts from nothing.
    const before = await previous?.catch(() => undefined);
    const rows = given ?? (await this.store.objectsOfCalendar(calendarId));
    const index = buildIndex(calendarId, rows, before);
    // Only the latest load of a calendar becomes the ready index.
    if (this.#calendars.get(calendarId) === self()) {
      this.#ready.set(calendarId, index);
      // The year around today is where an app looks first: expand it while nobody asks
      // (after a quiet spell: a load is mostly for a query that is about to run).
      const now = this.#clock.now();
      this.#warm.noteQuery();
      this.#warm.around(index, now, now);
    }
    return index;
  }
}

/** How far ahead a series' next occurrence is looked for (search results without a window). */
const AHEAD_MS = 5 * 366 * 86_400_000;

function representative(entry: Entry, window: { start?: number; end?: number }, now: number): Occurrence | undefined {
  const start = window.start ?? Number.NEGATIVE_INFINITY;
  const end = window.end ?? Number.POSITIVE_INFINITY;
  if (entry.single) return overlaps(entry.single.startMs, entry.single.endMs, start, end) ? entry.single : undefined;
  if (window.start === undefined && window.end === undefined) {
    const next = firstFrom(entry, Math.max(now, entry.rangeStart), now + AHEAD_MS);
    if (next || entry.rangeEnd === Number.POSITIVE_INFINITY) return next;
    return lastBefore(entry, entry.rangeStart, Math.min(entry.rangeEnd, now + AHEAD_MS));
  }
  const from = Math.max(start, entry.rangeStart);
  return firstFrom(entry, from, Math.min(end, from + AHEAD_MS));
}

/** First expansion step of {@link firstFrom} / {@link lastBefore}; each next one is 4× wider. */
const LOOK_MS = 32 * 86_400_000;

/**
 * A series' first occurrence overlapping [from, to), looked for in growing windows from
 * `from`: a search result pays for expanding a daily series over a month, not five years.
 * Exact: an occurrence starting before the one found would overlap the window too.
 */
function firstFrom(entry: Entry, from: number, to: number): Occurrence | undefined {
  for (let width = LOOK_MS; ; width *= 4) {
    const end = Math.min(to, from + width);
    const found = entry.occurrences?.between(from, end)[0];
    if (found || end >= to) return found;
  }
}

/** A series' last-starting occurrence overlapping [from, to), looked for in growing windows back from `to`. */
function lastBefore(entry: Entry, from: number, to: number): Occurrence | undefined {
  for (let width = LOOK_MS; ; width *= 4) {
    const start = Math.max(from, to - width);
    const found = entry.occurrences?.between(start, to).at(-1);
    // One that started before the window may not be the last: only a start inside it proves that.
    if (start <= from || (found && found.startMs >= start)) return found;
  }
}
