/**
 * The dictionary of a {@link SearchIndex}: every distinct token with its postings, and the
 * tokens in code-unit order, where all tokens sharing a prefix form one contiguous run found
 * by binary search. Pure data; the index decides what a posting entry means.
 */

/** One token and the entries of the documents holding it (in insertion order). */
export interface Posting {
  readonly token: string;
  readonly entries: number[];
}

/**
 * Invariants: every token of the map is in `#sorted` or in `#added` (never both), and
 * `#sorted` is in ascending code-unit order. {@link settle} merges `#added` in; prefix
 * lookups need a settled table.
 */
export class TokenTable {
  readonly #postings = new Map<string, Posting>();
  #sorted: Posting[] = [];
  #added: Posting[] = [];
  #entries = 0;

  /** Appends `entry` to the postings of `token`. */
  add(token: string, entry: number): void {
    let posting = this.#postings.get(token);
    if (posting === undefined) {
      posting = { token, entries: [] };
      this.#postings.set(token, posting);
      this.#added.push(posting);
    }
    posting.entries.push(entry);
    this.#entries++;
  }

  /**
   * Brings tokens added since the last call into the sorted list: sorts just those, then
   * merges (linear), so a patch that adds a few words does not re-sort 50,000 tokens.
   */
  settle(): void {
    if (this.#added.length === 0) return;
    const added = this.#added.sort(byToken);
    this.#added = [];
    const sorted = this.#sorted;
    if (sorted.length === 0) {
      this.#sorted = added;
      return;
    }
    const merged: Posting[] = new Array(sorted.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < sorted.length && j < added.length) {
      const a = sorted[i] as Posting;
      const b = added[j] as Posting;
      if (a.token < b.token) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < sorted.length) merged[k++] = sorted[i++] as Posting;
    while (j < added.length) merged[k++] = added[j++] as Posting;
    this.#sorted = merged;
  }

  /** The postings of every token that starts with `prefix`, in token order (settled table only). */
  withPrefix(prefix: string): Posting[] {
    const sorted = this.#sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as Posting).token < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: Posting[] = [];
    for (let i = lo; i < sorted.length; i++) {
      const posting = sorted[i] as Posting;
      if (!posting.token.startsWith(prefix)) break;
      found.push(posting);
    }
    return found;
  }

  /**
   * Rewrites every entry through `remap`; a negative result drops the entry, and tokens left
   * without entries leave the table. Linear in the number of entries.
   */
  compact(remap: (entry: number) => number): void {
    this.settle();
    const kept: Posting[] = [];
    this.#entries = 0;
    for (const posting of this.#sorted) {
      const entries = posting.entries;
      let n = 0;
      for (const entry of entries) {
        const next = remap(entry);
        if (next >= 0) entries[n++] = next;
      }
      entries.length = n;
      this.#entries += n;
      if (n > 0) kept.push(posting);
      else this.#postings.delete(posting.token);
    }
    this.#sorted = kept;
  }

  /** Distinct tokens held. */
  get tokenCount(): number {
    return this.#postings.size;
  }

  /** Posting entries held (removed documents' included until a compaction). */
  get entryCount(): number {
    return this.#entries;
  }
}

function byToken(a: Posting, b: Posting): number {
  return a.token < b.token ? -1 : a.token > b.token ? 1 : 0;
}
