/** The query windows of the bench: the same ones in Node and in Chromium. */

/** A half-open `[start, end)` window as ISO strings (what `listEvents` takes). */
export interface QueryWindow {
  readonly start: string;
  readonly end: string;
}

const DAY = 86_400_000;

/** The calendar month starting at `anchor` (the first sync's "can the app show something" query). */
export function monthAt(anchor: Date): QueryWindow {
  const end = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() + 1, anchor.getUTCDate()));
  return { start: anchor.toISOString(), end: end.toISOString() };
}

/**
 * `count` windows of one month (or one week) starting at days spread evenly over the
 * seeded ±1 year (−330 … +330 days around the anchor), so that recurring series, dense and
 * sparse stretches are all queried.
 */
export function spreadWindows(anchor: Date, count: number, kind: 'month' | 'week'): QueryWindow[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = Math.round(-330 + (660 * i) / Math.max(1, count - 1));
    const start = new Date(anchor.getTime() + offset * DAY);
    if (kind === 'week') return { start: start.toISOString(), end: new Date(start.getTime() + 7 * DAY).toISOString() };
    return monthAt(start);
  });
}

/** Everything seeded, with a margin: for listing every event once. */
export function wholeRange(anchor: Date): QueryWindow {
  return {
    start: new Date(anchor.getTime() - 400 * DAY).toISOString(),
    end: new Date(anchor.getTime() + 400 * DAY).toISOString(),
  };
}
