import { describe, expect, it } from 'vitest';
import { calendar, vevent } from '../ical/test-ics.ts';
import { SearchIndex } from './search-index.ts';
import { type EventTexts, eventRow, rowOf } from './test-rows.ts';

function indexOf(rows: Record<string, EventTexts>, calendarId = 'cal'): SearchIndex {
  const index = new SearchIndex();
  index.setCalendar(
    calendarId,
    Object.entries(rows).map(([href, texts]) => eventRow(calendarId, href, texts)),
  );
  return index;
}

const hrefs = (index: SearchIndex, text: string, calendarIds?: ReadonlySet<string>): string[] =>
  index.search(text, calendarIds).map((hit) => hit.href);

describe('SearchIndex matching', () => {
  const index = indexOf({
    design: { summary: 'Design review', location: 'Room Ada' },
    budget: { summary: 'Budget review', description: 'Bring the numbers' },
    mueller: { summary: 'Call', attendees: ['Jörg Müller', 'Doe, Jane'] },
    aero: { summary: 'Ferry to Ærø', categories: ['Travel', 'Family\\Friends'] },
    tokyo: { summary: '東京タワー visit' },
  });

  it('needs every word, each as a prefix', () => {
    expect(hrefs(index, 'rev').sort()).toEqual(['budget', 'design']);
    expect(hrefs(index, 'rev des')).toEqual(['design']);
    expect(hrefs(index, 'review ada')).toEqual(['design']);
    expect(hrefs(index, 'review zoom')).toEqual([]);
    expect(hrefs(index, 'reviews')).toEqual([]);
  });

  it('ignores case and diacritics on both sides', () => {
    expect(hrefs(index, 'muller')).toEqual(['mueller']);
    expect(hrefs(index, 'MÜL')).toEqual(['mueller']);
    expect(hrefs(index, 'jane doe')).toEqual(['mueller']);
    expect(hrefs(index, 'aero')).toEqual(['aero']);
    expect(hrefs(index, 'ærø')).toEqual(['aero']);
  });

  it('searches every field', () => {
    expect(hrefs(index, 'numbers')).toEqual(['budget']);
    expect(hrefs(index, 'room')).toEqual(['design']);
    expect(hrefs(index, 'trav')).toEqual(['aero']);
    expect(hrefs(index, 'friends')).toEqual(['aero']);
    expect(hrefs(index, '東京')).toEqual(['tokyo']);
  });

  it('finds nothing for an empty or punctuation-only query', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('  \t\n')).toEqual([]);
    expect(index.search('-- ,;')).toEqual([]);
  });

  it("finds an override's title and skips rows that are not 'ok'", () => {
    const series = calendar(
      vevent('UID:s', 'SUMMARY:Yoga', 'DTSTART:20260105T100000Z', 'RRULE:FREQ=WEEKLY'),
      vevent('UID:s', 'RECURRENCE-ID:20260112T100000Z', 'DTSTART:20260112T120000Z', 'SUMMARY:Pilates instead'),
    );
    const bad = { ...eventRow('cal', 'bad', { summary: 'Pilates broken' }), state: 'bad' as const };
    const other = new SearchIndex();
    other.setCalendar('cal', [rowOf('cal', 'series', series, 'Yoga'), bad]);
    expect(hrefs(other, 'pilates')).toEqual(['series']);
  });
});

