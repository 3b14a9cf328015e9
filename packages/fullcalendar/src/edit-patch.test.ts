import { changePatch, type EventTimes, selectionInput } from '@calsync/fullcalendar';
import { describe, expect, it } from 'vitest';

// FullCalendar's view of an event in a calendar shown in Europe/Berlin (`startStr` is the
// wall time there, with its offset), built the way EventApi reports it.
function timed(start: string, end: string | null, offset = '+01:00'): EventTimes {
  const wall = (iso: string) => {
    const date = new Date(Date.parse(iso) + Number.parseInt(offset, 10) * 3_600_000);
    return `${date.toISOString().slice(0, 19)}${offset}`;
  };
  return {
    allDay: false,
    start: new Date(start),
    end: end === null ? null : new Date(end),
    startStr: wall(start),
    endStr: end === null ? '' : wall(end),
  };
}

function allDay(start: string, end: string | null): EventTimes {
  return {
    allDay: true,
    start: new Date(`${start}T00:00:00`),
    end: end === null ? null : new Date(`${end}T00:00:00`),
    startStr: start,
    endStr: end ?? '',
  };
}

const single = { recurrenceId: undefined, scope: 'all', zone: 'Europe/Berlin' } as const;
const occurrence = (scope: 'this' | 'future' | 'all') =>
  ({ recurrenceId: '2026-03-16T09:00:00Z', scope, zone: 'Europe/Berlin' }) as const;

describe('changePatch: single events', () => {
  it('a move sends only the new start (calsync keeps the length and the zone)', () => {
    const before = timed('2026-03-16T09:00:00Z', '2026-03-16T10:00:00Z');
    const after = timed('2026-03-17T11:30:00Z', '2026-03-17T12:30:00Z');
    expect(changePatch(before, after, single)).toEqual({ patch: { start: '2026-03-17T11:30:00.000Z' } });
  });

  it('a resize sends only the new end; a resize from the start sends both', () => {
    const before = timed('2026-03-16T09:00:00Z', '2026-03-16T10:00:00Z');
    expect(changePatch(before, timed('2026-03-16T09:00:00Z', '2026-03-16T11:00:00Z'), single)).toEqual({
      patch: { end: '2026-03-16T11:00:00.000Z' },
    });
    expect(changePatch(before, timed('2026-03-16T08:00:00Z', '2026-03-16T10:00:00Z'), single)).toEqual({
      patch: { start: '2026-03-16T08:00:00.000Z', end: '2026-03-16T10:00:00.000Z' },
    });
  });

  it('all-day moves and resizes use dates with an exclusive end (no off-by-one)', () => {
    const before = allDay('2026-03-16', '2026-03-17');
    expect(changePatch(before, allDay('2026-03-18', '2026-03-19'), single)).toEqual({ patch: { start: '2026-03-18' } });
    expect(changePatch(before, allDay('2026-03-16', '2026-03-19'), single)).toEqual({ patch: { end: '2026-03-19' } });
  });

  it('all-day → time grid: allDay false, the dropped instant, written in the display zone; no end when FullCalendar dropped it', () => {
    const after = timed('2026-03-17T13:00:00Z', null);
    expect(changePatch(allDay('2026-03-16', '2026-03-17'), after, single)).toEqual({
      patch: { allDay: false, start: '2026-03-17T13:00:00.000Z', timezone: 'Europe/Berlin' },
    });
    expect(changePatch(allDay('2026-03-16', '2026-03-17'), after, { ...single, zone: undefined })).toEqual({
      patch: { allDay: false, start: '2026-03-17T13:00:00.000Z' },
    });
  });

  it('time grid → all-day slot: allDay true and the day; an end FullCalendar kept (allDayMaintainDuration) is sent', () => {
    const before = timed('2026-03-16T09:00:00Z', '2026-03-16T10:00:00Z');
    expect(changePatch(before, allDay('2026-03-18', null), single)).toEqual({
      patch: { allDay: true, start: '2026-03-18' },
    });
    expect(changePatch(before, allDay('2026-03-18', '2026-03-20'), single)).toEqual({
      patch: { allDay: true, start: '2026-03-18', end: '2026-03-20' },
    });
  });

  it('a floating event is moved by wall time (no offset), so calsync keeps it floating', () => {
    const before = timed('2026-03-16T09:00:00Z', '2026-03-16T10:00:00Z');
    const after = timed('2026-03-17T09:00:00Z', '2026-03-17T11:00:00Z');
    expect(changePatch(before, after, { ...single, floating: true })).toEqual({
      patch: { start: '2026-03-17T10:00:00', end: '2026-03-17T12:00:00' },
    });
  });

  it('an all-day → timed switch that keeps an end sends it as an instant', () => {
    const after = timed('2026-03-17T13:00:00Z', '2026-03-17T15:00:00Z');
    expect(changePatch(allDay('2026-03-16', '2026-03-17'), after, single).patch).toEqual({
      allDay: false,
      start: '2026-03-17T13:00:00.000Z',
      end: '2026-03-17T15:00:00.000Z',
      timezone: 'Europe/Berlin',
    });
  });
});

