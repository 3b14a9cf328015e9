import { Calendar, type CalendarOptions } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import timeGridPlugin from '@fullcalendar/timegrid';

/** The Monday the test weeks start on (2026-03-16: Berlin on CET, New York already on EDT). */
export const WEEK = '2026-03-16';

/** Renders a real FullCalendar (week view, 24-hour times, Monday first) into a fresh element of the document. */
export function mountCalendar(options: CalendarOptions): Calendar {
  const el = document.createElement('div');
  el.style.width = '1000px';
  document.body.append(el);
  const calendar = new Calendar(el, {
    plugins: [timeGridPlugin, dayGridPlugin, listPlugin, interactionPlugin],
    initialView: 'timeGridWeek',
    initialDate: WEEK,
    firstDay: 1,
    height: 900,
    eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    ...options,
  });
  calendar.render();
  return calendar;
}

/** The rendered event element carrying `className` (tests tag events with `classNames`). */
export function eventEl(className: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`.fc-event.${className}`);
}

/** The `data-date` of the day column (time grid) or day cell (day grid) an event element sits in. */
export function dayOf(el: Element | null): string | undefined {
  return el?.closest<HTMLElement>('[data-date]')?.dataset.date;
}

/** The time text FullCalendar rendered for an event element (e.g. `09:00 - 10:00`). */
export function timeText(el: Element | null): string | undefined {
  return el?.querySelector('.fc-event-time')?.textContent ?? undefined;
}

/** `HH:mm` of an instant in a zone (`undefined`: the browser's), the oracle for rendered times. */
export function wallTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(new Date(iso));
}

/** `YYYY-MM-DD` of an instant in a zone (`undefined`: the browser's). */
export function wallDate(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(new Date(iso));
}

/** Destroys every calendar a test mounted and empties the document. */
export function unmountAll(calendars: Calendar[]): void {
  for (const calendar of calendars.splice(0)) calendar.destroy();
  document.body.replaceChildren();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The IANA zone the browser project runs its pages in (vitest.config.ts). */
    pageZone: string;
  }
}
