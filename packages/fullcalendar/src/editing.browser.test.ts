import { CalsyncError } from '@calsync/core';
import {
  type CalsyncEditingOptions,
  calsyncEditing,
  calsyncEventSource,
  type EventEditArg,
} from '@calsync/fullcalendar';
import type { Calendar, DateSelectArg, EventApi, EventChangeArg } from '@fullcalendar/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dayOf, eventEl, mountCalendar, timeText, unmountAll } from './test-calendar.ts';
import { calendarInfo, FakeSync, occurrence } from './test-fake-sync.ts';

// The editing handlers with real EventApi objects: a programmatic change of a rendered
// event (setDates/setEnd) gives FullCalendar's own { event, oldEvent, revert }, which is
// what eventDrop/eventResize receive after a drag (a real drag needs pointer events that
// FullCalendar's interaction plugin reads from a real mouse; calling moveDates does not fire eventDrop).

const mounted: Calendar[] = [];
afterEach(() => unmountAll(mounted));

const SERIES_OCCURRENCE = '2026-03-18T09:00:00Z';

function setUp(options: CalsyncEditingOptions = {}, timeZone = 'UTC') {
  const fake = new FakeSync();
  fake.put(
    occurrence({ eventId: 'a', start: '2026-03-16T09:00:00.000Z', end: '2026-03-16T10:00:00.000Z' }),
    occurrence({ eventId: 'day', allDay: true, start: '2026-03-17', end: '2026-03-18' }),
    occurrence({
      eventId: 's',
      occurrenceId: `s#${SERIES_OCCURRENCE}`,
      recurrenceId: SERIES_OCCURRENCE,
      start: '2026-03-18T09:00:00.000Z',
      end: '2026-03-18T10:00:00.000Z',
    }),
  );
  fake.series.set('s', {
    eventId: 's',
    calendarId: 'work',
    href: '',
    ics: '',
    invalid: false,
    pending: false,
    conflict: false,
    start: '2026-01-07T09:00:00.000Z',
    end: '2026-01-07T10:00:00.000Z',
    allDay: false,
    recurring: true,
    rrule: 'FREQ=WEEKLY',
  });
  const editing = calsyncEditing(fake, options);
  const calendar = mountCalendar({
    timeZone,
    editable: true,
    selectable: true,
    eventSources: [calsyncEventSource(fake, { classNames: (o) => [`ev-${o.eventId}`] })],
    ...editing,
  });
  mounted.push(calendar);
  return { fake, editing, calendar };
}

/** Changes a rendered event and returns the change as FullCalendar reports it (with the view, as eventDrop gets it). */
function change(calendar: Calendar, id: string, mutate: (event: EventApi) => void): EventEditArg {
  let reported: EventChangeArg | undefined;
  const listener = (arg: EventChangeArg) => {
    reported = arg;
  };
  calendar.on('eventChange', listener);
  mutate(calendar.getEventById(id) as EventApi);
  calendar.off('eventChange', listener);
  if (reported === undefined) throw new Error('FullCalendar reported no change');
  return { ...reported, view: calendar.view };
}

async function ready(calendar: Calendar) {
  await vi.waitFor(() => expect(calendar.getEventById(`s#${SERIES_OCCURRENCE}`)).not.toBeNull());
}

