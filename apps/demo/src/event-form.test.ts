import type { CalendarEvent, EventOccurrence } from '@calsync/core';
import { describe, expect, it } from 'vitest';
import {
  type EventFormValues,
  newEventValues,
  occurrenceValues,
  repeatOf,
  toEventInput,
  toEventPatch,
  validate,
  withAllDay,
} from './event-form.ts';

const timed: EventFormValues = {
  calendarId: 'cal',
  summary: 'Lunch',
  allDay: false,
  start: '2026-12-07T12:00',
  end: '2026-12-07T13:30',
  timezone: 'America/New_York',
  location: '',
  description: '',
  repeat: 'none',
};

const occurrence = (extra: Partial<EventOccurrence> = {}): EventOccurrence => ({
  occurrenceId: 'cal|a.ics',
  eventId: 'cal|a.ics',
  calendarId: 'cal',
  uid: 'a',
  summary: 'Standup',
  start: '2026-12-09T08:00:00.000Z',
  end: '2026-12-09T08:15:00.000Z',
  allDay: false,
  timezone: 'Europe/Berlin',
  location: 'Room 1',
  pending: false,
  conflict: false,
  ...extra,
});

describe('toEventInput', () => {
  it('sends wall time without offset plus the zone', () => {
    expect(toEventInput({ ...timed, repeat: 'weekly', location: ' Cafe ' })).toEqual({
      summary: 'Lunch',
      start: '2026-12-07T12:00:00',
      end: '2026-12-07T13:30:00',
      allDay: false,
      timezone: 'America/New_York',
      location: 'Cafe',
      rrule: 'FREQ=WEEKLY',
    });
  });

  it('makes the inclusive all-day end exclusive and sends no zone', () => {
    const input = toEventInput({ ...timed, allDay: true, start: '2026-12-31', end: '2026-12-31' });
    expect(input).toEqual({ summary: 'Lunch', start: '2026-12-31', end: '2027-01-01', allDay: true });
  });
});

describe('occurrenceValues', () => {
  it('shows a timed occurrence on the wall clock of its zone', () => {
    const values = occurrenceValues(occurrence());
    expect(values).toMatchObject({ start: '2026-12-09T09:00', end: '2026-12-09T09:15', timezone: 'Europe/Berlin' });
  });

  it('shows the last day of an all-day occurrence, and saving gives the original end back', () => {
    const values = occurrenceValues(occurrence({ allDay: true, start: '2026-12-24', end: '2026-12-27' }));
    expect(values).toMatchObject({ start: '2026-12-24', end: '2026-12-26' });
    expect(toEventInput(values)).toMatchObject({ start: '2026-12-24', end: '2026-12-27' });
  });
});

describe('validate', () => {
  it('asks for a title and an end after the start', () => {
    expect(validate({ ...timed, summary: ' ' })?.field).toBe('summary');
    expect(validate({ ...timed, end: timed.start })?.message).toBe('The end must be after the start.');
    expect(validate({ ...timed, timezone: 'Mars/Olympus' })?.field).toBe('timezone');
    expect(validate({ ...timed, allDay: true, start: '2026-12-07', end: '2026-12-07' })).toBeUndefined();
    expect(validate({ ...timed, allDay: true, start: '2026-12-07', end: '2026-12-06' })?.field).toBe('end');
    expect(validate(timed)).toBeUndefined();
  });
});

describe('repeatOf', () => {
  it('maps plain FREQ rules and keeps others as custom', () => {
    expect(repeatOf(undefined)).toBe('none');
    expect(repeatOf('FREQ=MONTHLY')).toBe('monthly');
    expect(repeatOf('FREQ=WEEKLY;BYDAY=MO,TU')).toBe('custom');
  });
});

describe('toEventPatch', () => {
  const initial = occurrenceValues(occurrence());

  it('carries only what changed; an emptied text is removed', () => {
    const patch = toEventPatch(
      initial,
      { ...initial, summary: 'Standup!', location: '' },
      { scope: 'all', occurrence: false },
    );
    expect(patch).toEqual({ summary: 'Standup!', location: null });
  });

  it('moves one occurrence to the new wall time', () => {
    const moved = { ...initial, start: '2026-12-10T10:00', end: '2026-12-10T10:15' };
    expect(toEventPatch(initial, moved, { scope: 'this', occurrence: true })).toEqual({
      start: '2026-12-10T10:00:00',
      end: '2026-12-10T10:15:00',
      allDay: false,
      timezone: 'Europe/Berlin',
    });
  });

  it('moves a whole series by the same amount from its own start', () => {
    const series = { start: '2026-11-02T08:00:00.000Z', allDay: false } as CalendarEvent;
    const moved = { ...initial, start: '2026-12-10T10:00', end: '2026-12-10T10:30' };
    expect(toEventPatch(initial, moved, { scope: 'all', occurrence: true, series })).toMatchObject({
      start: '2026-11-03T10:00:00',
      end: '2026-11-03T10:30:00',
    });
  });
});

describe('withAllDay', () => {
  it('keeps the days when switching back and forth', () => {
    const allDay = withAllDay(timed, true);
    expect(allDay).toMatchObject({ allDay: true, start: '2026-12-07', end: '2026-12-07' });
    expect(withAllDay(allDay, false)).toMatchObject({ start: '2026-12-07T09:00', end: '2026-12-07T10:00' });
  });
});

describe('newEventValues', () => {
  it('starts at the next full hour today and lasts an hour', () => {
    const now = new Date(2026, 11, 7, 10, 20);
    expect(newEventValues('cal', now, now)).toMatchObject({ start: '2026-12-07T11:00', end: '2026-12-07T12:00' });
    expect(newEventValues('cal', new Date(2026, 11, 9), now).start).toBe('2026-12-09T09:00');
  });
});
