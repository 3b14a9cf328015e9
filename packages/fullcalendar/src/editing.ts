import { type CalendarSync, CalsyncError, type EditScope } from '@calsync/core';
import type { DateSelectArg, EventApi, EventChangeArg, ViewApi } from '@fullcalendar/core';
import { changePatch, selectionInput } from './edit-patch.ts';
import { calsyncEventProps } from './event-input.ts';
import { errorReporter } from './report-error.ts';
import { writeZone } from './write-zone.ts';

/** Options of {@link calsyncEditing}. */
export interface CalsyncEditingOptions {
  /** The calendar a selection creates its event in; `undefined` creates nothing. Default: the first writable calendar. */
  readonly calendarIdForCreate?: () => string | undefined;
  /** The title of a new event (e.g. from a prompt); `undefined` cancels. Default `'New event'`. */
  readonly summaryForCreate?: (info: DateSelectArg) => Promise<string | undefined> | string | undefined;
  /**
   * Asked when an occurrence of a recurring event is dragged or resized: edit this
   * occurrence, this and the following ones, or the whole series; `undefined` reverts the
   * drag. Default: `'this'`.
   */
  readonly askScope?: (event: EventApi) => Promise<EditScope | undefined> | EditScope | undefined;
  /**
   * IANA zone that new timed times are written in (created events, all-day events dragged
   * into the time grid); `false` writes UTC. Default: the zone the calendar displays (its
   * `timeZone` option; `'local'` is the browser's zone). Moved timed events keep their zone.
   */
  readonly timezone?: string | false;
  /** Called with a `createEvent`/`updateEvent` rejection (after the drag was reverted). */
  readonly onError?: (error: unknown) => void;
}

/** A drag or resize as FullCalendar reports it (`EventDropArg`, `EventResizeDoneArg`). */
export type EventEditArg = EventChangeArg & {
  /** The view it happened in (the handlers read the calendar's display zone from `view.calendar`). */
  readonly view: ViewApi;
};

/**
 * FullCalendar callbacks that write the user's edits to calsync; spread them into the
 * calendar's options (with `editable: true, selectable: true` and the interaction plugin).
 * Each returns a promise that settles when calsync took (or refused) the edit.
 */
export interface CalsyncEditing {
  /** Creates an event over the selected range, then clears the selection. */
  readonly select: (info: DateSelectArg) => Promise<void>;
  /** Writes a moved event (all-day ↔ timed included); reverts the drag if calsync refuses it. */
  readonly eventDrop: (info: EventEditArg) => Promise<void>;
  /** Writes a resized event; reverts the resize if calsync refuses it. */
  readonly eventResize: (info: EventEditArg) => Promise<void>;
}

/**
 * Editing handlers for a calendar showing a {@link calsyncEventSource}: selecting a range
 * creates an event (`createEvent`), dragging or resizing one updates it (`updateEvent`,
 * asking {@link CalsyncEditingOptions.askScope} for recurring events). The calendar then
 * shows calsync's result through the source's live watcher. Edits of events that are not
 * calsync's are ignored.
 */
export function calsyncEditing(
  calendarSync: Pick<CalendarSync, 'createEvent' | 'updateEvent' | 'getEvent' | 'listCalendars'>,
  options: CalsyncEditingOptions = {},
): CalsyncEditing {
  const report = errorReporter(options.onError);

  async function calendarForCreate(): Promise<string | undefined> {
    if (options.calendarIdForCreate) return options.calendarIdForCreate();
    const writable = (await calendarSync.listCalendars()).find((calendar) => !calendar.readOnly);
    if (writable === undefined) throw new CalsyncError('not-found', 'No writable calendar to create the event in.');
    return writable.id;
  }

  async function change(info: EventEditArg): Promise<void> {
    const props = calsyncEventProps(info.event);
    if (props === undefined) return;
    try {
      let scope: EditScope = 'all';
      if (props.recurrenceId !== undefined) {
        const chosen = options.askScope ? await options.askScope(info.event) : 'this';
        if (chosen === undefined) {
          info.revert();
          return;
        }
        scope = chosen;
      }
      const calendar = info.view.calendar;
      let seriesStartDate: string | undefined;
      if (props.recurrenceId !== undefined && scope === 'all' && info.oldEvent.allDay !== info.event.allDay) {
        const series = await calendarSync.getEvent(props.eventId);
        if (series?.start === undefined) throw new CalsyncError('not-found', 'The series is not stored.');
        seriesStartDate = series.allDay ? series.start : calendar.formatIso(series.start).slice(0, 10);
      }
      const update = changePatch(info.oldEvent, info.event, {
        recurrenceId: props.recurrenceId,
        scope,
        zone: writeZone(calendar, options.timezone),
        floating: props.floating,
        ...(seriesStartDate === undefined ? {} : { seriesStartDate }),
      });
      if (Object.keys(update.patch).length === 0) return;
      if (update.options === undefined) await calendarSync.updateEvent(props.eventId, update.patch);
      else await calendarSync.updateEvent(props.eventId, update.patch, update.options);
    } catch (error) {
      info.revert();
      report(error);
    }
  }

  return {
    async select(info) {
      const calendar = info.view.calendar;
      try {
        const calendarId = await calendarForCreate();
        if (calendarId === undefined) return;
        const summary = options.summaryForCreate ? await options.summaryForCreate(info) : 'New event';
        if (summary === undefined) return;
        await calendarSync.createEvent(
          calendarId,
          selectionInput(info, summary, writeZone(calendar, options.timezone)),
        );
      } catch (error) {
        report(error);
      } finally {
        calendar.unselect();
      }
    },
    eventDrop: change,
    eventResize: change,
  };
}
