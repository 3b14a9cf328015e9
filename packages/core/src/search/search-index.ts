import type { ObjectRecord } from '../model/records.ts';
import { type SearchableFields, searchableFields } from './extract.ts';
import { fold, tokens } from './normalize.ts';
import { bitsOf, closeness, docOf, entryOf, FIELD, SHORT_TITLE_BONUS, TITLE_START, wordScore } from './rank.ts';
import { TokenTable } from './token-table.ts';

/** One document found by {@link SearchIndex.search}. */
export interface SearchHit {
  readonly calendarId: string;
  readonly href: string;
  /** Higher is better; only comparable within one result (see rank.ts). */
  readonly score: number;
}

/** Sizes of a {@link SearchIndex}. */
export interface SearchIndexStats {
  /** Live documents. */
  readonly documents: number;
  /** Removed or replaced documents whose entries are not compacted away yet. */
  readonly removed: number;
  /** Distinct tokens. */
  readonly tokens: number;
  /** Posting entries (one per distinct token of a document). */
  readonly entries: number;
}

/** Options of a {@link SearchIndex}. */
export interface SearchIndexOptions {
  /**
   * Removed documents are compacted away once there are more than this many and more than
   * live ones (default 1,024): memory stays below about twice the live documents' entries.
   */
  readonly compactAfter?: number;
}

/** What the index keeps per document besides its postings. */
interface Doc {
  readonly calendar: number;
  readonly href: string;
  /** Folded title, cut: the first tie-break. */
  readonly title: string;
  /** Tokens of the summary field (at least 1). */
  readonly titleLength: number;
}

/** Query words beyond this many are ignored (a pasted paragraph is not a query). */
const MAX_QUERY_WORDS = 16;
const TITLE_KEY_LENGTH = 256;

const FIELDS: ReadonlyArray<readonly [keyof SearchableFields, number]> = [
  ['categories', FIELD.categories],
  ['location', FIELD.location],
  ['attendees', FIELD.attendees],
  ['description', FIELD.description],
];

/**
 * In-memory full-text index of stored calendar objects, per calendar: pure (no I/O, no
 * timers). Documents are the rows' summaries, locations, descriptions, attendees' names and
 * categories (see {@link searchableFields}), folded by {@link tokens}. A query matches a
 * document when every query word is a prefix of one of its tokens.
 *
 * Layout: document numbers index `#docs`; each distinct token has the entries
 * (document × field bits) of the documents holding it; the tokens are kept sorted, so one
 * binary search finds all tokens of a prefix. Replacing or removing a document only marks
 * its number removed (its entries are skipped); once removed documents outnumber live ones
 * (and `compactAfter`), all entries are renumbered in one linear pass.
 */
export class SearchIndex {
  readonly #table = new TokenTable();
  readonly #compactAfter: number;
  #docs: (Doc | undefined)[] = [];
  #live = 0;
  /** Per calendar set by {@link setCalendar}: its number and its documents by href. */
  #calendars = new Map<string, { readonly number: number; readonly docs: Map<string, number> }>();
  /** Calendar number → id (numbers are never reused: a removed calendar's documents may linger). */
  readonly #calendarIds: string[] = [];

  constructor(options: SearchIndexOptions = {}) {
    this.#compactAfter = options.compactAfter ?? 1_024;
  }

