import { type CalendarSync, CalsyncError, type EventOccurrence, type OccurrenceChange } from '@calsync/core';
import type { CalendarApi, EventSourceFuncArg } from '@fullcalendar/core';
import { applyChange } from './apply-change.ts';
import { CalendarWatches, type Fetch } from './calendar-watches.ts';
import { type CalsyncEventInput, toEventInput } from './event-input.ts';
import { errorReporter } from './report-error.ts';

/** Options of {@link calsyncEventSource}. */
export interface CalsyncEventSourceOptions {
  /** FullCalendar's id of the source (`calendar.getEventSourceById`); default `calsync-1`, `calsync-2`, … */
  readonly id?: string;
  /** Only these calendars; default all. */
  readonly calendarIds?: readonly string[];
  /** Colour per calendar id; default each calendar's own `color` (from `listCalendars`). */
  readonly colors?: Readonly<Record<string, string>>;
  /** More classes for an occurrence, after `calsync-pending` / `calsync-conflict` / `calsync-recurring`. */
  readonly classNames?: (occurrence: EventOccurrence) => readonly string[];
  /** Called with what failed: `watchEvents` or `listCalendars` rejecting, or a change that could not be shown. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A FullCalendar event source (pass it in `eventSources`, or to `addEventSource`). Create
 * it once per calendar view, not on every render: FullCalendar compares sources by identity.
 */
export interface CalsyncEventSource {
  /** The source's id in FullCalendar. */
  readonly id: string;
  /** FullCalendar's fetch function: opens the `watchEvents` watcher of the requested range. */
  readonly events: (
    info: EventSourceFuncArg,
    success: (inputs: CalsyncEventInput[]) => void,
    failure: (error: Error) => void,
  ) => void;
  /** FullCalendar's success hook, called with the `Calendar` as `this`: how the source learns its calendar. */
  readonly success: (this: CalendarApi, inputs: CalsyncEventInput[]) => void;
  /** FullCalendar's failure hook (present when `onError` is given). */
  readonly failure?: (error: Error) => void;
}

/** Ranges are widened by a day on each side, so a zone FullCalendar cannot compute offsets for still gets every event. */
const PAD_MS = 86_400_000;

let sources = 0;

/**
 * A live FullCalendar event source over calsync: each range FullCalendar shows opens one
 * `watchEvents` watcher, whose later changes are applied to the calendar in place (events
 * added, removed, or changed with `setProp`/`setDates`), without refetching. The watcher
 * closes when FullCalendar moves to another range, when the source is removed and when
 * the calendar is destroyed. Events carry {@link CalsyncEventProps} and the calendar's colour;
 * events of read-only calendars are not editable.
 *
 * ```ts
 * new Calendar(el, { plugins: [timeGridPlugin], eventSources: [calsyncEventSource(calendars)] });
 * ```
 */
export function calsyncEventSource(
  calendarSync: Pick<CalendarSync, 'watchEvents' | 'listCalendars'>,
  options: CalsyncEventSourceOptions = {},
): CalsyncEventSource {
  sources += 1;
  const id = options.id ?? `calsync-${sources}`;
  const watches = new CalendarWatches(id);
  let seq = 0;
  // Set while a fetch hands its first result to FullCalendar, which calls the `success`
  // hook synchronously from inside the success callback, with its Calendar as `this`.
  let handing: { calendar: CalendarApi | undefined } | undefined;
  const handOver = (deliver: () => void): CalendarApi | undefined => {
    const current: { calendar: CalendarApi | undefined } = { calendar: undefined };
    handing = current;
    try {
      deliver();
    } finally {
      handing = undefined;
    }
    return current.calendar;
  };

  const report = errorReporter(options.onError);

  async function start(info: EventSourceFuncArg, success: (inputs: CalsyncEventInput[]) => void): Promise<void> {
    seq += 1;
    let closed = false;
    let unsubscribe: (() => void) | undefined;
    let calendar: CalendarApi | undefined;
    const fetch: Fetch = {
      seq,
      close() {
        if (closed) return;
        closed = true;
        unsubscribe?.();
        if (calendar) watches.release(fetch, calendar);
      },
    };
    const calendars = await calendarSync.listCalendars();
    const colors = new Map<string, string>();
    const readOnly = new Set<string>();
    for (const calendarInfo of calendars) {
      if (calendarInfo.color !== undefined) colors.set(calendarInfo.id, calendarInfo.color);
      if (calendarInfo.readOnly) readOnly.add(calendarInfo.id);
    }
    for (const [calendarId, color] of Object.entries(options.colors ?? {})) colors.set(calendarId, color);
    const toInput = (occurrence: EventOccurrence) =>
      toEventInput(occurrence, colors.get(occurrence.calendarId), {
        editable: !readOnly.has(occurrence.calendarId),
        classNames: options.classNames?.(occurrence) ?? [],
      });
    const listener = (occurrences: readonly EventOccurrence[], change: OccurrenceChange) => {
      if (closed) return;
      if (calendar === undefined) {
        calendar = handOver(() => success(occurrences.map(toInput)));
        if (calendar === undefined) {
          fetch.close();
          report(new CalsyncError('internal', 'FullCalendar did not call the source’s success hook: no live updates.'));
        } else watches.bind(fetch, calendar);
        return;
      }
      const sourceApi = calendar.getEventSourceById(id);
      if (sourceApi === null) {
        fetch.close();
        return;
      }
      try {
        applyChange(calendar, sourceApi, occurrences, change, toInput);
      } catch (error) {
        report(error);
      }
    };
    const query = {
      start: new Date(info.start.getTime() - PAD_MS),
      end: new Date(info.end.getTime() + PAD_MS),
      ...(options.calendarIds === undefined ? {} : { calendarIds: [...options.calendarIds] }),
    };
    const stop = await calendarSync.watchEvents(query, listener);
    if (closed) stop();
    else unsubscribe = stop;
  }

  return {
    id,
    events(info, success, failure) {
      // Not async: FullCalendar would take a returned promise's `undefined` as the events.
      start(info, success).catch((error: unknown) =>
        failure(error instanceof Error ? error : new Error(String(error))),
      );
    },
    success(this: CalendarApi) {
      if (handing !== undefined) handing.calendar = this;
    },
    ...(options.onError === undefined ? {} : { failure: options.onError }),
  };
}
