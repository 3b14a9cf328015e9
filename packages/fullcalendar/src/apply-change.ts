import type { EventOccurrence, OccurrenceChange } from '@calsync/core';
import type { CalendarApi, EventApi, EventSourceApi } from '@fullcalendar/core';
import type { CalsyncEventInput } from './event-input.ts';
import { applyMutations, eventMutations } from './event-update.ts';

/**
 * Applies one `watchEvents` change to a calendar through FullCalendar's public API, in one
 * `batchRendering` (one render for the whole change): removed occurrences are removed,
 * added ones added to `source`, updated ones changed in place (`setProp`/`setDates`/
 * `setExtendedProp`, only what differs; replaced where `setDates` cannot move them). Events of other sources and unchanged events are
 * not touched, so they keep their `EventApi` state and DOM. No refetch.
 */
export function applyChange(
  calendar: CalendarApi,
  source: EventSourceApi,
  occurrences: readonly EventOccurrence[],
  change: OccurrenceChange,
  toInput: (occurrence: EventOccurrence) => CalsyncEventInput,
): void {
  const byId = new Map<string, EventOccurrence>();
  for (const occurrence of occurrences) byId.set(occurrence.occurrenceId, occurrence);
  // One pass over the calendar's events, instead of a `getEventById` scan per change.
  const shown = new Map<string, EventApi>();
  for (const event of calendar.getEvents()) {
    if (event.source?.id === source.id) shown.set(event.id, event);
  }
  calendar.batchRendering(() => {
    for (const id of change.removed) {
      shown.get(id)?.remove();
      shown.delete(id);
    }
    for (const id of [...change.updated, ...change.added]) {
      const occurrence = byId.get(id);
      if (occurrence === undefined) continue;
      const input = toInput(occurrence);
      const event = shown.get(id);
      const mutations = event === undefined ? 'replace' : eventMutations(event, input);
      if (mutations === 'replace') {
        event?.remove();
        calendar.addEvent(input, source);
      } else if (event !== undefined) applyMutations(event, mutations);
    }
  });
}
