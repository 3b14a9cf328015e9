/** A pending timer of a {@link Clock}. */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

/**
 * Time as the engine sees it: wall-clock milliseconds and one-shot timers. The engine and
 * the query warm-up read time only through this, so tests drive it with a manual clock
 * (`test-platform.ts`) instead of real waiting or global fake timers.
 */
export interface Clock {
  now(): number;
  /** Runs `callback` once after `ms`; `ms <= 0`: as soon as the current task and those queued before it are done. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** A zero-delay callback queued by {@link soon}. */
class SoonTask {
  cancelled = false;
  constructor(readonly run: () => void) {}
}

const soonQueue: SoonTask[] = [];
let soonPort: MessagePort | undefined;

/**
 * Runs `callback` in a task of its own without the ≥ 4 ms a browser adds to a setTimeout
 * nested five deep (the series warm-up runs in 2 ms slices one after the other: clamped,
 * it spent two thirds of its time waiting). Browsers and Workers: a MessageChannel; Node:
 * `setImmediate` (an open MessagePort would keep the process alive).
 */
function soon(callback: () => void): SoonTask | ReturnType<typeof setTimeout> {
  const task = new SoonTask(callback);
  const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') {
    immediate(() => {
      if (!task.cancelled) task.run();
    });
    return task;
  }
  if (typeof MessageChannel !== 'function') return globalThis.setTimeout(callback, 0);
  if (soonPort === undefined) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const next = soonQueue.shift();
      if (next && !next.cancelled) next.run();
    };
    soonPort = channel.port2;
  }
  soonQueue.push(task);
  soonPort.postMessage(null);
  return task;
}

/** The runtime's own clock: `Date.now` and the global timers (zero delays without clamping, see {@link soon}). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) =>
    (ms <= 0 ? soon(callback) : globalThis.setTimeout(callback, ms)) as unknown as TimerHandle,
  clearTimeout: (handle) => {
    if (handle instanceof SoonTask) handle.cancelled = true;
    else globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
