import type { EventOccurrence } from '../api/types.ts';
import { occurrenceIdOf } from '../model/ids.ts';

/** The fields occurrences of one event share (all but start, end, recurrenceId and the occurrenceId made of it). */
export type SharedFields = Omit<EventOccurrence, 'start' | 'end' | 'recurrenceId' | 'occurrenceId'>;

/**
 * `listEvents` results as they cross from the Worker to the page: the fields occurrences
 * share are sent once per event, each occurrence is an index into them plus its own times.
 *
 * A month of a 20,000-event calendar is ~3,000 occurrences, most of them of recurring
 * series that repeat the same uid, summary, location and description. A structured clone
 * of them as full objects costs 8.4 ms (Node, median), more than finding them (2.3 ms);
 * packed — ~1,150 distinct field sets, one typed array, one string — 1.7 ms; with the
 * field sets as columns (one array per field, flags in one typed array) 0.7 ms.
 */
export interface PackedOccurrences {
  readonly shared: SharedColumns;
  /** Per occurrence: its index in `shared`. */
  readonly refs: Uint32Array;
  /**
   * Per occurrence, three lines: start, end and recurrence id (empty for non-recurring
   * events). One string is one copy; thousands of short strings are thousands of objects
   * to serialise and allocate. ISO dates never contain a line break.
   */
  readonly times: string;
}

/** The distinct {@link SharedFields}, one array per field (index i = field set i). */
export interface SharedColumns {
  readonly eventId: readonly string[];
  readonly calendarId: readonly string[];
  readonly uid: readonly string[];
  readonly summary: readonly string[];
  /** Bits: {@link FLAG}. */
  readonly flags: Uint8Array;
  readonly timezone: ReadonlyArray<string | undefined>;
  readonly location: ReadonlyArray<string | undefined>;
  readonly description: ReadonlyArray<string | undefined>;
}

const FLAG = { allDay: 1, pending: 2, conflict: 4, floating: 8 } as const;

/** Builds the packed form; `sharedOf` must answer the same object for occurrences that share fields. */
export function packOccurrences<T>(
  items: readonly T[],
  sharedOf: (item: T) => SharedFields,
  timesOf: (item: T) => { start: string; end: string; recurrenceId: string | undefined },
): PackedOccurrences {
  const index = new Map<SharedFields, number>();
  const shared: SharedFields[] = [];
  const refs = new Uint32Array(items.length);
  const times: string[] = new Array(items.length * 3);
  items.forEach((item, i) => {
    const fields = sharedOf(item);
    let ref = index.get(fields);
    if (ref === undefined) {
      ref = shared.length;
      shared.push(fields);
      index.set(fields, ref);
    }
    refs[i] = ref;
    const own = timesOf(item);
    times[3 * i] = own.start;
    times[3 * i + 1] = own.end;
    times[3 * i + 2] = own.recurrenceId ?? '';
  });
  return { shared: toColumns(shared), refs, times: times.join('\n') };
}

function toColumns(shared: readonly SharedFields[]): SharedColumns {
  const flags = new Uint8Array(shared.length);
  shared.forEach((f, i) => {
    flags[i] =
      (f.allDay ? FLAG.allDay : 0) |
      (f.pending ? FLAG.pending : 0) |
      (f.conflict ? FLAG.conflict : 0) |
      (f.floating ? FLAG.floating : 0);
  });
  return {
    eventId: shared.map((f) => f.eventId),
    calendarId: shared.map((f) => f.calendarId),
    uid: shared.map((f) => f.uid),
    summary: shared.map((f) => f.summary),
    flags,
    timezone: shared.map((f) => f.timezone),
    location: shared.map((f) => f.location),
    description: shared.map((f) => f.description),
  };
}

/** The buffers a packed result can hand over instead of copying (postMessage transfer). */
export function transferablesOf(packed: PackedOccurrences): ArrayBuffer[] {
  return [packed.refs.buffer as ArrayBuffer, packed.shared.flags.buffer as ArrayBuffer];
}

/** Rebuilds the occurrences, in order: every object with the same fields in the same order as `listEvents` builds them. */
export function unpackOccurrences(packed: PackedOccurrences): EventOccurrence[] {
  const { shared, refs } = packed;
  const times = refs.length === 0 ? [] : packed.times.split('\n');
  const result: EventOccurrence[] = new Array(refs.length);
  for (let i = 0; i < refs.length; i++) {
    const k = refs[i] as number;
    const eventId = shared.eventId[k] as string;
    const flags = shared.flags[k] as number;
    const recurrenceId = times[3 * i + 2];
    const occurrence: { -readonly [K in keyof EventOccurrence]: EventOccurrence[K] } = {
      occurrenceId: recurrenceId ? occurrenceIdOf(eventId, recurrenceId) : eventId,
      eventId,
      calendarId: shared.calendarId[k] as string,
      uid: shared.uid[k] as string,
      summary: shared.summary[k] as string,
      start: times[3 * i] as string,
      end: times[3 * i + 1] as string,
      allDay: (flags & FLAG.allDay) !== 0,
      pending: (flags & FLAG.pending) !== 0,
      conflict: (flags & FLAG.conflict) !== 0,
    };
    if (recurrenceId) occurrence.recurrenceId = recurrenceId;
    const timezone = shared.timezone[k];
    if (timezone !== undefined) occurrence.timezone = timezone;
    if (flags & FLAG.floating) occurrence.floating = true;
    const location = shared.location[k];
    if (location !== undefined) occurrence.location = location;
    const description = shared.description[k];
    if (description !== undefined) occurrence.description = description;
    result[i] = occurrence;
  }
  return result;
}

/** Packs occurrences that are already built (live query results): shared fields once per event variant. */
export function packEventOccurrences(occurrences: readonly EventOccurrence[]): PackedOccurrences {
  const variants = new Map<string, SharedFields[]>();
  return packOccurrences(
    occurrences,
    (occurrence) => {
      let known = variants.get(occurrence.eventId);
      if (!known) {
        known = [];
        variants.set(occurrence.eventId, known);
      }
      for (const fields of known) if (sameShared(fields, occurrence)) return fields;
      const { start: _start, end: _end, recurrenceId: _id, occurrenceId: _occurrence, ...fields } = occurrence;
      known.push(fields);
      return fields;
    },
    (occurrence) => ({ start: occurrence.start, end: occurrence.end, recurrenceId: occurrence.recurrenceId }),
  );
}

/** Whether `occurrence` has exactly these shared fields (everything but its times and ids). */
export function sameShared(fields: SharedFields, occurrence: SharedFields): boolean {
  return (
    fields.summary === occurrence.summary &&
    fields.uid === occurrence.uid &&
    fields.allDay === occurrence.allDay &&
    fields.timezone === occurrence.timezone &&
    fields.floating === occurrence.floating &&
    fields.location === occurrence.location &&
    fields.description === occurrence.description &&
    fields.pending === occurrence.pending &&
    fields.conflict === occurrence.conflict &&
    fields.calendarId === occurrence.calendarId &&
    fields.eventId === occurrence.eventId
  );
}
