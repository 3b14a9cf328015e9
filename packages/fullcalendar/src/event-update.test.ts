import { toEventInput } from '@calsync/fullcalendar';
import { describe, expect, it } from 'vitest';
import { eventMutations, type ShownEvent } from './event-update.ts';
import { occurrence } from './test-fake-sync.ts';

// What FullCalendar shows for an input it was given (as EventApi reports it, in UTC display).
function shownFor(input: ReturnType<typeof toEventInput>): ShownEvent {
  return {
    title: input.title,
    allDay: input.allDay,
    start: new Date(input.allDay ? `${input.start}T00:00:00Z` : input.start),
    end: new Date(input.allDay ? `${input.end}T00:00:00Z` : input.end),
    startStr: input.start,
    endStr: input.end,
    classNames: [...input.classNames],
    backgroundColor: input.backgroundColor ?? '',
    borderColor: input.borderColor ?? '',
    textColor: input.textColor ?? '',
    startEditable: input.editable,
    durationEditable: input.editable,
    extendedProps: { ...input.extendedProps },
  };
}

describe('eventMutations', () => {
  const before = occurrence({ summary: 'Standup', location: 'Room 1' });

  it('nothing for an event that already shows the input (e.g. the echo of a drag)', () => {
    const input = toEventInput(before, '#0b5394');
    expect(eventMutations(shownFor(input), input)).toEqual([]);
  });

  it('only the changed fields: title, dates, extended props', () => {
    const shown = shownFor(toEventInput(before));
    const next = toEventInput({
      ...before,
      summary: 'Retro',
      start: '2026-03-10T10:00:00.000Z',
      end: '2026-03-10T11:00:00.000Z',
      location: 'Room 2',
    });
    expect(eventMutations(shown, next)).toEqual([
      { kind: 'prop', name: 'title', value: 'Retro' },
      { kind: 'dates', start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T11:00:00.000Z', allDay: false },
      { kind: 'extendedProp', name: 'location', value: 'Room 2' },
    ]);
  });

  it('pending → synced changes the classes and the flag', () => {
    const shown = shownFor(toEventInput({ ...before, pending: true }));
    expect(eventMutations(shown, toEventInput(before))).toEqual([
      { kind: 'prop', name: 'classNames', value: [] },
      { kind: 'extendedProp', name: 'pending', value: false },
    ]);
  });

  it('a switch to all-day sets the dates with allDay', () => {
    const shown = shownFor(toEventInput(before));
    const next = toEventInput({ ...before, allDay: true, start: '2026-03-10', end: '2026-03-11' });
    expect(eventMutations(shown, next)).toContainEqual({
      kind: 'dates',
      start: '2026-03-10',
      end: '2026-03-11',
      allDay: true,
    });
  });

  it('colour and editability follow the calendar', () => {
    const shown = shownFor(toEventInput(before, '#0b5394'));
    expect(eventMutations(shown, toEventInput(before, undefined, { editable: false }))).toEqual([
      { kind: 'prop', name: 'backgroundColor', value: '' },
      { kind: 'prop', name: 'borderColor', value: '' },
      { kind: 'prop', name: 'textColor', value: '' },
      { kind: 'prop', name: 'editable', value: false },
    ]);
  });

  it('a zero-length event FullCalendar shows without an end matches its input', () => {
    const zero = toEventInput({ ...before, end: before.start });
    expect(eventMutations({ ...shownFor(zero), end: null, endStr: '' }, zero)).toEqual([]);
  });
});

describe('eventMutations: what setDates cannot do', () => {
  const base = occurrence({});

  it('replaces a non-editable event whose times change (FullCalendar moves only editable ones)', () => {
    const input = toEventInput(base, undefined, { editable: false });
    const next = toEventInput(
      { ...base, start: '2026-03-11T08:00:00.000Z', end: '2026-03-11T09:00:00.000Z' },
      undefined,
      {
        editable: false,
      },
    );
    expect(eventMutations(shownFor(input), next)).toBe('replace');
    expect(eventMutations(shownFor(input), { ...input, title: 'Renamed' })).toEqual([
      { kind: 'prop', name: 'title', value: 'Renamed' },
    ]);
  });

  it('replaces an event shown without an end when calsync gives it one', () => {
    const input = toEventInput({ ...base, allDay: true, start: '2026-03-10', end: '2026-03-12' });
    expect(eventMutations({ ...shownFor(input), end: null, endStr: '' }, input)).toBe('replace');
  });
});
