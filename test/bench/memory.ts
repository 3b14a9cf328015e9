/** Peak memory of this Node process while something runs, sampled on a timer. */

/** Megabytes, rounded to 0.1. */
export interface MemoryPeak {
  /** Heap in use before the work (after a GC when `--expose-gc` is on). */
  readonly baselineHeapMb: number;
  /** Highest heap in use seen during the work. */
  readonly peakHeapMb: number;
  /** Highest resident set size seen during the work (process-wide, never shrinks much). */
  readonly peakRssMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

/**
 * Runs `work` while sampling `process.memoryUsage()` every `intervalMs`. Samples are taken
 * only when the event loop is free, so a long synchronous stretch can hide a short peak;
 * the final sample after the work is always taken.
 */
export async function withMemoryPeak<T>(
  work: () => Promise<T>,
  intervalMs = 25,
): Promise<{ value: T; memory: MemoryPeak }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  const sample = () => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const value = await work();
    sample();
    return {
      value,
      memory: { baselineHeapMb: mb(baseline.heapUsed), peakHeapMb: mb(peakHeap), peakRssMb: mb(peakRss) },
    };
  } finally {
    clearInterval(timer);
  }
}
