import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCollection, canonicalHref, parsedCanonicalHref, parsedPlaceHref, placeHref } from './href.ts';

const CAL = 'https://dav.example.com/home/cal/';

describe('canonicalHref', () => {
  it('writes one form for the many spellings of one resource', () => {
    const forms = [
      'https://dav.example.com/home/cal/a@b.ics',
      'https://dav.example.com/home/cal/a%40b.ics',
      'https://DAV.example.com:443/home/cal/a%40b.ics',
      'HTTPS://dav.example.com/home/x/../cal/./a@b.ics',
      '/home/cal/%61%40b.ics',
      './a%40b.ics',
      'a@b.ics',
    ];
    expect(new Set(forms.map((f) => canonicalHref(f, CAL)))).toEqual(
      new Set(['https://dav.example.com/home/cal/a@b.ics']),
    );
  });

  it('keeps what must stay encoded, with uppercase hex', () => {
    expect(canonicalHref('/cal/a%2fb%3f%23%20c%c3%a9.ics', CAL)).toBe(
      'https://dav.example.com/cal/a%2Fb%3F%23%20c%C3%A9.ics',
    );
    // Raw characters that are no pchar are encoded; bytes that are not UTF-8 survive.
    expect(canonicalHref('/cal/a|b^c%FF.ics', CAL)).toBe('https://dav.example.com/cal/a%7Cb%5Ec%FF.ics');
    expect(canonicalHref('/cal/été.ics', CAL)).toBe('https://dav.example.com/cal/%C3%A9t%C3%A9.ics');
  });

  it('refuses what is no http(s) URL', () => {
    expect(() => canonicalHref('javascript:alert(1)', CAL)).toThrow(/scheme/);
    expect(() => canonicalHref('http://[::1', CAL)).toThrow(/not a URL/);
  });

  it('gives collections a trailing slash', () => {
    expect(canonicalCollection('https://dav.example.com/home/cal')).toBe(CAL);
  });
});

describe('placeHref', () => {
  const outside = [
    'http://evil.test/x.ics',
    'http://169.254.169.254/latest/meta-data/x.ics',
    'https://dav.example.com:8443/home/cal/x.ics',
    'http://dav.example.com/home/cal/x.ics',
    '/home/cal/../other/victim.ics',
    '/home/cal/%2e%2e/other/victim.ics',
    '/home/cal/..%2fother/victim.ics',
    '/home/',
    '/principals/alice/',
    '/home/cal/sub/deeper.ics',
    '/home/cal/x.ics?action=delete',
    '/home/cal/x.ics#frag',
    'https://user:pw@dav.example.com/home/cal/x.ics',
    '//evil.test/home/cal/x.ics',
    '\\\\evil.test\\home\\cal\\x.ics',
  ];
  it.each(outside)('refuses %s', (href) => {
    expect(placeHref(CAL, href).kind).not.toBe('member');
  });

  it('accepts members directly inside, in canonical form', () => {
    expect(placeHref(CAL, '/home/cal/a%40b.ics')).toEqual({
      kind: 'member',
      href: 'https://dav.example.com/home/cal/a@b.ics',
    });
    expect(placeHref(CAL, 'no-extension')).toEqual({ kind: 'member', href: `${CAL}no-extension` });
    // A `%2F` inside one segment stays one (odd) segment.
    expect(placeHref(CAL, '/home/cal/a%2Fb.ics').kind).toBe('member');
  });

  it('knows the collection itself, with or without a slash', () => {
    expect(placeHref(CAL, '/home/cal/').kind).toBe('self');
    expect(placeHref(CAL, '/home/cal').kind).toBe('self');
  });

  it('accepts sub-collections only when asked to', () => {
    expect(placeHref('https://dav.example.com/home/', '/home/cal/', 'collection').kind).toBe('member');
    expect(placeHref('https://dav.example.com/home/', '/home/cal/', 'object').kind).toBe('outside');
    expect(placeHref('https://dav.example.com/home/', '/home/cal/x/', 'collection').kind).toBe('outside');
  });
});

describe('the URL-parser-free paths', () => {
  const alphabet = [
    '/',
    '/',
    'a',
    'B',
    '.',
    '..',
    '%',
    '2F',
    '%61',
    '@',
    ':',
    '?',
    '#',
    '\\',
    ' ',
    'é',
    '~',
    "'",
    '|',
    '%2e',
    'x.ics',
  ];
  const piece = fc.constantFrom(...alphabet);
  const href = fc
    .tuple(
      fc.constantFrom('', '/', '//', '/home/cal/', 'https://dav.example.com/home/cal/', 'http://other/'),
      fc.array(piece, { maxLength: 8 }),
    )
    .map(([start, rest]) => start + rest.join(''));
  const base = fc.constantFrom(
    CAL,
    'https://DAV.example.com:443/home/cal/',
    'http://dav.example.com:80/cal/',
    'http://[::1]:8080/cal/',
    'https://user:pw@dav.example.com/cal/',
    'ftp://dav.example.com/cal/',
    'not a url',
  );
  const outcome = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('canonicalHref gives exactly what the URL parser gives, or the same error (property)', () => {
    fc.assert(
      fc.property(href, base, (h, b) => {
        expect(outcome(() => canonicalHref(h, b))).toEqual(outcome(() => parsedCanonicalHref(h, b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('placeHref gives exactly what the parsing path gives (property)', () => {
    fc.assert(
      fc.property(
        href,
        fc.constantFrom(CAL, 'https://user:pw@dav.example.com/home/cal/', 'http://[::1]:8080/cal'),
        fc.constantFrom('object' as const, 'collection' as const),
        (h, collection, member) => {
          const placed = outcome(() => placeHref(collection, h, member));
          const expected = outcome(() => parsedPlaceHref(collection, h, member));
          expect(placed).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
