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
 * packed — ~1,150 distinct field sets, one typed array, one string — 1.7 ms.
 */
export interface PackedOccurrences {
  readonly shared: readonly SharedFields[];
  /** Per occurrence: its index in `shared`. */
  readonly refs: Uint32Array;
  /**
   * Per occurrence, three lines: start, end and recurrence id (empty for non-recurring
   * events). One string is one copy; thousands of short strings are thousands of objects
   * to serialise and allocate. ISO dates never contain a line break.
   */
  readonly times: string;
}

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
  return { shared, refs, times: times.join('\n') };
}

/** Rebuilds the occurrences, in order. */
export function unpackOccurrences(packed: PackedOccurrences): EventOccurrence[] {
  const { shared, refs } = packed;
  const times = refs.length === 0 ? [] : packed.times.split('\n');
  const result: EventOccurrence[] = new Array(refs.length);
  for (let i = 0; i < refs.length; i++) {
    const fields = shared[refs[i] as number] as SharedFields;
    const start = times[3 * i] as string;
    const end = times[3 * i + 1] as string;
    const recurrenceId = times[3 * i + 2];
    result[i] = recurrenceId
      ? { occurrenceId: occurrenceIdOf(fields.eventId, recurrenceId), ...fields, recurrenceId, start, end }
      : { occurrenceId: fields.eventId, ...fields, start, end };
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
