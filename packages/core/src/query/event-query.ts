import type { EventOccurrence } from '../api-types.ts';
import { expandObject, prepareObject } from '../ical/index.ts';
import type { ObjectRecord } from '../store/schema.ts';
import type { CalsyncStore } from '../store/store.ts';
import { eventIdOf } from '../util/ids.ts';

type Prepared = ReturnType<typeof prepareObject>;

/** Parsed objects kept between queries; beyond this many the cache starts over. */
const MAX_PREPARED = 50_000;

/**
 * Answers `listEvents` from the store: range index → candidate objects → expansion.
 * Objects are parsed once per (href, etag) and the parsed form is reused across queries.
 */
export class EventQueryCache {
  readonly #prepared = new Map<string, { etag: string | undefined; ics: string; prepared: Prepared }>();

  constructor(private readonly store: CalsyncStore) {}

  async list(calendarIds: readonly string[], start: number, end: number): Promise<EventOccurrence[]> {
    const rowsPerCalendar = await Promise.all(calendarIds.map((id) => this.store.objectsInRange(id, start, end)));
    const result: Array<EventOccurrence & { sortKey: number }> = [];
    for (const rows of rowsPerCalendar) {
      for (const row of rows) {
        const prepared = this.#prepare(row);
        if (prepared === undefined) continue;
        for (const occurrence of expandObject(prepared, start, end)) {
          result.push({
            sortKey: occurrence.startMs,
            eventId: eventIdOf(row.calendarId, row.href),
            calendarId: row.calendarId,
            uid: occurrence.uid,
            summary: occurrence.summary,
            start: occurrence.start,
            end: occurrence.end,
            allDay: occurrence.allDay,
            pending: row.pending ?? false,
            conflict: row.conflict ?? false,
            ...(occurrence.recurrenceId === undefined ? {} : { recurrenceId: occurrence.recurrenceId }),
            ...(occurrence.timezone === undefined ? {} : { timezone: occurrence.timezone }),
            ...(occurrence.location === undefined ? {} : { location: occurrence.location }),
            ...(occurrence.description === undefined ? {} : { description: occurrence.description }),
          });
        }
      }
    }
    result.sort((a, b) => a.sortKey - b.sortKey || a.summary.localeCompare(b.summary));
    return result.map(({ sortKey: _sortKey, ...occurrence }) => occurrence);
  }

  /** Drops cached parses of one calendar (after a pull changed it). */
  invalidate(calendarId: string): void {
    const prefix = `${calendarId}|`;
    for (const key of this.#prepared.keys()) if (key.startsWith(prefix)) this.#prepared.delete(key);
  }

  clear(): void {
    this.#prepared.clear();
  }

  #prepare(row: ObjectRecord): Prepared | undefined {
    const key = eventIdOf(row.calendarId, row.href);
    const cached = this.#prepared.get(key);
    if (cached && cached.etag === row.etag && cached.ics === row.ics) return cached.prepared;
    const prepared = prepareObject(row.ics);
    if (this.#prepared.size >= MAX_PREPARED) this.#prepared.clear();
    this.#prepared.set(key, { etag: row.etag, ics: row.ics, prepared });
    return prepared;
  }
}
