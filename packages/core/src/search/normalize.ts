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
const WORD = /[\p{L}\p{N}]+/gu;

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
 * The folded words of `text`: maximal runs of letters and digits (`\p{L}\p{N}`), each cut to
 * {@link MAX_TOKEN_LENGTH}. `'Café-Meeting 10:30'` → `['cafe', 'meeting', '10', '30']`.
 * Scripts without spaces (Chinese, Japanese) give one token per run, found by its prefix.
 */
export function tokens(text: string): string[] {
  const words = fold(text).match(WORD);
  if (words === null) return [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word.length > MAX_TOKEN_LENGTH) words[i] = cut(word);
  }
  return words;
}

/** `word` cut to the maximum length, without splitting a surrogate pair. */
function cut(word: string): string {
  const end = /[\ud800-\udbff]/.test(word.charAt(MAX_TOKEN_LENGTH - 1)) ? MAX_TOKEN_LENGTH - 1 : MAX_TOKEN_LENGTH;
  return word.slice(0, end);
}
