import type { EditOptions, EditScope, EventInput, EventPatch } from '@calsync/core';
import type { DateSelectArg, EventApi } from '@fullcalendar/core';

/**
 * An event's times as FullCalendar holds them (the fields of `EventApi`): `start`/`end`
 * are instants, `startStr`/`endStr` the same in the calendar's display zone
 * (`YYYY-MM-DD` for all-day events, `YYYY-MM-DDTHH:mm:ss±hh:mm` or `…Z` otherwise).
 */
export type EventTimes = Pick<EventApi, 'allDay' | 'start' | 'end' | 'startStr' | 'endStr'>;

/** Where a change is written: scope and occurrence of a recurring event, and the zone for new timed times. */
export interface ChangeContext {
  /** The occurrence's `recurrenceId`; `undefined` for a single event. */
  readonly recurrenceId: string | undefined;
  /** The scope chosen for a recurring event (ignored for a single event). */
  readonly scope: EditScope;
  /** IANA zone for times that become timed (all-day → timed); `undefined` writes UTC. */
  readonly zone: string | undefined;
  /** A floating event: its new times are sent as wall times (no offset), so it stays floating. */
  readonly floating?: boolean;
  /**
   * The series' first start, as a `YYYY-MM-DD` date in the display zone: needed for scope
   * `'all'` when the drag switches between all-day and timed (calsync then takes `start` as
   * the first instance's, so the move is applied here).
   */
  readonly seriesStartDate?: string;
}

/** What to pass to `updateEvent`. */
export interface EventUpdate {
  /** The fields to change. */
  readonly patch: EventPatch;
  /** Occurrence and scope, for an occurrence of a recurring event. */
  readonly options?: EditOptions;
}

const DAY_MS = 86_400_000;

const dateOf = (str: string) => str.slice(0, 10);
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
/** `date` plus `days` calendar days (`YYYY-MM-DD`). */
export const addDays = (date: string, days: number) =>
  new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
/** Calendar days from `from` to `to` (`YYYY-MM-DD` prefixes of display-zone strings). */
export const diffDays = (to: string, from: string) => Math.round(dayNumber(dateOf(to)) - dayNumber(dateOf(from)));

/** `start` of `times` as calsync takes it: the date of an all-day event, the wall time of a floating one, else the UTC instant. */
function startValue(times: EventTimes, floating: boolean): string {
  if (times.allDay) return dateOf(times.startStr);
  return floating ? times.startStr.slice(0, 19) : (times.start as Date).toISOString();
}

function endValue(times: EventTimes, floating: boolean): string | undefined {
  if (times.end === null) return undefined;
  if (times.allDay) return dateOf(times.endStr);
  return floating ? times.endStr.slice(0, 19) : times.end.toISOString();
}

/** Length in days (all-day) or ms; `undefined` without an end. */
function lengthOf(times: EventTimes): number | undefined {
  if (times.end === null || times.start === null) return undefined;
  return times.allDay ? diffDays(times.endStr, times.startStr) : times.end.getTime() - times.start.getTime();
}

/** The series' first instance moved like the occurrence was, for an all-day ↔ timed switch with scope `'all'`. */
function seriesSwitchPatch(
  before: EventTimes,
  after: EventTimes,
  zone: string | undefined,
  firstDate: string,
): EventPatch {
  const shift = diffDays(after.startStr, before.startStr);
  const date = addDays(firstDate, shift);
  if (after.allDay) {
    const days = lengthOf(after);
    return { allDay: true, start: date, ...(days === undefined ? {} : { end: addDays(date, days) }) };
  }
  const length = lengthOf(after);
  if (zone === undefined) {
    // Written in UTC: the dropped instant, moved back to the first instance's day.
    const start = new Date((after.start as Date).getTime() - diffDays(after.startStr, date) * DAY_MS);
    return {
      allDay: false,
      start: start.toISOString(),
      ...(length === undefined ? {} : { end: new Date(start.getTime() + length).toISOString() }),
    };
  }
  // The wall time the occurrence was dropped at, on the first instance's day, in `zone`.
  const wall = `${date}T${after.startStr.slice(11, 19)}`;
  const endWall =
    length === undefined ? undefined : new Date(Date.parse(`${wall}Z`) + length).toISOString().slice(0, 19);
  return { allDay: false, start: wall, timezone: zone, ...(endWall === undefined ? {} : { end: endWall }) };
}

/**
 * The `updateEvent` call for a drag or resize that took an event from `before` to `after`
 * (FullCalendar's `oldEvent` and `event`). Only what changed is written: a move sends
 * `start` (calsync keeps the length), a resize `end` (and `start` if it moved), a switch
 * between all-day and timed `allDay` (and `end` only when FullCalendar kept one). The
 * event's zone is kept (a floating event gets wall times and stays floating); an all-day
 * event that becomes timed is written in `zone`. A
 * recurring occurrence is edited with `{ occurrence: recurrenceId, scope }`; for `'all'`
 * calsync moves the whole series by the occurrence's move (on the wall clock of the
 * series' zone), except for an all-day ↔ timed switch, which is rebased here on
 * `seriesStartDate`. Pure.
 */
export function changePatch(before: EventTimes, after: EventTimes, context: ChangeContext): EventUpdate {
  // `setDates` without an `allDay` option leaves FullCalendar's `allDay` undefined: not a switch.
  const switched = (before.allDay === true) !== (after.allDay === true);
  const recurring = context.recurrenceId !== undefined;
  if (switched && recurring && context.scope === 'all' && context.seriesStartDate !== undefined) {
    return {
      patch: seriesSwitchPatch(before, after, context.zone, context.seriesStartDate),
      options: { scope: 'all' },
    };
  }
  const patch: EventPatch = {};
  const floating = context.floating === true && !switched;
  const start = startValue(after, floating);
  if (switched) {
    patch.allDay = after.allDay;
    if (!after.allDay && context.zone !== undefined) patch.timezone = context.zone;
  }
  if (switched || start !== startValue(before, floating)) patch.start = start;
  const length = lengthOf(after);
  const end = endValue(after, floating);
  if (end !== undefined && (switched || length !== lengthOf(before))) patch.end = end;
  if (!recurring) return { patch };
  return { patch, options: { occurrence: context.recurrenceId, scope: context.scope } };
}

/** The `createEvent` input for a selection: its dates (all-day) or instants, timed ones written in `zone`. */
export function selectionInput(
  selection: Pick<DateSelectArg, 'allDay' | 'start' | 'end' | 'startStr' | 'endStr'>,
  summary: string,
  zone: string | undefined,
): EventInput {
  if (selection.allDay) {
    return { summary, allDay: true, start: dateOf(selection.startStr), end: dateOf(selection.endStr) };
  }
  return {
    summary,
    start: selection.start.toISOString(),
    end: selection.end.toISOString(),
    ...(zone === undefined ? {} : { timezone: zone }),
  };
}
