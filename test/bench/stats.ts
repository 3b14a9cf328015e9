/** Summaries of repeated measurements: every figure of the bench is one of these. */

/** Median, min and max of a series of repetitions, with the raw values kept for the JSON record. */
export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

/** p50 and p95 of many samples of one repetition (listEvents latencies). */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly count: number;
}

/** Nearest-rank percentile (`q` in 0..1) of unsorted values; NaN for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The median (lower middle for even counts, so it is always one measured value), min and max. */
export function figure(samples: readonly number[]): Figure {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, samples: [] };
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    samples: [...samples],
  };
}

/** p50/p95/max of latencies. */
export function percentiles(samples: readonly number[]): Percentiles {
  return {
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    max: percentile(samples, 1),
    count: samples.length,
  };
}
