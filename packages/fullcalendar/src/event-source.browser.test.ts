import { calsyncEventSource } from '@calsync/fullcalendar';
import type { Calendar } from '@fullcalendar/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dayOf, eventEl, mountCalendar, timeText, unmountAll } from './test-calendar.ts';
import { calendarInfo, FakeSync, occurrence } from './test-fake-sync.ts';

// A real FullCalendar in Chromium over the scripted FakeSync: what the source shows, and
// that changes arrive through the one watcher of the visible range, applied in place.

const mounted: Calendar[] = [];
afterEach(() => unmountAll(mounted));

const tagged = { classNames: (o: { eventId: string }) => [`ev-${o.eventId}`] };

function setUp(fake = new FakeSync(), options: Parameters<typeof calsyncEventSource>[1] = tagged) {
  const source = calsyncEventSource(fake, options);
  const calendar = mountCalendar({ timeZone: 'UTC', eventSources: [source] });
  mounted.push(calendar);
  return { fake, source, calendar };
}

function seeded(): FakeSync {
  const fake = new FakeSync();
  fake.put(
    occurrence({ eventId: 'a', summary: 'A', start: '2026-03-16T09:00:00.000Z', end: '2026-03-16T10:00:00.000Z' }),
    occurrence({ eventId: 'b', summary: 'B', start: '2026-03-18T14:00:00.000Z', end: '2026-03-18T15:30:00.000Z' }),
  );
  return fake;
}

