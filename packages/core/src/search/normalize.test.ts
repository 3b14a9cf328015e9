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