describe('SearchIndex ranking', () => {
  it('ranks a summary match above a description match, an exact word above a completion', () => {
    const index = indexOf({
      described: { summary: 'Team sync', description: 'lunch afterwards' },
      titled: { summary: 'Lunch with Bob' },
      categorised: { summary: 'Offsite', categories: ['Lunch'] },
    });
    expect(hrefs(index, 'lunch')).toEqual(['titled', 'categorised', 'described']);
    const exact = indexOf({ completion: { summary: 'Meeting notes' }, exact: { summary: 'Notes of the meet' } });
    expect(hrefs(exact, 'meet')).toEqual(['exact', 'completion']);
  });

  it('prefers a word at the start of the title, and shorter titles', () => {
    const index = indexOf({
      late: { summary: 'Morning yoga' },
      long: { summary: 'Yoga with the whole team' },
      short: { summary: 'Yoga' },
    });
    expect(hrefs(index, 'yoga')).toEqual(['short', 'long', 'late']);
  });

  it('breaks ties by title, then calendar, then href', () => {
    const index = new SearchIndex();
    index.setCalendar('b', [eventRow('b', 'x', { summary: 'Standup' }), eventRow('b', 'a', { summary: 'Standup' })]);
    index.setCalendar('a', [eventRow('a', 'z', { summary: 'Standup' }), eventRow('a', 'y', { summary: 'Standup' })]);
    const hits = index.search('standup');
    expect(hits.map((hit) => `${hit.calendarId}/${hit.href}`)).toEqual(['a/y', 'a/z', 'b/a', 'b/x']);
    expect(new Set(hits.map((hit) => hit.score)).size).toBe(1);
  });
});

describe('SearchIndex updates', () => {
  it('filters by calendar', () => {
    const index = new SearchIndex();
    index.setCalendar('work', [eventRow('work', 'w', { summary: 'Review' })]);
    index.setCalendar('home', [eventRow('home', 'h', { summary: 'Review' })]);
    expect(hrefs(index, 'review', new Set(['home']))).toEqual(['h']);
    expect(hrefs(index, 'review', new Set(['unknown']))).toEqual([]);
    expect(hrefs(index, 'review', new Set(['home', 'work'])).sort()).toEqual(['h', 'w']);
  });

  it('patches: adds, replaces (new words found, old ones not) and removes', () => {
    const index = indexOf({ a: { summary: 'Dentist' }, b: { summary: 'Haircut' } });
    index.patch(
      'cal',
      ['a', 'c', 'b'],
      [
        eventRow('cal', 'a', { summary: 'Orthodontist' }),
        eventRow('cal', 'c', { summary: 'Dentist again' }),
        undefined,
      ],
    );
    expect(hrefs(index, 'dentist')).toEqual(['c']);
    expect(hrefs(index, 'ortho')).toEqual(['a']);
    expect(hrefs(index, 'haircut')).toEqual([]);
    index.patch('cal', ['c'], [{ ...eventRow('cal', 'c', { summary: 'Dentist' }), state: 'bad' }]);
    expect(hrefs(index, 'dentist')).toEqual([]);
    expect(index.stats().documents).toBe(1);
  });

  it('ignores patches of a calendar it was never given', () => {
    const index = new SearchIndex();
    index.patch('cal', ['a'], [eventRow('cal', 'a', { summary: 'Dentist' })]);
    expect(index.hasCalendar('cal')).toBe(false);
    expect(hrefs(index, 'dentist')).toEqual([]);
  });

  it('replaces a calendar whole and drops it', () => {
    const index = indexOf({ a: { summary: 'Dentist' } });
    index.setCalendar('cal', [eventRow('cal', 'b', { summary: 'Doctor' })]);
    expect(hrefs(index, 'd')).toEqual(['b']);
    expect(index.hasCalendar('cal')).toBe(true);
    index.dropCalendar('cal');
    expect(index.hasCalendar('cal')).toBe(false);
    expect(hrefs(index, 'd')).toEqual([]);
    index.setCalendar('cal', [eventRow('cal', 'c', { summary: 'Dentist' })]);
    expect(hrefs(index, 'd')).toEqual(['c']);
  });

  it('compacts removed documents away, results unchanged', () => {
    const index = indexOf({ keep: { summary: 'Keep me' } });
    for (let round = 0; round < 3_000; round++) {
      index.patch('cal', ['churn'], [eventRow('cal', 'churn', { summary: `Churn ${round} word${round}` })]);
    }
    const stats = index.stats();
    expect(stats.documents).toBe(2);
    expect(stats.removed).toBeLessThanOrEqual(1_025);
    expect(stats.tokens).toBeLessThan(3_000);
    expect(hrefs(index, 'churn')).toEqual(['churn']);
    expect(hrefs(index, 'word2999')).toEqual(['churn']);
    expect(hrefs(index, 'word2998')).toEqual([]);
    expect(hrefs(index, 'keep')).toEqual(['keep']);
  });
});
