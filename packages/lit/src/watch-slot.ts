/**
 * The one watcher a controller keeps open: opening a new one closes the previous, and a
 * watcher that answers after it was replaced (or the slot closed) is closed at once.
 * `current()` tells a watcher's listener whether its results may still be shown.
 */
export class WatchSlot {
  /** Bumped for every open and close: results and answers of an older watcher are dropped. */
  #generation = 0;
  #stop: (() => void) | undefined;

  open(start: (current: () => boolean) => Promise<() => void>, onError: (error: unknown) => void): void {
    this.close();
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    start(current).then(
      (stop) => {
        if (current()) this.#stop = stop;
        else stop();
      },
      (error: unknown) => {
        if (current()) onError(error);
      },
    );
  }

  close(): void {
    this.#generation++;
    this.#stop?.();
    this.#stop = undefined;
  }
}
