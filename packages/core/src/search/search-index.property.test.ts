import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObjectRecord } from '../model/records.ts';
import { searchableFields } from './extract.ts';
import { tokens } from './normalize.ts';
import { SearchIndex } from './search-index.ts';
import { type EventTexts, eventRow } from './test-rows.ts';

/**
 * The index against a linear scan: after any sequence of calendar loads, patches and drops,
 * every query finds exactly the documents whose tokens cover each query word as a prefix,
 * best first.
 */

const WORDS = ['Müller', 'muller', 'mul', 'Café', 'cafe', 'zoom', 'zoo', 'Ærø', 'aero', 'x', 'xy', '10:30', 'Straße'];
const CALENDARS = ['a', 'b'];
const HREFS = ['1', '2', '3', '4', '5', '6'];

const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }).map((words) => words.join(' '));
const texts: fc.Arbitrary<EventTexts> = fc.record(
  {
    summary: text,
    location: text,
    description: text,
    attendees: fc.array(text, { maxLength: 2 }),
    categories: fc.array(text, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const row = (calendarId: string, href: string, t: EventTexts | null): ObjectRecord | undefined =>
  t === null ? undefined : eventRow(calendarId, href, t);

type Step =
  | { kind: 'set'; calendarId: string; rows: Array<[string, EventTexts]> }
  | { kind: 'patch'; calendarId: string; changes: Array<[string, EventTexts | null]> }
  | { kind: 'drop'; calendarId: string };

const calendarId = fc.constantFrom(...CALENDARS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    calendarId,
    rows: fc.array(fc.tuple(fc.constantFrom(...HREFS), texts), { maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constant('patch' as const),
    calendarId,
    changes: fc.array(fc.tuple(fc.constantFrom(...HREFS), fc.option(texts)), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('drop' as const), calendarId }),
);
/** Queries: whole words, their prefixes (accented or not), and words no document has. */
const query = fc
  .array(
    fc.oneof(
      fc.constantFrom(...WORDS),
      fc.tuple(fc.constantFrom(...WORDS), fc.integer({ min: 1, max: 4 })).map(([w, n]) => w.slice(0, n)),
      fc.constantFrom('q', 'MÜ', 'caf', 'ae', 'ss', ''),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((words) => words.join(' '));

/** The linear scan the index must agree with. */
function naive(model: Map<string, Map<string, ObjectRecord>>, q: string, only?: ReadonlySet<string>): string[] {
  const words = tokens(q);
  if (words.length === 0) return [];
  const found: string[] = [];
  for (const [calendar, rows] of model) {
    if (only !== undefined && !only.has(calendar)) continue;
    for (const [href, r] of rows) {
      const doc = Object.values(searchableFields(r)).flatMap(tokens);
      if (words.every((word) => doc.some((token) => token.startsWith(word)))) found.push(`${calendar}/${href}`);
    }
  }
  return found.sort();
}

describe('SearchIndex agrees with a linear scan', () => {
  it('after random loads, patches, drops and compactions', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 12 }),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 2, 1_024),
        (steps, queries, compactAfter) => {
          const index = new SearchIndex({ compactAfter });
          const model = new Map<string, Map<string, ObjectRecord>>();
          for (const s of steps) {
            if (s.kind === 'set') {
              const rows = s.rows.map(([href, t]) => eventRow(s.calendarId, href, t));
              index.setCalendar(s.calendarId, rows);
              model.set(s.calendarId, new Map(rows.map((r) => [r.href, r])));
            } else if (s.kind === 'patch') {
              const rows = s.changes.map(([href, t]) => row(s.calendarId, href, t));
              index.patch(
                s.calendarId,
                s.changes.map(([href]) => href),
                rows,
              );
              const current = model.get(s.calendarId);
              if (current === undefined) continue;
              for (const [i, [href]] of s.changes.entries()) {
                const r = rows[i];
                if (r === undefined) current.delete(href);
                else current.set(href, r);
              }
            } else {
              index.dropCalendar(s.calendarId);
              model.delete(s.calendarId);
            }
          }
          for (const q of queries) {
            for (const only of [undefined, new Set(['a'])]) {
              const hits = index.search(q, only);
              expect(hits.map((hit) => `${hit.calendarId}/${hit.href}`).sort(), q).toEqual(naive(model, q, only));
              for (let i = 1; i < hits.length; i++) {
                expect((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0)).toBe(true);
              }
              // The first `top` alone are the first `top` of the whole ranking, in order.
              for (const top of [0, 1, 2, 5])
                expect(index.search(q, only, top), `${q} top ${top}`).toEqual(hits.slice(0, top));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
