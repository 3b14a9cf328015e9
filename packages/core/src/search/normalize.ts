/**
 * Text normalisation shared by the indexed documents and the query: both sides go through
 * {@link tokens}, so whatever it folds away (case, diacritics, a few ligatures) can never make
 * a document and a query disagree.
 */

/**
 * Letters that Unicode decomposition leaves alone but a reader treats as a base letter with
 * a mark, or as two letters. `ς` (final sigma, which `toLowerCase` produces at word ends) is
 * `σ` so that a word typed with `σ` still finds it.
 */
const LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ς: 'σ',
};
const SPECIAL = /[ßæøœłđðþıς]/g;
const MARKS = /\p{M}+/gu;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Tokens are cut to this many UTF-16 units on both sides (documents and query), so a run of
 * base64 or junk letters costs one bounded token and a long query word still matches.
 */
export const MAX_TOKEN_LENGTH = 64;

/**
 * Lowercases and strips diacritics: `Müller` → `muller`, `Ærø` → `aero`, `Straße` →
 * `strasse`. NFKD rather than NFD, so compatibility forms fold too (`ﬁ` → `fi`, full-width
 * `Ｍ` → `m`). Marks are stripped in every script (Devanagari vowel signs and Japanese
 * voicing marks included): the match gets looser there, never stricter.
 */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(SPECIAL, (letter) => LETTERS[letter] ?? letter);
}

/**
 * The folded words of `text`: maximal runs of letters and digits (`\p{L}\p{N}`) of
 * {@link fold}`(text)`, each cut to {@link MAX_TOKEN_LENGTH}. `'Café-Meeting 10:30'` →
 * `['cafe', 'meeting', '10', '30']`. Scripts without spaces (Chinese, Japanese) give one token
 * per run, found by its prefix.
 *
 * One pass over the decomposed text instead of fold's three regex replaces and a match (a
 * third of the time of an index build): each code unit is classed once, in {@link CLASS}.
 */
export function tokens(text: string): string[] {
  const lower = text.toLowerCase();
  const decomposed = NON_ASCII.test(lower) ? lower.normalize('NFKD') : lower;
  const words: string[] = [];
  let start = -1;
  /** Set while the current word holds a skipped mark or a spelled-out letter: built, not sliced. */
  let built = '';
  const length = decomposed.length;
  // One step past the end, as a separator, closes the last word.
  for (let i = 0; i <= length; i++) {
    const unit = i === length ? 32 : decomposed.charCodeAt(i);
    let kind = CLASS[unit] as number;
    if (kind === UNKNOWN) kind = classify(unit);
    if (kind === HIGH_SURROGATE) {
      // The pair is one code point: a word character, a mark or a separator.
      const low = decomposed.charCodeAt(i + 1);
      const pair = low >= 0xdc00 && low <= 0xdfff ? decomposed.slice(i, i + 2) : '';
      kind = pair === '' ? SEPARATOR : WORD_CHAR.test(pair) ? WORD_PAIR : MARK_CHAR.test(pair) ? MARK_PAIR : SEPARATOR;
    }
    if (kind === WORD_UNIT || kind === WORD_PAIR) {
      if (start < 0) start = i;
      if (kind === WORD_PAIR) i++;
    } else if (kind === SEPARATOR) {
      if (start < 0) continue;
      const word = built === '' ? decomposed.slice(start, i) : built + decomposed.slice(start, i);
      if (word.length > 0) words.push(word.length > MAX_TOKEN_LENGTH ? cut(word) : word);
      start = -1;
      built = '';
    } else if (kind === SPELLED) {
      if (start >= 0) built += decomposed.slice(start, i);
      built += LETTERS[decomposed.charAt(i)] as string;
      start = i + 1;
    } else {
      // A mark: dropped, joining what is around it (as fold strips marks before words are cut).
      const width = kind === MARK_PAIR ? 2 : 1;
      if (start >= 0) {
        built += decomposed.slice(start, i);
        start = i + width;
      }
      i += width - 1;
    }
  }
  return words;
}

const UNKNOWN = 0;
const SEPARATOR = 1;
const WORD_UNIT = 2;
const MARK_UNIT = 3;
/** A letter of {@link LETTERS}: spelled out. */
const SPELLED = 4;
const HIGH_SURROGATE = 5;
/** Classes of a surrogate pair, found per occurrence (astral characters are rare). */
const WORD_PAIR = 6;
const MARK_PAIR = 7;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const MARK_CHAR = /^\p{M}$/u;
/** The class of each UTF-16 code unit after lowercasing and NFKD, filled on first sight. */
const CLASS = new Uint8Array(0x10000);

function classify(unit: number): number {
  const char = String.fromCharCode(unit);
  const kind =
    unit >= 0xd800 && unit <= 0xdbff
      ? HIGH_SURROGATE
      : char in LETTERS
        ? SPELLED
        : MARK_CHAR.test(char)
          ? MARK_UNIT
          : WORD_CHAR.test(char)
            ? WORD_UNIT
            : SEPARATOR;
  CLASS[unit] = kind;
  return kind;
}

/** `word` cut to the maximum length, without splitting a surrogate pair. */
function cut(word: string): string {
  const end = /[\ud800-\udbff]/.test(word.charAt(MAX_TOKEN_LENGTH - 1)) ? MAX_TOKEN_LENGTH - 1 : MAX_TOKEN_LENGTH;
  return word.slice(0, end);
}