describe('calsyncEditing: eventDrop / eventResize', () => {
  it('a moved single event sends its new start only; calsync’s echo leaves it where it was dropped', async () => {
    const { fake, editing, calendar } = setUp();
    await ready(calendar);
    const info = change(calendar, 'a', (e) => e.setDates('2026-03-19T11:00:00Z', '2026-03-19T12:00:00Z'));
    await editing.eventDrop(info);
    expect(fake.updates).toEqual([{ eventId: 'a', patch: { start: '2026-03-19T11:00:00.000Z' }, options: undefined }]);
    await vi.waitFor(() => expect(eventEl('ev-a')?.classList.contains('calsync-pending')).toBe(true));
    expect(dayOf(eventEl('ev-a'))).toBe('2026-03-19');
    expect(timeText(eventEl('ev-a'))).toBe('11:00 - 12:00');
    expect(calendar.getEventById('a')?.start?.toISOString()).toBe('2026-03-19T11:00:00.000Z');
  });

  it('a resize sends the new end', async () => {
    const { fake, editing, calendar } = setUp();
    await ready(calendar);
    await editing.eventResize(change(calendar, 'a', (e) => e.setEnd('2026-03-16T11:30:00Z')));
    expect(fake.updates[0]?.patch).toEqual({ end: '2026-03-16T11:30:00.000Z' });
    await vi.waitFor(() => expect(timeText(eventEl('ev-a'))).toBe('09:00 - 11:30'));
  });

  it('a rejected update reverts the drag and reaches onError', async () => {
    const onError = vi.fn();
    const { fake, editing, calendar } = setUp({ onError });
    await ready(calendar);
    const error = new CalsyncError('invalid-input', 'read-only');
    fake.failNext = error;
    const info = change(calendar, 'a', (e) => e.setDates('2026-03-19T11:00:00Z', '2026-03-19T12:00:00Z'));
    expect(dayOf(eventEl('ev-a'))).toBe('2026-03-19');
    await editing.eventDrop(info);
    expect(onError).toHaveBeenCalledWith(error);
    expect(calendar.getEventById('a')?.start?.toISOString()).toBe('2026-03-16T09:00:00.000Z');
    await vi.waitFor(() => expect(dayOf(eventEl('ev-a'))).toBe('2026-03-16'));
  });

  it('all-day → time grid sends allDay false and the instant (UTC display: no zone); back again sends the day', async () => {
    const { fake, editing, calendar } = setUp();
    await ready(calendar);
    await editing.eventDrop(
      change(calendar, 'day', (e) => e.setDates('2026-03-17T13:00:00Z', null, { allDay: false })),
    );
    expect(fake.updates[0]?.patch).toEqual({ allDay: false, start: '2026-03-17T13:00:00.000Z' });
    await vi.waitFor(() => expect(eventEl('ev-day')?.closest('.fc-timegrid-col')).not.toBeNull());
    await editing.eventDrop(change(calendar, 'day', (e) => e.setDates('2026-03-20', null, { allDay: true })));
    expect(fake.updates[1]?.patch).toEqual({ allDay: true, start: '2026-03-20' });
    await vi.waitFor(() => expect(dayOf(eventEl('ev-day'))).toBe('2026-03-20'));
    expect(calendar.getEventById('day')?.endStr).toBe('2026-03-21');
  });

  it('an all-day event dragged into the time grid is written in the timezone option', async () => {
    const { fake, editing, calendar } = setUp({ timezone: 'Europe/Berlin' });
    await ready(calendar);
    await editing.eventDrop(
      change(calendar, 'day', (e) => e.setDates('2026-03-17T13:00:00Z', null, { allDay: false })),
    );
    expect(fake.updates[0]?.patch).toEqual({
      allDay: false,
      start: '2026-03-17T13:00:00.000Z',
      timezone: 'Europe/Berlin',
    });
  });

  it('a recurring occurrence: default scope this, with its recurrenceId', async () => {
    const { fake, editing, calendar } = setUp();
    await ready(calendar);
    const id = `s#${SERIES_OCCURRENCE}`;
    await editing.eventDrop(change(calendar, id, (e) => e.setDates('2026-03-18T10:00:00Z', '2026-03-18T11:00:00Z')));
    expect(fake.updates[0]).toEqual({
      eventId: 's',
      patch: { start: '2026-03-18T10:00:00.000Z' },
      options: { occurrence: SERIES_OCCURRENCE, scope: 'this' },
    });
  });

  it('askScope: undefined reverts without writing; the chosen scope is passed on', async () => {
    const askScope = vi.fn<(event: EventApi) => 'future' | undefined>().mockReturnValueOnce(undefined);
    const { fake, editing, calendar } = setUp({ askScope });
    await ready(calendar);
    const id = `s#${SERIES_OCCURRENCE}`;
    await editing.eventDrop(change(calendar, id, (e) => e.setDates('2026-03-18T10:00:00Z', '2026-03-18T11:00:00Z')));
    expect(askScope).toHaveBeenCalledWith(expect.objectContaining({ id }));
    expect(fake.updates).toEqual([]);
    expect(calendar.getEventById(id)?.start?.toISOString()).toBe('2026-03-18T09:00:00.000Z');
    askScope.mockReturnValueOnce('future');
    await editing.eventResize(change(calendar, id, (e) => e.setEnd('2026-03-18T11:00:00Z')));
    expect(fake.updates[0]?.options).toEqual({ occurrence: SERIES_OCCURRENCE, scope: 'future' });
  });

  it("scope 'all' with a switch to all-day moves the series' first date by the same days (read with getEvent)", async () => {
    const { fake, editing, calendar } = setUp({ askScope: () => 'all' });
    await ready(calendar);
    const getEvent = vi.spyOn(fake, 'getEvent');
    // Wednesday's occurrence dropped on Friday's all-day slot: the series (from Wed 2026-01-07) moves to Fridays.
    await editing.eventDrop(
      change(calendar, `s#${SERIES_OCCURRENCE}`, (e) => e.setDates('2026-03-20', null, { allDay: true })),
    );
    expect(getEvent).toHaveBeenCalledWith('s');
    expect(fake.updates[0]).toEqual({
      eventId: 's',
      patch: { allDay: true, start: '2026-01-09' },
      options: { scope: 'all' },
    });
  });

  it('a floating event dropped in the local display is written as wall time (it stays floating)', async () => {
    const { fake, editing, calendar } = setUp({}, 'local');
    fake.put(
      occurrence({ eventId: 'f', start: '2026-03-19T14:00:00.000Z', end: '2026-03-19T15:00:00.000Z', floating: true }),
    );
    await vi.waitFor(() => expect(timeText(eventEl('ev-f'))).toBe('14:00 - 15:00'));
    await editing.eventDrop(
      change(calendar, 'f', (e) => e.setDates('2026-03-19T16:00:00', '2026-03-19T17:00:00', { allDay: false })),
    );
    expect(fake.updates[0]?.patch).toEqual({ start: '2026-03-19T16:00:00' });
  });

  it('edits of events that are not calsync’s are left alone', async () => {
    const { fake, editing, calendar } = setUp();
    await ready(calendar);
    calendar.addEvent({ id: 'other', start: '2026-03-16T12:00:00Z', end: '2026-03-16T13:00:00Z' });
    await editing.eventDrop(change(calendar, 'other', (e) => e.setStart('2026-03-16T14:00:00Z')));
    expect(fake.updates).toEqual([]);
  });
});

