/** A pending timer of a {@link Clock}. */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

/**
 * Time as the engine sees it: wall-clock milliseconds and one-shot timers. The engine and
 * the query warm-up read time only through this, so tests drive it with a manual clock
 * (`test-platform.ts`) instead of real waiting or global fake timers.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The runtime's own clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
