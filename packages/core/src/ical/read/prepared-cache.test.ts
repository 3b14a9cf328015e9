import { describe, expect, it } from 'vitest';
import { calendar, vevent } from '../test-ics.ts';
import { prepareObject } from './prepare.ts';
import { preparedRecently, prepareRecent } from './prepared-cache.ts';

const series = (n: number, extra = '') =>
  calendar(vevent(`UID:s${n}`, 'DTSTART:20260105T100000Z', 'RRULE:FREQ=WEEKLY', `SUMMARY:S ${n}${extra}`));

describe('prepareRecent', () => {
  it('prepares a text once and gives what prepareObject gives', () => {
    const ics = series(0);
    const first = prepareRecent(ics);
    expect(prepareRecent(`${ics}`)).toBe(first);
    expect(first).toEqual(prepareObject(ics));
  });

  it('a changed text is prepared anew', () => {
    const before = prepareRecent(series(1));
    const after = prepareRecent(series(1, ' (moved)'));
    expect(after).not.toBe(before);
    expect(after.ok && after.object.master?.summary).toBe('S 1 (moved)');
  });

  it('keeps at most 2,048 objects, dropping the least recently used first', () => {
    const kept = prepareRecent(series(2));
    const dropped = prepareRecent(series(3));
    for (let n = 10; n < 3_000; n++) {
      prepareRecent(series(n));
      // Used all along: never the least recently used.
      if (n % 1_000 === 0) expect(prepareRecent(series(2))).toBe(kept);
    }
    expect(preparedRecently()).toBe(2_048);
    expect(prepareRecent(series(2))).toBe(kept);
    expect(prepareRecent(series(3))).not.toBe(dropped);
  });

  it('does not keep huge texts', () => {
    const huge = series(5, 'x'.repeat(70_000));
    expect(prepareRecent(huge)).not.toBe(prepareRecent(huge));
  });
});
