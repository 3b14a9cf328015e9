import { describe, expect, it } from 'vitest';
import type { EventPatch } from '../../api/types.ts';
import { expandObject } from '../expand/expand.ts';
import { calendar, utc } from '../test-ics.ts';
import { type EditIcsOptions, updateEventIcs } from './edit-recurrence.ts';

const NOW = utc(2026, 2, 1, 12);
const WINDOW = [utc(2025, 1, 1), utc(2028, 1, 1)] as const;

function update(ics: string, patch: EventPatch, options: Partial<EditIcsOptions>) {
  const result = updateEventIcs(ics, patch, { scope: 'all', now: NOW, ...options });
  if (!result.ok) throw result.error;
  return result;
}

/** Unfolded lines of the VEVENT with the given RECURRENCE-ID line part (or the master). */
function vevent(ics: string, recurrenceId?: string): string[] {
  const blocks = ics
    .replace(/\r\n[ \t]/g, '')
    .split('BEGIN:VEVENT\r\n')
    .slice(1);
  const block = blocks.find((b) =>
    recurrenceId === undefined ? !b.includes('RECURRENCE-ID') : b.includes(`RECURRENCE-ID${recurrenceId}`),
  );
  return block?.split('END:VEVENT')[0]?.split('\r\n').filter(Boolean) ?? [];
}

describe('splitting a series with overrides and EXDATEs', () => {
  const series = calendar(
    [
      'BEGIN:VEVENT',
      'UID:mondays',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T090000Z',
      'DTEND:20260105T100000Z',
      'RRULE:FREQ=WEEKLY;BYDAY=MO',
      'EXDATE:20260112T090000Z,20260209T090000Z',
      'SUMMARY:Monday',
      'X-CUSTOM;X-PARAM=1:kept',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:mondays',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20260119T090000Z',
      'DTSTART:20260119T090000Z',
      'DTEND:20260119T100000Z',
      'SUMMARY:Early override',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:mondays',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20260202T090000Z',
      'DTSTART:20260203T090000Z',
      'DTEND:20260203T100000Z',
      'SUMMARY:Late override',
      'END:VEVENT',
    ].join('\r\n'),
  );

  it('moves later overrides and EXDATEs to the new object', () => {
    const { ics, split } = update(series, {}, { scope: 'future', occurrence: utc(2026, 1, 26, 9) });
    expect(vevent(ics)).toEqual(
      expect.arrayContaining(['EXDATE:20260112T090000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260126T085959Z']),
    );
    expect(ics).toContain('SUMMARY:Early override');
    expect(ics).not.toContain('Late override');
    const next = split?.ics ?? '';
    expect(split?.uid).toBe('mondays-R20260126T090000Z');
    expect(vevent(next)).toEqual(
      expect.arrayContaining(['EXDATE:20260209T090000Z', 'DTSTART:20260126T090000Z', 'X-CUSTOM;X-PARAM=1:kept']),
    );
    expect(vevent(next, ':20260202T090000Z')).toEqual(
      expect.arrayContaining(['UID:mondays-R20260126T090000Z', 'SUMMARY:Late override']),
    );
    expect(expandObject(ics, ...WINDOW).map((o) => o.start.slice(0, 10))).toEqual(['2026-01-05', '2026-01-19']);
    const later = expandObject(next, utc(2026, 1, 1), utc(2026, 3, 1)).map((o) => o.start.slice(0, 10));
    expect(later).toEqual(['2026-01-26', '2026-02-03', '2026-02-16', '2026-02-23']);
  });

  it('moving the new series shifts the exceptions it took along', () => {
    const { ics, split } = update(
      series,
      { start: '2026-01-26T10:00:00Z', end: '2026-01-26T11:00:00Z' },
      { scope: 'future', occurrence: utc(2026, 1, 26, 9) },
    );
    expect(vevent(ics)).toContain('DTSTART:20260105T090000Z');
    const next = split?.ics ?? '';
    expect(vevent(next)).toEqual(expect.arrayContaining(['DTSTART:20260126T100000Z', 'EXDATE:20260209T100000Z']));
    // The late override had moved its instance: it keeps its own time, under the shifted RECURRENCE-ID.
    expect(vevent(next, ':20260202T100000Z')).toContain('DTSTART:20260203T090000Z');
    const later = expandObject(next, utc(2026, 1, 1), utc(2026, 3, 1)).map((o) => o.start);
    expect(later).toEqual([
      '2026-01-26T10:00:00.000Z',
      '2026-02-03T09:00:00.000Z',
      '2026-02-16T10:00:00.000Z',
      '2026-02-23T10:00:00.000Z',
    ]);
  });
});
