/**
 * Runs `load`, then `apply(result)` only if no later call started meanwhile. Resolves to
 * whether the result was applied.
 */
export type Latest = <T>(load: () => Promise<T>, apply: (value: T) => void) => Promise<boolean>;

/**
 * Sequences "load, then show" work whose answers can arrive out of order (the app reloads
 * on `changed` events, navigation and dialogs closing; a slow reload started first must not
 * overwrite a newer one that finished before it). Each call takes a sequence number; a
 * result, or a failure, of a call that is no longer the newest is dropped: the newest call
 * shows, or reports, its own.
 */
export function createLatest(): Latest {
  let newest = 0;
  return async <T>(load: () => Promise<T>, apply: (value: T) => void) => {
    const ticket = ++newest;
    let value: T;
    try {
      value = await load();
    } catch (error) {
      if (ticket !== newest) return false;
      throw error;
    }
    if (ticket !== newest) return false;
    apply(value);
    return true;
  };
}
