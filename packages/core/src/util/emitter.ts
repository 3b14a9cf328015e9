/** A minimal synchronous event emitter; a throwing listener cannot break the others. */
export class Emitter<E> {
  readonly #listeners = new Set<(event: E) => void>();
  /** Hears what a listener threw (e.g. to log it); the other listeners still run. */
  onListenerError: ((error: unknown) => void) | undefined;

  on(listener: (event: E) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: E): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not stop sync or the other listeners.
        try {
          this.onListenerError?.(error);
        } catch {
          // Nor may the error handler's.
        }
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
