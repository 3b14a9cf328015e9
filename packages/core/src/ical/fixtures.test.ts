import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandObject } from './expand/expand.ts';
import { indexObject } from './read/index-object.ts';
import { prepareObject } from './read/prepare.ts';
import { calendar } from './test-ics.ts';

// Real-world and deliberately broken files from collective/icalendar (see test/fixtures/ics/README.md).
const root = new URL('../../../../test/fixtures/ics/icalendar/', import.meta.url).pathname;
const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ics'))
  .sort();
const read = (name: string): string => readFileSync(join(root, name), 'utf8');

describe('collective/icalendar fixtures', () => {
  const outcomes = new Map<string, 'ok' | 'bad'>();

  it.each(files)('%s is indexed or reported as bad-data, and expands', (name) => {
    const ics = read(name);
    const started = performance.now();
    const result = indexObject(ics);
    if (result.ok) {
      expect(result.fields.uid).not.toBe('');
      expect(result.fields.rangeEnd).toBeGreaterThanOrEqual(result.fields.rangeStart);
      const prepared = prepareObject(ics);
      expect(prepared.ok).toBe(true);
      const occurrences = expandObject(prepared, Date.UTC(2025, 0, 1), Date.UTC(2027, 0, 1));
      for (const occurrence of occurrences) {
        expect(occurrence.uid).toBe(result.fields.uid);
        expect(occurrence.endMs).toBeGreaterThanOrEqual(occurrence.startMs);
      }
    } else {
      expect(result.error.code).toBe('bad-data');
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    outcomes.set(name, result.ok ? 'ok' : 'bad');
  });

  it('classifies known files as expected', () => {
    const ok = [...outcomes.values()].filter((outcome) => outcome === 'ok').length;
    expect(outcomes.size).toBe(files.length);
    // Most files are fragments (a bare VEVENT, VALARM …) or deliberately broken; about a third
    // are complete VCALENDARs with a UID.
    expect(ok).toBeGreaterThan(40);
    expect(ok).toBeLessThan(files.length - 60);
    for (const good of [
      'tests/calendars/x_location.ics',
      'tests/calendars/issue_1081_event_with_rrule.ics',
      'tests/calendars/america_new_york.ics',
      'tests/calendars/issue_1050_calendar_with_events_and_todos.ics',
      'tests/calendars/timezone_same_start.ics',
      'fuzzing/corpus/timezoned.ics',
    ]) {
      expect(outcomes.get(good), good).toBe('ok');
    }
    for (const broken of [
      'tests/calendars/big_bad_calendar.ics',
      'tests/calendars/broken_dtstart.ics',
      'tests/calendars/invalid_duration.ics',
      'tests/calendars/issue_1081_invalid_rrule_freq.ics',
      'tests/calendars/empty.ics',
      'fuzzing/corpus/Index_Error.ics',
      'fuzzing/corpus/Type_Error.ics',
      // A bare VEVENT is not a calendar object resource.
      'tests/events/event_with_recurrence.ics',
    ]) {
      expect(outcomes.get(broken), broken).toBe('bad');
    }
  });

  it('expands the recurring Europe/Zurich event of x_location.ics on weekdays', () => {
    const occurrences = expandObject(
      read('tests/calendars/x_location.ics'),
      Date.UTC(2026, 0, 5),
      Date.UTC(2026, 0, 12),
    );
    expect(occurrences.map((o) => o.start)).toEqual(
      ['05', '06', '07', '08', '09'].map((day) => `2026-01-${day}T13:00:00.000Z`),
    );
    expect(occurrences[0]?.timezone).toBe('Europe/Zurich');
  });

  it('reads event_with_recurrence.ics once wrapped in a VCALENDAR and given a UID', () => {
    // The file is a bare VEVENT without UID; its floating DTSTART is read as UTC, so the
    // UTC EXDATEs remove three of the 100 daily instances.
    const bare = read('tests/events/event_with_recurrence.ics')
      .trim()
      .replace('BEGIN:VEVENT', 'BEGIN:VEVENT\r\nUID:fixture');
    const ics = calendar(bare);
    const result = indexObject(ics);
    expect(result.ok && result.fields).toMatchObject({ recurring: true, rangeEnd: Date.UTC(1996, 6, 9, 2) });
    expect(expandObject(ics, Date.UTC(1996, 0, 1), Date.UTC(1997, 0, 1))).toHaveLength(97);
  });

  it('indexes only the first UID of a file with several events', () => {
    const result = indexObject(read('tests/calendars/issue_526_calendar_with_events.ics'));
    expect(result.ok && result.fields.uid).toBe('1');
  });
});
