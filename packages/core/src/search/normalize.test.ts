import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, MAX_TOKEN_LENGTH, tokens } from './normalize.ts';

describe('fold', () => {
  it('lowercases and strips diacritics', () => {
    expect(fold('Müller')).toBe('muller');
    expect(fold('Crème Brûlée')).toBe('creme brulee');
    expect(fold('İstanbul')).toBe('istanbul');
  });

  it('spells out letters without a decomposition', () => {
    expect(fold('Ærø')).toBe('aero');
    expect(fold('Straße')).toBe('strasse');
    expect(fold('Œuvre Łódź Đorđe Þór')).toBe('oeuvre lodz dorde thor');
  });

  it('folds compatibility forms', () => {
    expect(fold('ﬁle')).toBe('file');
    expect(fold('ＭＥＥＴ')).toBe('meet');
  });

  it('lowercases Greek (final sigma as sigma) and Cyrillic', () => {
    expect(fold('ΟΔΟΣ Αθηνά')).toBe('οδοσ αθηνα');
    expect(fold('МОСКВА Ёлка')).toBe('москва елка');
  });
});

describe('tokens', () => {
  it('splits on anything but letters and digits', () => {
    expect(tokens('Café-Meeting 10:30')).toEqual(['cafe', 'meeting', '10', '30']);
    expect(tokens("O'Brien, Dr. (Zoom) #4711")).toEqual(['o', 'brien', 'dr', 'zoom', '4711']);
    expect(tokens('  \n\t ;,- ')).toEqual([]);
  });

  it('keeps CJK runs as tokens', () => {
    expect(tokens('会议室 東京タワー')).toEqual(['会议室', '東京タワー']);
  });

  it('makes a query and a document agree whatever the accents', () => {
    const [doc] = tokens('Müller');
    for (const query of ['muller', 'mül', 'MÜ', 'Mu']) {
      const [word] = tokens(query);
      expect(doc?.startsWith(word as string), query).toBe(true);
    }
  });

  it('cuts long tokens on both sides', () => {
    const long = 'a'.repeat(10_000);
    expect(tokens(`${long} b`)).toEqual(['a'.repeat(MAX_TOKEN_LENGTH), 'b']);
    const astral = `${'x'.repeat(MAX_TOKEN_LENGTH - 1)}𠀀𠀀`;
    const [cut] = tokens(astral);
    expect(cut).toBe('x'.repeat(MAX_TOKEN_LENGTH - 1));
  });
});

/** What `tokens` must return: fold, then the Unicode word regex, then the cut. */
function reference(text: string): string[] {
  return (fold(text).match(/[\p{L}\p{N}]+/gu) ?? []).map((word) =>
    word.length <= MAX_TOKEN_LENGTH
      ? word
      : word.slice(
          0,
          /[\ud800-\udbff]/.test(word.charAt(MAX_TOKEN_LENGTH - 1)) ? MAX_TOKEN_LENGTH - 1 : MAX_TOKEN_LENGTH,
        ),
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('tokens agrees with fold and a word regex', () => {
  const tricky = fc.constantFrom(
    ...'aZ09 -_,.;:\'"\n\tßẞæÆøØœŒłŁđĐðÐþÞıİςΣé\u0301\u0308\u20dd\u093e\u3099ﬁＭ½²会議東京タワー𠀀𝐀😀\ud800\udc00\u0000'.split(
      '',
    ),
    '\ud835\udc00',
    '\ud83d\ude00',
    '\ud840\udc00',
    '\u{1d167}',
  );
  it('on random well-formed text (marks, spelled letters, astral characters)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(tricky, { maxLength: 40 }).map((chars) => chars.join('')),
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ unit: fc.constantFrom('a', 'é', '\u0301', 'ß', ' '), minLength: 60, maxLength: 140 }),
        ),
        (text) => {
          // Lone surrogates may differ (fold strips a mark between two halves and pairs them):
          // junk either way, and documents and queries both go through tokens.
          fc.pre(!LONE_SURROGATE.test(text));
          expect(tokens(text)).toEqual(reference(text));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('reads lone surrogates as separators', () => {
    expect(tokens('ab\ud800cd\udc00ef')).toEqual(['ab', 'cd', 'ef']);
  });
});
