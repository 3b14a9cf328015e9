import { describe, expect, it } from 'vitest';
import { queryKey } from './query-key.ts';

const start = '2030-01-07T00:00:00Z';
const end = '2030-01-14T00:00:00Z';

describe('queryKey', () => {
  it('is equal for the same instants written as Dates, UTC or offset strings', () => {
    const key = queryKey({ start, end });
    expect(queryKey({ start: new Date(start), end: new Date(end) })).toBe(key);
    expect(queryKey({ start: '2030-01-07T01:00:00+01:00', end: '2030-01-14T00:00:00.000Z' })).toBe(key);
  });

  it('differs for another start or end', () => {
    const key = queryKey({ start, end });
    expect(queryKey({ start, end: '2030-01-14T00:00:00.001Z' })).not.toBe(key);
    expect(queryKey({ start: '2030-01-06T23:59:59Z', end })).not.toBe(key);
  });

  it('reads calendarIds as a set; absent (all calendars) differs from an empty list', () => {
    const key = queryKey({ start, end, calendarIds: ['a', 'b'] });
    expect(queryKey({ start, end, calendarIds: ['b', 'a', 'b'] })).toBe(key);
    expect(queryKey({ start, end, calendarIds: ['a'] })).not.toBe(key);
    expect(queryKey({ start, end })).not.toBe(queryKey({ start, end, calendarIds: [] }));
  });

  it('keeps unreadable dates apart from each other and from readable ones', () => {
    expect(queryKey({ start: 'soon', end })).not.toBe(queryKey({ start: 'later', end }));
    expect(queryKey({ start: new Date(Number.NaN), end })).not.toBe(queryKey({ start, end }));
  });
});
