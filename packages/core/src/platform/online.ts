/**
 * Tells the engine when the runtime says connectivity came back (the browser's `online`
 * event). Only a hint to sync now: whether the engine is online is judged by the outcome
 * of its own requests (`engine/connections.ts`), never by `navigator.onLine`.
 */
export interface OnlineSignal {
  /** Calls `listener` on every `online` event until the returned function is called. */
  onOnline(listener: () => void): () => void;
}

/** `online` events of the global scope (window or worker); silent where there are none. */
export const browserOnlineSignal: OnlineSignal = {
  onOnline(listener) {
    const scope = globalThis as { addEventListener?: EventTarget['addEventListener'] };
    if (typeof scope.addEventListener !== 'function') return () => undefined;
    globalThis.addEventListener('online', listener);
    return () => globalThis.removeEventListener('online', listener);
  },
};
