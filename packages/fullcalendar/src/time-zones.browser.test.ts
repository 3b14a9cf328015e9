import { calsyncEventSource } from '@calsync/fullcalendar';
import type { Calendar } from '@fullcalendar/core';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { dayOf, eventEl, mountCalendar, timeText, unmountAll, wallDate, wallTime } from './test-calendar.ts';
import { FakeSync, occurrence } from './test-fake-sync.ts';

// Events written in a TZID zone reach FullCalendar as UTC instants, so they show at the
// right wall time whatever the calendar's `timeZone` (FullCalendar's own iCalendar plugin
// ignores TZID: fullcalendar#7456, #6870, #6106). The expected wall times come from Intl,
// so the suite holds in any browser zone (run it with Playwright's `timezoneId` too).

const mounted: Calendar[] = [];
afterEach(() => unmountAll(mounted));

const BERLIN = '2026-03-16T09:00:00.000Z'; // Monday 10:00 CET
const NEW_YORK = '2026-03-16T13:00:00.000Z'; // Monday 09:00 EDT (DST began 2026-03-08)
const NEW_YORK_LATE = '2026-03-19T01:00:00.000Z'; // Wednesday 21:00 EDT: Thursday in UTC

function fake(): FakeSync {
  const sync = new FakeSync();
  const hour = (iso: string) => new Date(Date.parse(iso) + 3_600_000).toISOString();
  sync.put(
    occurrence({ eventId: 'berlin', start: BERLIN, end: hour(BERLIN), timezone: 'Europe/Berlin' }),
    occurrence({ eventId: 'ny', start: NEW_YORK, end: hour(NEW_YORK), timezone: 'America/New_York' }),
    occurrence({ eventId: 'late', start: NEW_YORK_LATE, end: hour(NEW_YORK_LATE), timezone: 'America/New_York' }),
    occurrence({ eventId: 'allday', allDay: true, start: '2026-03-17', end: '2026-03-18' }),
    // Floating 14:00 (calsync writes the wall clock as UTC): 14:00 in every display zone.
    occurrence({
      eventId: 'floating',
      start: '2026-03-19T14:00:00.000Z',
      end: '2026-03-19T15:00:00.000Z',
      floating: true,
    }),
  );
  return sync;
}

function show(timeZone: 'UTC' | 'local', view = 'timeGridWeek') {
  const sync = fake();
  const source = calsyncEventSource(sync, { classNames: (o) => [`ev-${o.eventId}`] });
  const calendar = mountCalendar({ timeZone, initialView: view, eventSources: [source] });
  mounted.push(calendar);
  return { sync, calendar };
}

const displayZone = (mode: 'UTC' | 'local') => (mode === 'UTC' ? 'UTC' : undefined);

it('the page runs in the zone its project names (UTC, America/New_York)', () => {
  expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(inject('pageZone'));
});

describe.each(['UTC', 'local'] as const)("FullCalendar timeZone '%s'", (mode) => {
  it('TZID events show at their instant’s wall time, in the right day column', async () => {
    const { calendar } = show(mode);
    await vi.waitFor(() => expect(eventEl('ev-late')).not.toBeNull());
    const zone = displayZone(mode);
    for (const [id, iso] of [
      ['berlin', BERLIN],
      ['ny', NEW_YORK],
      ['late', NEW_YORK_LATE],
    ] as const) {
      const el = eventEl(`ev-${id}`);
      expect(timeText(el)?.slice(0, 5), id).toBe(wallTime(iso, zone));
      expect(dayOf(el), id).toBe(wallDate(iso, zone));
      expect(calendar.getEventById(id)?.start?.toISOString(), id).toBe(iso);
    }
    expect(timeText(eventEl('ev-floating'))).toBe('14:00 - 15:00');
    expect(dayOf(eventEl('ev-floating'))).toBe('2026-03-19');
    if (mode === 'UTC') {
      // Spelled out for the UTC display: Berlin 10:00 CET is 09:00, New York 09:00 EDT is 13:00.
      expect(timeText(eventEl('ev-berlin'))).toBe('09:00 - 10:00');
      expect(timeText(eventEl('ev-ny'))).toBe('13:00 - 14:00');
      expect(dayOf(eventEl('ev-late'))).toBe('2026-03-19');
    }
    if (mode === 'local' && inject('pageZone') === 'America/New_York') {
      // Spelled out for a New York page: Berlin 10:00 CET is 05:00 EDT; the late one stays on Wednesday.
      expect(timeText(eventEl('ev-berlin'))).toBe('05:00 - 06:00');
      expect(timeText(eventEl('ev-ny'))).toBe('09:00 - 10:00');
      expect(dayOf(eventEl('ev-late'))).toBe('2026-03-18');
    }
  });

  it('an all-day event covers exactly its day (exclusive end, no off-by-one), in the week and the month', async () => {
    const { calendar } = show(mode, 'dayGridMonth');
    await vi.waitFor(() => expect(eventEl('ev-allday')).not.toBeNull());
    const event = calendar.getEventById('allday');
    expect(event?.allDay).toBe(true);
    expect(event?.startStr).toBe('2026-03-17');
    expect(event?.endStr).toBe('2026-03-18');
    const el = eventEl('ev-allday') as HTMLElement;
    expect(dayOf(el)).toBe('2026-03-17');
    const cell = document.querySelector('.fc-daygrid-day[data-date="2026-03-17"]') as HTMLElement;
    expect(el.getBoundingClientRect().width).toBeLessThanOrEqual(cell.getBoundingClientRect().width);
    calendar.changeView('timeGridWeek', '2026-03-16');
    await vi.waitFor(() => expect(dayOf(eventEl('ev-allday'))).toBe('2026-03-17'));
    expect(eventEl('ev-allday')?.closest('.fc-timegrid-col')).toBeNull(); // in the all-day row
  });
});

describe('changing the timeZone option', () => {
  it('refetches through a new watcher (the old one closes) and shows the same instants in the new zone', async () => {
    const { sync, calendar } = show('local');
    await vi.waitFor(() => expect(eventEl('ev-berlin')).not.toBeNull());
    calendar.setOption('timeZone', 'UTC');
    await vi.waitFor(() => expect(sync.watchQueries).toHaveLength(2));
    await vi.waitFor(() => expect(timeText(eventEl('ev-berlin'))).toBe('09:00 - 10:00'));
    expect(sync.openWatchers).toBe(1);
    expect(calendar.getEventById('berlin')?.start?.toISOString()).toBe(BERLIN);
  });
});