describe('changePatch: occurrences of a series', () => {
  const before = timed('2026-03-16T09:00:00Z', '2026-03-16T10:00:00Z');
  const moved = timed('2026-03-16T10:00:00Z', '2026-03-16T11:00:00Z');

  it("'this' and 'future' send the occurrence's new times with its recurrenceId", () => {
    for (const scope of ['this', 'future'] as const) {
      expect(changePatch(before, moved, occurrence(scope))).toEqual({
        patch: { start: '2026-03-16T10:00:00.000Z' },
        options: { occurrence: '2026-03-16T09:00:00Z', scope },
      });
    }
  });

  it("'all' sends the occurrence's move with the occurrence: calsync moves every instance on the wall clock", () => {
    expect(changePatch(before, moved, occurrence('all'))).toEqual({
      patch: { start: '2026-03-16T10:00:00.000Z' },
      options: { occurrence: '2026-03-16T09:00:00Z', scope: 'all' },
    });
    const longer = timed('2026-03-16T09:00:00Z', '2026-03-16T10:30:00Z');
    expect(changePatch(before, longer, occurrence('all'))).toEqual({
      patch: { end: '2026-03-16T10:30:00.000Z' },
      options: { occurrence: '2026-03-16T09:00:00Z', scope: 'all' },
    });
  });

  it("'all' with timed → all-day: the series' first date moves by the occurrence's day shift", () => {
    // The series starts Monday 2026-01-05; its 2026-03-16 (Monday) occurrence is dropped on Wednesday's all-day slot.
    const update = changePatch(before, allDay('2026-03-18', null), {
      ...occurrence('all'),
      seriesStartDate: '2026-01-05',
    });
    expect(update).toEqual({ patch: { allDay: true, start: '2026-01-07' }, options: { scope: 'all' } });
  });

  it("'all' with all-day → timed: the first instance's day at the dropped wall time, in the zone", () => {
    const update = changePatch(allDay('2026-03-16', '2026-03-17'), timed('2026-03-17T13:00:00Z', null, '+01:00'), {
      recurrenceId: '2026-03-16',
      scope: 'all',
      zone: 'Europe/Berlin',
      seriesStartDate: '2026-01-05',
    });
    // Dropped on Tuesday 14:00 Berlin: the series becomes timed, from Tuesday 2026-01-06 14:00 Berlin.
    expect(update).toEqual({
      patch: { allDay: false, start: '2026-01-06T14:00:00', timezone: 'Europe/Berlin' },
      options: { scope: 'all' },
    });
  });

  it("'all' with all-day → timed written in UTC: the dropped instant, moved back to the first instance's day", () => {
    const update = changePatch(
      allDay('2026-03-16', '2026-03-17'),
      timed('2026-03-17T13:00:00Z', '2026-03-17T14:00:00Z', '+00:00'),
      {
        recurrenceId: '2026-03-16',
        scope: 'all',
        zone: undefined,
        seriesStartDate: '2026-01-05',
      },
    );
    expect(update).toEqual({
      patch: { allDay: false, start: '2026-01-06T13:00:00.000Z', end: '2026-01-06T14:00:00.000Z' },
      options: { scope: 'all' },
    });
  });

  it("'this' with a switch keeps the occurrence form (no series rebase)", () => {
    expect(changePatch(before, allDay('2026-03-18', null), occurrence('this'))).toEqual({
      patch: { allDay: true, start: '2026-03-18' },
      options: { occurrence: '2026-03-16T09:00:00Z', scope: 'this' },
    });
  });
});

describe('selectionInput', () => {
  it('an all-day selection gives dates with the exclusive end FullCalendar selects', () => {
    const selection = { ...allDay('2026-03-16', '2026-03-18'), start: new Date(0), end: new Date(0) };
    expect(selectionInput(selection, 'Trip', 'Europe/Berlin')).toEqual({
      summary: 'Trip',
      allDay: true,
      start: '2026-03-16',
      end: '2026-03-18',
    });
  });

  it('a timed selection gives instants, written in the zone when there is one', () => {
    const selection = timed('2026-03-16T09:00:00Z', '2026-03-16T09:30:00Z') as EventTimes & { end: Date; start: Date };
    expect(selectionInput(selection, 'Call', 'Europe/Berlin')).toEqual({
      summary: 'Call',
      start: '2026-03-16T09:00:00.000Z',
      end: '2026-03-16T09:30:00.000Z',
      timezone: 'Europe/Berlin',
    });
    expect(selectionInput(selection, 'Call', undefined)).not.toHaveProperty('timezone');
  });
});
