import type { EventOccurrence } from '@calsync/core';
import { calsyncEventProps, textColorFor, toEventInput } from '@calsync/fullcalendar';
import type { EventSourceInput } from '@fullcalendar/core';
import { describe, expect, it } from 'vitest';
import { occurrence } from './test-fake-sync.ts';

describe('toEventInput', () => {
  it('maps a timed occurrence: id is the occurrenceId, the UTC instants pass through unchanged', () => {
    const input = toEventInput(
      occurrence({
        occurrenceId: 'ev1',
        eventId: 'ev1',
        calendarId: 'work',
        summary: 'Standup',
        start: '2026-03-10T08:00:00.000Z',
        end: '2026-03-10T08:15:00.000Z',
        timezone: 'Europe/Berlin',
        location: 'Room 1',
      }),
    );
    expect(input).toMatchObject({
      id: 'ev1',
      title: 'Standup',
      start: '2026-03-10T08:00:00.000Z',
      end: '2026-03-10T08:15:00.000Z',
      allDay: false,
      editable: true,
      classNames: [],
    });
    expect(input.extendedProps).toEqual({
      eventId: 'ev1',
      calendarId: 'work',
      recurrenceId: undefined,
      pending: false,
      conflict: false,
      timezone: 'Europe/Berlin',
      floating: false,
      location: 'Room 1',
      description: undefined,
    });
    expect(input).not.toHaveProperty('backgroundColor');
  });

  it('keeps an all-day end exclusive, as FullCalendar reads it (a one-day event ends the next day)', () => {
    const input = toEventInput(occurrence({ allDay: true, start: '2026-03-10', end: '2026-03-11' }));
    expect(input).toMatchObject({ allDay: true, start: '2026-03-10', end: '2026-03-11' });
  });

  it('gives floating times without offset (FullCalendar shows them at that clock time in its display zone)', () => {
    const input = toEventInput(
      occurrence({ start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T11:00:00.000Z', floating: true }),
    );
    expect(input).toMatchObject({ start: '2026-03-10T10:00:00.000', end: '2026-03-10T11:00:00.000' });
    expect(input.extendedProps.floating).toBe(true);
  });

  it('adds calsync-pending, calsync-conflict and calsync-recurring, then the extra classes', () => {
    const input = toEventInput(
      occurrence({
        occurrenceId: 's#2026-03-10T08:00:00Z',
        eventId: 's',
        recurrenceId: '2026-03-10T08:00:00Z',
        pending: true,
        conflict: true,
      }),
      undefined,
      { classNames: ['mine'], editable: false },
    );
    expect(input.classNames).toEqual(['calsync-pending', 'calsync-conflict', 'calsync-recurring', 'mine']);
    expect(input.editable).toBe(false);
    expect(input.extendedProps).toMatchObject({ recurrenceId: '2026-03-10T08:00:00Z', pending: true, conflict: true });
  });

  it('uses the calendar colour as background and border, with readable text', () => {
    expect(toEventInput(occurrence({}), '#ffeb3b')).toMatchObject({
      backgroundColor: '#ffeb3b',
      borderColor: '#ffeb3b',
      textColor: '#000000',
    });
    expect(toEventInput(occurrence({}), '#1a237e').textColor).toBe('#ffffff');
    expect(toEventInput(occurrence({}), 'rebeccapurple')).not.toHaveProperty('textColor');
  });

  it('is what FullCalendar takes (type-level: the source and its inputs are EventSourceInput / EventInput)', () => {
    const source: EventSourceInput = { events: [toEventInput(occurrence({}))] };
    expect(source).toBeDefined();
  });
});

describe('textColorFor', () => {
  it('picks black on light, white on dark colours, #rgb included', () => {
    expect(textColorFor('#fff')).toBe('#000000');
    expect(textColorFor('#000')).toBe('#ffffff');
    expect(textColorFor('#3788d8')).toBe('#000000');
    expect(textColorFor('#0b5394')).toBe('#ffffff');
    expect(textColorFor('blue')).toBeUndefined();
  });
});

describe('calsyncEventProps', () => {
  it('reads the calsync fields back, and rejects events that are not calsync’s', () => {
    const base: EventOccurrence = occurrence({ eventId: 'e', calendarId: 'c', description: 'd' });
    expect(calsyncEventProps({ extendedProps: toEventInput(base).extendedProps })).toMatchObject({
      eventId: 'e',
      calendarId: 'c',
      description: 'd',
      recurrenceId: undefined,
    });
    expect(calsyncEventProps({ extendedProps: {} })).toBeUndefined();
    expect(calsyncEventProps({ extendedProps: { eventId: 1, calendarId: 'c' } })).toBeUndefined();
  });
});
