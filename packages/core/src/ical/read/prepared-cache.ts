import { type PrepareResult, prepareObject } from './prepare.ts';

/** Objects kept at most (a prepared series is ~2 KB: ~4 MB in all). */
const MAX_OBJECTS = 2_048;
/** Longer texts are prepared every time: the cache must not keep huge strings alive. */
const MAX_TEXT = 64 * 1024;

const recent = new Map<string, PrepareResult>();

/**
 * {@link prepareObject}, remembered for the objects read last (least recently used go
 * first). A series is prepared when a sync indexes it, again when a query first expands
 * it, and on every later query that reaches past what was expanded (~100 µs of ical.js
 * parsing each time, a third of a cold month query): with this, once. The key is the ICS
 * text itself, so a changed object is a new entry. Results are immutable and shared.
 */
export function prepareRecent(ics: string): PrepareResult {
  const known = recent.get(ics);
  if (known !== undefined) {
    recent.delete(ics);
    recent.set(ics, known);
    return known;
  }
  const result = prepareObject(ics);
  if (ics.length <= MAX_TEXT) {
    recent.set(ics, result);
    if (recent.size > MAX_OBJECTS) recent.delete(recent.keys().next().value as string);
  }
  return result;
}

/** How many prepared objects are kept (for tests). */
export function preparedRecently(): number {
  return recent.size;
}
