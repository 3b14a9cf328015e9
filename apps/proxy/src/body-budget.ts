/**
 * One request's share of a {@link BodyBudget}: the bytes of its body the proxy holds (or has
 * promised to hold) in memory.
 */
export interface BodyClaim {
  /** Capacity of the budget this claim draws on, in bytes. */
  readonly capacity: number;
  /**
   * Grows the claim to at least `bytes`. Returns false, leaving the claim as it was, when the
   * budget cannot hold that much (or the claim was already released).
   */
  reserve(bytes: number): boolean;
  /** Gives the claimed bytes back to the budget; later calls do nothing. */
  release(): void;
}

/**
 * The bytes of request bodies buffered across all concurrent requests of one proxy. Each
 * body is within `maxRequestBytes`, but without a shared cap, many clients each holding an
 * almost complete body could make the proxy keep all of them in memory at once.
 */
export class BodyBudget {
  readonly capacity: number;
  #used = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Bytes currently claimed by unreleased claims. */
  get used(): number {
    return this.#used;
  }

  /** Opens an empty claim; release it once the request's body is no longer held. */
  claim(): BodyClaim {
    let held = 0;
    let released = false;
    return {
      capacity: this.capacity,
      reserve: (bytes) => {
        if (released) return false;
        if (bytes <= held) return true;
        if (this.#used - held + bytes > this.capacity) return false;
        this.#used += bytes - held;
        held = bytes;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#used -= held;
        held = 0;
      },
    };
  }
}
