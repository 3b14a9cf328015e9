// The README's FullCalendar example: calsync in its Worker, a week view fed by the live
// calsyncEventSource, editing through calsyncEditing. Hands `window.calendars` (calsync)
// and `window.fullCalendar` (the Calendar) to whoever drives the page (the consumer test).
import { CalsyncError, createCalendarSync } from '@calsync/core';
import { calsyncEditing, calsyncEventSource } from '@calsync/fullcalendar';
import { Calendar } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import timeGridPlugin from '@fullcalendar/timegrid';

const status = document.querySelector('#status');
try {
  const calendars = await createCalendarSync({ dbName: 'fullcalendar-consumer', autoSync: false });
  window.calendars = calendars;
  window.CalsyncError = CalsyncError;
  const calendar = new Calendar(document.querySelector('#calendar'), {
    plugins: [timeGridPlugin, dayGridPlugin, interactionPlugin],
    initialView: 'timeGridWeek',
    timeZone: 'UTC',
    eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    eventSources: [calsyncEventSource(calendars, { classNames: (o) => [`uid-${o.uid}`] })],
    editable: true,
    selectable: true,
    ...calsyncEditing(calendars),
  });
  calendar.render();
  window.fullCalendar = calendar;
  status.textContent = 'ready';
} catch (error) {
  status.textContent = `failed: ${error.code ?? ''} ${error.message}`;
}
