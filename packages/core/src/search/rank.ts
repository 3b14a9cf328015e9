/**
 * How search ranks a document, kept apart so the rule reads in one place:
 *
 * - Each query word scores the best of the document's tokens it matches:
 *   `weight of the token's best field × closeness`, where the weights are summary 8,
 *   categories 4, location 3, attendees 3, description 1, and closeness is 1 for an exact
 *   token and 0.5 … 0.8 for a prefix (more of the token typed: closer). So within a field an
 *   exact word always beats a completion, and a summary match beats a description match.
 * - A word matching the summary's first token gets {@link TITLE_START_BONUS}.
 * - A document with any word found in its summary gets up to {@link SHORT_TITLE_BONUS},
 *   divided by its summary's token count: "Yoga" ranks above "Yoga with the team".
 *
 * The bonuses (≤ 1 together) never lift a summary prefix (≤ 6.4) over a summary exact word (8).
 */

/** Field bits of a posting entry; a token in several fields of a document has several. */
export const FIELD = {
  summary: 1,
  categories: 2,
  location: 4,
  attendees: 8,
  description: 16,
} as const;

/** Posting bit: the token is the first one of the summary. */
export const TITLE_START = 32;
/** Bits of a posting entry below the document number. */
export const ENTRY_BITS = 6;
const BITS_MASK = (1 << ENTRY_BITS) - 1;

export const TITLE_START_BONUS = 0.5;
export const SHORT_TITLE_BONUS = 0.5;

/** Weight of the best field among `bits`. */
function weight(bits: number): number {
  if (bits & FIELD.summary) return 8;
  if (bits & FIELD.categories) return 4;
  if (bits & (FIELD.location | FIELD.attendees)) return 3;
  return 1;
}

/** How close a token of `tokenLength` is to a query word of `wordLength` that it starts with. */
export function closeness(wordLength: number, tokenLength: number): number {
  return wordLength === tokenLength ? 1 : 0.5 + (0.3 * wordLength) / tokenLength;
}

/** The score of one query word for a posting entry's bits. */
export function wordScore(bits: number, close: number): number {
  return weight(bits) * close + (bits & TITLE_START ? TITLE_START_BONUS : 0);
}

/** A posting entry: a document number and its field bits (documents stay below 2^26). */
export function entryOf(doc: number, bits: number): number {
  return doc * (BITS_MASK + 1) + bits;
}

/** The document number of a posting entry. */
export function docOf(entry: number): number {
  return entry >>> ENTRY_BITS;
}

/** The field bits of a posting entry. */
export function bitsOf(entry: number): number {
  return entry & BITS_MASK;
}
