import { expandObject, type Occurrence, prepareRecent } from '../ical/index.ts';
import { overlaps } from '../ical/time/time.ts';

const DAY = 86_400_000;
/** Warm-up expands the asked window plus this much on each side, so nearby queries hit the cache. */
const PAD_MS = 366 * DAY;
/**
 * A query that finds nothing materialised pads its window by this little only: it is what
 * the app waits for (the first month after a first sync: ~250 series of a 5,000-event
 * calendar, each ~4× cheaper with 62 days of padding than with 366); the warm-up that
 * follows queries widens it in the background.
 */
const QUERY_PAD_MS = 62 * DAY;
/** Occurrences materialised per object at most; beyond this, queries expand directly (no cache). */
const MAX_CACHED = 5_000;

/** One object's expanded occurrences over [from, to), sorted by start. */
interface Materialized {
  readonly from: number;
  readonly to: number;
  readonly list: readonly Occurrence[];
  /** Longest occurrence, so a binary search by start can find the ones that began earlier. */
  readonly maxDurationMs: number;
}

/**
 * Expanded occurrences of one object, computed once per wide window and reused by every
 * query inside it. ical.js can only iterate a rule from DTSTART, so expanding a long-running
 * series anew for each month view costs milliseconds per series; this pays that once.
 * Holds no ical.js objects between queries, only the occurrence list; the series' decoded
 * form comes from a small shared cache of recently prepared objects (prepared-cache.ts).
 */
export class OccurrenceCache {
  #materialized: Materialized | undefined;

  constructor(
    private readonly ics: string,
    private readonly recurring: boolean,
  ) {}

  /** True when occurrences of [start, end) are already materialised (or need no parsing). */
  covers(start: number, end: number): boolean {
    const m = this.#materialized;
    return m !== undefined && start >= m.from && end <= m.to;
  }

  /** Materialises [start, end) ahead of queries (background warm-up). */
  warm(start: number, end: number): void {
    if (this.covers(start - PAD_MS / 2, end + PAD_MS / 2)) return;
    const m = this.#materialize(start, end, PAD_MS);
    if (m) this.#materialized = m;
  }

  /** Occurrences overlapping [start, end), by start. */
  between(start: number, end: number): Occurrence[] {
    let m = this.#materialized;
    if (!m || start < m.from || end > m.to) {
      m = this.#materialize(start, end, QUERY_PAD_MS);
      if (!m) return expandObject(prepareRecent(this.ics), start, end);
      this.#materialized = m;
    }
    const { list, maxDurationMs } = m;
    // First occurrence that could still overlap `start`.
    let lo = 0;
    let hi = list.length;
    const earliest = start - maxDurationMs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as Occurrence).startMs < earliest) lo = mid + 1;
      else hi = mid;
    }
    const result: Occurrence[] = [];
    for (let i = lo; i < list.length; i++) {
      const occurrence = list[i] as Occurrence;
      if (occurrence.startMs >= end) break;
      if (overlaps(occurrence.startMs, occurrence.endMs, start, end)) result.push(occurrence);
    }
    return result;
  }

  #materialize(start: number, end: number, padMs: number): Materialized | undefined {
    const previous = this.#materialized;
    // A single event has one occurrence: expand it over all time, once.
    const from = this.recurring ? Math.min(start - padMs, previous?.from ?? start) : Number.MIN_SAFE_INTEGER;
    const to = this.recurring ? Math.max(end + padMs, previous?.to ?? end) : Number.MAX_SAFE_INTEGER;
    const prepared = prepareRecent(this.ics);
    if (!prepared.ok) return { from, to, list: [], maxDurationMs: 0 };
    // [from, to) always contains what was materialised before: only the parts around it are
    // expanded (a month after month of navigation used to re-expand everything seen so far).
    // An occurrence overlapping both sides of a boundary comes from both: kept once.
    const parts: Array<[number, number]> = previous
      ? ([
          [from, previous.from],
          [previous.to, to],
        ].filter(([a, b]) => (a as number) < (b as number)) as Array<[number, number]>)
      : [[from, to]];
    const list: Occurrence[] = previous ? [...previous.list] : [];
    const seen = new Set(list.map(occurrenceKey));
    for (const [partFrom, partTo] of parts) {
      const more = expandObject(prepared, partFrom, partTo, { maxOccurrences: MAX_CACHED + 1 });
      if (more.length > MAX_CACHED) return undefined;
      for (const occurrence of more) {
        const key = occurrenceKey(occurrence);
        if (seen.has(key)) continue;
        seen.add(key);
        list.push(occurrence);
      }
    }
    if (list.length > MAX_CACHED) return undefined;
    list.sort((a, b) => a.startMs - b.startMs);
    let maxDurationMs = 0;
    for (const o of list) maxDurationMs = Math.max(maxDurationMs, o.endMs - o.startMs);
    return { from, to, list, maxDurationMs };
  }
}

/** An occurrence's identity within its object: its RECURRENCE-ID (every instance of a series has one). */
function occurrenceKey(occurrence: Occurrence): string {
  return occurrence.recurrenceId ?? `@${occurrence.startMs}`;
}