  /** Replaces all documents of a calendar by `rows`; rows with `state !== 'ok'` are skipped. */
  setCalendar(calendarId: string, rows: readonly ObjectRecord[]): void {
    this.#remove(calendarId);
    const number = this.#calendarIds.length;
    this.#calendarIds.push(calendarId);
    const docs = new Map<string, number>();
    this.#calendars.set(calendarId, { number, docs });
    for (const row of rows) {
      if (row.state !== 'ok') continue;
      const old = docs.get(row.href);
      if (old !== undefined) this.#kill(old);
      docs.set(row.href, this.#add(number, row.href, row));
    }
    this.#settle();
  }

  /**
   * Replaces the documents at `hrefs` by `rows` (same order; `undefined`, or a row whose
   * `state` is not `'ok'`: removed). A calendar not set by {@link setCalendar} is left
   * alone: its first `setCalendar` reads every row anyway.
   */
  patch(calendarId: string, hrefs: readonly string[], rows: readonly (ObjectRecord | undefined)[]): void {
    const calendar = this.#calendars.get(calendarId);
    if (calendar === undefined) return;
    for (const [i, href] of hrefs.entries()) {
      const old = calendar.docs.get(href);
      if (old !== undefined) {
        this.#kill(old);
        calendar.docs.delete(href);
      }
      const row = rows[i];
      if (row?.state === 'ok') calendar.docs.set(href, this.#add(calendar.number, href, row));
    }
    this.#settle();
  }

  /** Removes a calendar and its documents. */
  dropCalendar(calendarId: string): void {
    this.#remove(calendarId);
    this.#settle();
  }

  /** Whether {@link setCalendar} indexed this calendar (and it was not dropped since). */
  hasCalendar(calendarId: string): boolean {
    return this.#calendars.has(calendarId);
  }

  /** Sizes, for tests and the bench: removed documents count until they are compacted away. */
  stats(): SearchIndexStats {
    return {
      documents: this.#live,
      removed: this.#docs.length - this.#live,
      tokens: this.#table.tokenCount,
      entries: this.#table.entryCount,
    };
  }

  /**
   * Every document matching `text` (each of its words, case and diacritics ignored, as a
   * prefix of a token of the document), in `calendarIds` if given: best first (score, see
   * rank.ts), ties by folded title, then calendar id, then href. Empty text: no hits.
   * With `top`, only the `top` first of them (selected without sorting all the others: a
   * two-letter prefix can match most of a 20,000-event calendar).
   */
  search(text: string, calendarIds?: ReadonlySet<string>, top?: number): SearchHit[] {
    const words = [...new Set(tokens(text))].slice(0, MAX_QUERY_WORDS);
    if (words.length === 0) return [];
    const docs = this.#docs;
    const allowed = calendarIds === undefined ? undefined : this.#allowed(calendarIds);
    const n = docs.length;
    // Words matched so far per document: a document is scored for word k only if it
    // matched the k words before (AND), so later words touch ever fewer documents.
    const matched = new Uint8Array(n);
    /** k + 1 once word k met the document: its best score for the word is in `best`. */
    const seen = new Uint8Array(n);
    const best = new Float64Array(n);
    const total = new Float64Array(n);
    const inTitle = new Uint8Array(n);
    let hits: number[] = [];
    for (const [k, word] of words.entries()) {
      const touched: number[] = [];
      for (const posting of this.#table.withPrefix(word)) {
        const close = closeness(word.length, posting.token.length);
        for (const entry of posting.entries) {
          const doc = docOf(entry);
          if (matched[doc] !== k) continue;
          if (k === 0) {
            const found = docs[doc];
            if (found === undefined || (allowed !== undefined && allowed[found.calendar] !== 1)) continue;
          }
          const bits = bitsOf(entry);
          const score = wordScore(bits, close);
          if (seen[doc] !== k + 1) {
            seen[doc] = k + 1;
            best[doc] = score;
            touched.push(doc);
          } else if (score > (best[doc] as number)) {
            best[doc] = score;
          }
          if (bits & FIELD.summary) inTitle[doc] = 1;
        }
      }
      for (const doc of touched) {
        matched[doc] = k + 1;
        total[doc] = (total[doc] as number) + (best[doc] as number);
      }
      hits = touched;
      if (hits.length === 0) return [];
    }
    return this.#ranked(hits, total, inTitle, top);
  }

  #ranked(hits: readonly number[], total: Float64Array, inTitle: Uint8Array, top: number | undefined): SearchHit[] {
    const ranked = hits.map((doc) => {
      const found = this.#docs[doc] as Doc;
      const bonus = inTitle[doc] === 1 ? SHORT_TITLE_BONUS / found.titleLength : 0;
      return { doc: found, score: (total[doc] as number) + bonus };
    });
    const order = (a: Ranked, b: Ranked) =>
      b.score - a.score ||
      compare(a.doc.title, b.doc.title) ||
      compare(this.#calendarIds[a.doc.calendar] as string, this.#calendarIds[b.doc.calendar] as string) ||
      compare(a.doc.href, b.doc.href);
    const kept = top !== undefined && top < ranked.length ? firstOf(ranked, Math.max(0, top), order) : ranked;
    kept.sort(order);
    return kept.map(({ doc, score }) => ({
      calendarId: this.#calendarIds[doc.calendar] as string,
      href: doc.href,
      score,
    }));
  }

  #allowed(calendarIds: ReadonlySet<string>): Uint8Array {
    const allowed = new Uint8Array(this.#calendarIds.length);
    for (const id of calendarIds) {
      const calendar = this.#calendars.get(id);
      if (calendar !== undefined) allowed[calendar.number] = 1;
    }
    return allowed;
  }

  /** Indexes one row as a new document under `href`; returns its number. */
  #add(calendar: number, href: string, row: ObjectRecord): number {
    const doc = this.#docs.length;
    const fields = searchableFields(row);
    const bits = new Map<string, number>();
    const summary = tokens(fields.summary);
    for (const [i, token] of summary.entries()) {
      bits.set(token, (bits.get(token) ?? 0) | FIELD.summary | (i === 0 ? TITLE_START : 0));
    }
    for (const [field, bit] of FIELDS) {
      for (const token of tokens(fields[field])) bits.set(token, (bits.get(token) ?? 0) | bit);
    }
    for (const [token, tokenBits] of bits) this.#table.add(token, entryOf(doc, tokenBits));
    const title = fold(row.summary ?? '');
    this.#docs.push({
      calendar,
      href,
      title: title.length > TITLE_KEY_LENGTH ? title.slice(0, TITLE_KEY_LENGTH) : title,
      titleLength: Math.max(1, summary.length),
    });
    this.#live++;
    return doc;
  }

  #kill(doc: number): void {
    if (this.#docs[doc] === undefined) return;
    this.#docs[doc] = undefined;
    this.#live--;
  }

  #remove(calendarId: string): void {
    const calendar = this.#calendars.get(calendarId);
    if (calendar === undefined) return;
    for (const doc of calendar.docs.values()) this.#kill(doc);
    this.#calendars.delete(calendarId);
  }

  /** After every change: new tokens into the sorted list, and compaction when due. */
  #settle(): void {
    const dead = this.#docs.length - this.#live;
    if (dead > this.#compactAfter && dead > this.#live) this.#compact();
    else this.#table.settle();
  }

  /** Renumbers live documents densely and drops removed documents' entries. */
  #compact(): void {
    const renumbered = new Int32Array(this.#docs.length).fill(-1);
    const docs: Doc[] = [];
    for (const [i, doc] of this.#docs.entries()) {
      if (doc === undefined) continue;
      renumbered[i] = docs.length;
      docs.push(doc);
    }
    this.#table.compact((entry) => {
      const doc = renumbered[docOf(entry)] as number;
      return doc < 0 ? -1 : entryOf(doc, bitsOf(entry));
    });
    for (const calendar of this.#calendars.values()) {
      for (const [href, doc] of calendar.docs) calendar.docs.set(href, renumbered[doc] as number);
    }
    this.#docs = docs;
  }
}

interface Ranked {
  readonly doc: Doc;
  readonly score: number;
}

/**
 * The `count` first items of `items` in `order` (unsorted): a heap whose root is the worst
 * one kept, so most items cost one comparison with it.
 */
function firstOf<T>(items: readonly T[], count: number, order: (a: T, b: T) => number): T[] {
  const heap: T[] = [];
  // `worse(i, j)`: heap[i] comes after heap[j] in `order` (the root is the last kept).
  const worse = (i: number, j: number) => order(heap[i] as T, heap[j] as T) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i] as T;
    heap[i] = heap[j] as T;
    heap[j] = t;
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (count > 0 && order(item, heap[0] as T) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let worst = i;
        if (left < heap.length && worse(left, worst)) worst = left;
        if (right < heap.length && worse(right, worst)) worst = right;
        if (worst === i) break;
        swap(i, worst);
        i = worst;
      }
    }
  }
  return heap;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
