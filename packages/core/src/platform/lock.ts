/**
 * An exclusive lock by name, shared by every engine that opened the same database: the
 * sync leader. Held per round only, so a frozen or closed tab never keeps it.
 */
export interface RoundLock {
  run<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Web Locks (`navigator.locks`) where the runtime has them: exclusive across the tabs and
 * workers of one origin, released by the browser when a tab closes or crashes. Elsewhere
 * (Node, old browsers) a lock within this JavaScript realm.
 */
export function browserRoundLock(): RoundLock {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (locks) return { run: (name, work) => locks.request(name, work) as Promise<never> };
  return realmLock();
}

/** A lock within this realm: work under one name runs one at a time, in call order. */
export function realmLock(): RoundLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(name: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(work, work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return result;
    },
  };
}