describe('calsyncEditing: select', () => {
  function select(calendar: Calendar, start: string, end: string): Promise<DateSelectArg> {
    return new Promise((resolve) => {
      const listener = (arg: DateSelectArg) => {
        calendar.off('select', listener);
        resolve(arg);
      };
      calendar.on('select', listener);
      calendar.select(start, end);
    });
  }

  it('creates the event in the first writable calendar; it appears through the watcher and the selection clears', async () => {
    const { fake, calendar } = setUp({ summaryForCreate: () => 'Planning' });
    fake.calendars.unshift(calendarInfo({ id: 'shared', readOnly: true }));
    await ready(calendar);
    const unselect = vi.spyOn(calendar, 'unselect');
    await select(calendar, '2026-03-20T10:00:00Z', '2026-03-20T11:30:00Z');
    await vi.waitFor(() => expect(fake.creates).toHaveLength(1));
    expect(fake.creates[0]).toEqual({
      calendarId: 'work',
      input: { summary: 'Planning', start: '2026-03-20T10:00:00.000Z', end: '2026-03-20T11:30:00.000Z' },
    });
    await vi.waitFor(() => expect(eventEl('ev-created-1')).not.toBeNull());
    expect(timeText(eventEl('ev-created-1'))).toBe('10:00 - 11:30');
    expect(unselect).toHaveBeenCalled();
  });

  it('an all-day selection creates dates with the exclusive end; calendarIdForCreate picks the calendar', async () => {
    const { fake, calendar } = setUp({ calendarIdForCreate: () => 'home' });
    await ready(calendar);
    await select(calendar, '2026-03-17', '2026-03-19');
    await vi.waitFor(() => expect(fake.creates).toHaveLength(1));
    expect(fake.creates[0]).toEqual({
      calendarId: 'home',
      input: { summary: 'New event', allDay: true, start: '2026-03-17', end: '2026-03-19' },
    });
  });

  it('summaryForCreate returning undefined cancels; a rejected create reaches onError', async () => {
    const onError = vi.fn();
    const summaryForCreate = vi.fn<() => Promise<string | undefined>>().mockResolvedValueOnce(undefined);
    const { fake, editing, calendar } = setUp({ summaryForCreate, onError });
    await ready(calendar);
    const info = await select(calendar, '2026-03-20T10:00:00Z', '2026-03-20T11:00:00Z');
    await editing.select(info);
    expect(fake.creates).toEqual([]);
    summaryForCreate.mockResolvedValueOnce('Fails');
    const error = new CalsyncError('not-found', 'gone');
    fake.failNext = error;
    await editing.select(info);
    expect(onError).toHaveBeenCalledWith(error);
  });
});