describe('calsyncEventSource in a real FullCalendar', () => {
  it('renders the range once fetched: one watcher, no listEvents, the calendar colour and classes', async () => {
    const { fake, calendar } = setUp(seeded());
    await vi.waitFor(() => expect(eventEl('ev-a')).not.toBeNull());
    expect(dayOf(eventEl('ev-a'))).toBe('2026-03-16');
    expect(timeText(eventEl('ev-a'))).toBe('09:00 - 10:00');
    expect(dayOf(eventEl('ev-b'))).toBe('2026-03-18');
    expect(calendar.getEventById('a')?.start?.toISOString()).toBe('2026-03-16T09:00:00.000Z');
    expect(calendar.getEventById('a')?.backgroundColor).toBe('#0b5394');
    expect(fake.watchQueries).toHaveLength(1);
    expect(fake.listQueries).toHaveLength(0);
    // The requested range (the visible week), widened by a day on each side.
    expect(fake.watchQueries[0]).toMatchObject({
      start: new Date('2026-03-15T00:00:00Z'),
      end: new Date('2026-03-24T00:00:00Z'),
    });
  });

  it('applies added, updated and removed occurrences in place: no refetch, unchanged events keep their DOM node', async () => {
    const { fake, calendar } = setUp(seeded());
    await vi.waitFor(() => expect(eventEl('ev-b')).not.toBeNull());
    const untouched = eventEl('ev-b') as HTMLElement;
    untouched.dataset.marker = 'kept';
    const refetch = vi.spyOn(calendar, 'refetchEvents');

    fake.put(
      occurrence({ eventId: 'c', summary: 'C', start: '2026-03-19T08:00:00.000Z', end: '2026-03-19T09:00:00.000Z' }),
    );
    await vi.waitFor(() => expect(eventEl('ev-c')).not.toBeNull());
    expect(dayOf(eventEl('ev-c'))).toBe('2026-03-19');

    const a = fake.occurrences.get('a');
    fake.put({
      ...(a as NonNullable<typeof a>),
      summary: 'A moved',
      start: '2026-03-17T11:00:00.000Z',
      end: '2026-03-17T12:00:00.000Z',
      pending: true,
    });
    await vi.waitFor(() => expect(dayOf(eventEl('ev-a'))).toBe('2026-03-17'));
    expect(timeText(eventEl('ev-a'))).toBe('11:00 - 12:00');
    expect(eventEl('ev-a')?.textContent).toContain('A moved');
    expect(eventEl('ev-a')?.classList.contains('calsync-pending')).toBe(true);
    expect(calendar.getEventById('a')?.extendedProps.pending).toBe(true);

    fake.remove('c');
    await vi.waitFor(() => expect(eventEl('ev-c')).toBeNull());
    expect(calendar.getEventById('c')).toBeNull();

    expect(eventEl('ev-b')).toBe(untouched);
    expect(untouched.dataset.marker).toBe('kept');
    expect(refetch).not.toHaveBeenCalled();
    expect(fake.watchQueries).toHaveLength(1);
    expect(fake.listQueries).toHaveLength(0);
    expect(
      calendar
        .getEvents()
        .map((e) => e.id)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('an updated occurrence is changed in place (no eventRemove/eventAdd) and keeps its DOM node', async () => {
    const { fake, calendar } = setUp(seeded());
    await vi.waitFor(() => expect(eventEl('ev-a')).not.toBeNull());
    const node = eventEl('ev-a') as HTMLElement;
    const removed: string[] = [];
    const added: string[] = [];
    calendar.on('eventRemove', (arg) => removed.push(arg.event.id));
    calendar.on('eventAdd', (arg) => added.push(arg.event.id));
    const a = fake.occurrences.get('a');
    fake.put({ ...(a as NonNullable<typeof a>), summary: 'A renamed' });
    await vi.waitFor(() => expect(calendar.getEventById('a')?.title).toBe('A renamed'));
    expect(eventEl('ev-a')).toBe(node);
    expect(node.textContent).toContain('A renamed');
    expect(removed).toEqual([]);
    expect(added).toEqual([]);
  });

  it('moving to the next week closes the old watcher and opens one for the new range', async () => {
    const { fake, calendar } = setUp(seeded());
    await vi.waitFor(() => expect(eventEl('ev-a')).not.toBeNull());
    fake.put(occurrence({ eventId: 'next', start: '2026-03-24T09:00:00.000Z', end: '2026-03-24T10:00:00.000Z' }));
    calendar.next();
    await vi.waitFor(() => expect(eventEl('ev-next')).not.toBeNull());
    expect(fake.watchQueries).toHaveLength(2);
    expect(fake.unsubscribed).toBe(1);
    expect(fake.openWatchers).toBe(1);
    // Changes in the week no longer shown reach nobody.
    fake.put(occurrence({ eventId: 'old', start: '2026-03-17T09:00:00.000Z', end: '2026-03-17T10:00:00.000Z' }));
    fake.put(occurrence({ eventId: 'new', start: '2026-03-25T09:00:00.000Z', end: '2026-03-25T10:00:00.000Z' }));
    await vi.waitFor(() => expect(eventEl('ev-new')).not.toBeNull());
    expect(calendar.getEventById('old')).toBeNull();
    calendar.prev();
    await vi.waitFor(() => expect(eventEl('ev-old')).not.toBeNull());
    expect(fake.watchQueries).toHaveLength(3);
    expect(fake.openWatchers).toBe(1);
  });

  it('switching views within the fetched range keeps the watcher; a wider view opens its own', async () => {
    const { fake, calendar } = setUp(seeded());
    await vi.waitFor(() => expect(eventEl('ev-a')).not.toBeNull());
    calendar.changeView('timeGridDay', '2026-03-18');
    await vi.waitFor(() => expect(eventEl('ev-b')).not.toBeNull());
    expect(fake.watchQueries).toHaveLength(1);
    calendar.changeView('dayGridMonth', '2026-03-16');
    await vi.waitFor(() => expect(fake.watchQueries).toHaveLength(2));
    await vi.waitFor(() => expect(dayOf(eventEl('ev-a'))).toBe('2026-03-16'));
    expect(fake.openWatchers).toBe(1);
    calendar.changeView('listWeek', '2026-03-16');
    await vi.waitFor(() => expect(document.querySelector('.fc-list-event.ev-b')).not.toBeNull());
    expect(document.querySelector('.fc-list-event.ev-b .fc-list-event-time')?.textContent).toBe('14:00 - 15:30');
    fake.put(occurrence({ eventId: 'listed', start: '2026-03-20T07:00:00.000Z', end: '2026-03-20T08:00:00.000Z' }));
    await vi.waitFor(() => expect(document.querySelector('.fc-list-event.ev-listed')).not.toBeNull());
  });

  it('calendar.destroy() unsubscribes', async () => {
    const { fake, calendar } = setUp(seeded());
    await vi.waitFor(() => expect(eventEl('ev-a')).not.toBeNull());
    calendar.destroy();
    expect(fake.openWatchers).toBe(0);
    expect(fake.unsubscribed).toBe(1);
  });

  it('removing the source unsubscribes and takes its events away', async () => {
    const { fake, calendar, source } = setUp(seeded());
    await vi.waitFor(() => expect(eventEl('ev-a')).not.toBeNull());
    calendar.getEventSourceById(source.id)?.remove();
    await vi.waitFor(() => expect(fake.openWatchers).toBe(0));
    expect(calendar.getEvents()).toEqual([]);
    fake.put(occurrence({ eventId: 'late', start: '2026-03-17T09:00:00.000Z', end: '2026-03-17T10:00:00.000Z' }));
    expect(calendar.getEventById('late')).toBeNull();
  });

  it('removing a source while its first result is pending closes that watcher when it arrives', async () => {
    const fake = seeded();
    const { calendar, source } = setUp(fake);
    calendar.getEventSourceById(source.id)?.remove();
    await vi.waitFor(() => expect(fake.watchQueries).toHaveLength(1));
    await vi.waitFor(() => expect(fake.unsubscribed).toBe(1));
    expect(fake.openWatchers).toBe(0);
    expect(calendar.getEvents()).toEqual([]);
  });

  it('two sources (per calendar) stay apart; events of read-only calendars are not editable', async () => {
    const fake = seeded();
    fake.calendars.push(calendarInfo({ id: 'holidays', color: '#ffeb3b', readOnly: true }));
    fake.put(
      occurrence({ eventId: 'h', calendarId: 'holidays', allDay: true, start: '2026-03-17', end: '2026-03-18' }),
    );
    const work = calsyncEventSource(fake, { ...tagged, id: 'work', calendarIds: ['work'] });
    const holidays = calsyncEventSource(fake, { ...tagged, id: 'holidays', calendarIds: ['holidays'] });
    const calendar = mountCalendar({ timeZone: 'UTC', eventSources: [work, holidays] });
    mounted.push(calendar);
    await vi.waitFor(() => expect(eventEl('ev-h')).not.toBeNull());
    expect(calendar.getEventById('h')?.source?.id).toBe('holidays');
    expect(calendar.getEventById('a')?.source?.id).toBe('work');
    expect(calendar.getEventById('h')?.startEditable).toBe(false);
    expect(calendar.getEventById('a')?.startEditable).toBe(true);
    expect(calendar.getEventById('h')?.textColor).toBe('#000000');
    expect(fake.openWatchers).toBe(2);
    calendar.getEventSourceById('holidays')?.remove();
    await vi.waitFor(() => expect(fake.openWatchers).toBe(1));
    expect(calendar.getEventById('a')).not.toBeNull();
  });

  it('a read-only calendar’s event still follows calsync’s changes of its times (replaced: setDates skips non-editable events)', async () => {
    const fake = seeded();
    fake.calendars.push(calendarInfo({ id: 'holidays', readOnly: true }));
    const holiday = occurrence({
      eventId: 'h',
      calendarId: 'holidays',
      allDay: true,
      start: '2026-03-17',
      end: '2026-03-18',
    });
    fake.put(holiday);
    const { calendar } = setUp(fake);
    await vi.waitFor(() => expect(dayOf(eventEl('ev-h'))).toBe('2026-03-17'));
    fake.put({ ...holiday, start: '2026-03-19', end: '2026-03-21' });
    await vi.waitFor(() => expect(dayOf(eventEl('ev-h'))).toBe('2026-03-19'));
    expect(calendar.getEventById('h')?.endStr).toBe('2026-03-21');
    expect(calendar.getEventById('h')?.startEditable).toBe(false);
  });

  it('the colours option overrides the calendars’ colours', async () => {
    const { calendar } = setUp(seeded(), { ...tagged, colors: { work: '#ff0000' } });
    await vi.waitFor(() => expect(calendar.getEventById('a')?.backgroundColor).toBe('#ff0000'));
  });

  it('a failing watchEvents reaches onError (FullCalendar’s failure hook)', async () => {
    const fake = seeded();
    const error = new Error('boom');
    vi.spyOn(fake, 'watchEvents').mockRejectedValueOnce(error);
    const onError = vi.fn();
    setUp(fake, { ...tagged, onError });
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(error));
  });
});
