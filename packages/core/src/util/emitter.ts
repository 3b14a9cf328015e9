/** A minimal synchronous event emitter; a throwing listener cannot break the others. */
export class Emitter<E> {
  readonly #listeners = new Set<(event: E) => void>();

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
      } catch {
        // A listener's bug must not stop sync or the other listeners.
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
