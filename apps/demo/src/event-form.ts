/**
 * The event form as plain data, and its translation to the SDK's `EventInput` /
 * `EventPatch`. No DOM here.
 *
 * Conventions: timed values are wall time in `timezone` (`YYYY-MM-DDTHH:mm`); the SDK gets
 * them as offset-less ISO strings plus `timezone`. All-day values are dates and the form
 * shows the END INCLUSIVE (the last day), while the SDK's all-day end is exclusive: one day
 * is added on the way out and taken off on the way in.
 */
import type { CalendarEvent, EditScope, EventInput, EventOccurrence, EventPatch } from '@calsync/core';
import {
  browserTimeZone,
  isKnownTimeZone,
  localDateTime,
  naiveDate,
  naiveMs,
  shiftDate,
  shiftNaive,
  wallTime,
} from './zoned-time.ts';

/** Choices of the "Repeat" select; `custom` stands for an existing rule the form cannot show. */
export const REPEAT = {
  none: 'None',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  yearly: 'Yearly',
  custom: 'Custom (keep the current rule)',
} as const;

/** A value of the "Repeat" select. */
export type Repeat = keyof typeof REPEAT;

/** What the form's inputs hold. */
export interface EventFormValues {
  readonly calendarId: string;
  readonly summary: string;
  readonly allDay: boolean;
  /** `YYYY-MM-DDTHH:mm` (wall time in `timezone`), or `YYYY-MM-DD` when all-day. */
  readonly start: string;
  /** Like `start`; for all-day events the last day (inclusive). */
  readonly end: string;
  readonly timezone: string;
  readonly location: string;
  readonly description: string;
  readonly repeat: Repeat;
}

/** The form fields a validation message is about (for `aria-invalid` and focus). */
export type FormField = 'calendarId' | 'summary' | 'start' | 'end' | 'timezone';

/** A reason the form cannot be saved, in words for the user. */
export interface FormProblem {
  readonly field: FormField;
  readonly message: string;
}

const HOUR = 3_600_000;

/** The later of two `YYYY-MM-DD` dates (they sort as text). */
function laterDay(a: string, b: string): string {
  return [a, b].sort()[1] ?? a;
}

/** Defaults of a new event: the next full hour (today) or 09:00 (another day), one hour long. */
export function newEventValues(
  calendarId: string,
  day: Date,
  now = new Date(),
  range?: { start: string; end: string; allDay: boolean },
): EventFormValues {
  if (range) {
    return {
      calendarId,
      summary: '',
      allDay: range.allDay,
      start: range.start,
      // The form shows an all-day event's last day; the grid's end is the day after it.
      end: range.allDay ? laterDay(range.start, shiftDate(range.end, -1)) : range.end,
      timezone: browserTimeZone(),
      location: '',
      description: '',
      repeat: 'none',
    };
  }
  const sameDay = day.toDateString() === now.toDateString();
  const date = localDateTime(day).slice(0, 10);
  const start = sameDay ? shiftNaive(`${localDateTime(now).slice(0, 13)}:00`, HOUR) : `${date}T09:00`;
  return {
    calendarId,
    summary: '',
    allDay: false,
    start,
    end: shiftNaive(start, HOUR),
    timezone: browserTimeZone(),
    location: '',
    description: '',
    repeat: 'none',
  };
}

/** The form's view of an occurrence (times as shown on a wall clock in its own zone). */
export function occurrenceValues(occurrence: EventOccurrence): EventFormValues {
  const timezone =
    occurrence.timezone && isKnownTimeZone(occurrence.timezone) ? occurrence.timezone : browserTimeZone();
  const lastDay = occurrence.allDay ? shiftDate(occurrence.end, -1) : '';
  return {
    calendarId: occurrence.calendarId,
    summary: occurrence.summary,
    allDay: occurrence.allDay,
    start: occurrence.allDay ? occurrence.start : wallTime(occurrence.start, timezone),
    end: occurrence.allDay ? laterDay(occurrence.start, lastDay) : wallTime(occurrence.end, timezone),
    timezone,
    location: occurrence.location ?? '',
    description: occurrence.description ?? '',
    repeat: 'none',
  };
}

/** The "Repeat" choice for a stored RRULE (`custom` when it says more than `FREQ=…`). */
export function repeatOf(rrule: string | undefined): Repeat {
  if (!rrule) return 'none';
  const parts = rrule.toUpperCase().split(';').filter(Boolean);
  const freq = /^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)$/.exec(parts[0] ?? '')?.[1];
  return parts.length === 1 && freq ? (freq.toLowerCase() as Repeat) : 'custom';
}

/** The "Repeat" choice of a stored event (`CalendarEvent.rrule`). */
export function repeatOfEvent(event: CalendarEvent): Repeat {
  return repeatOf(event.rrule);
}

/** Switches between timed and all-day, keeping the days (and a one-hour slot when timed). */
export function withAllDay(values: EventFormValues, allDay: boolean): EventFormValues {
  if (values.allDay === allDay) return values;
  const startDay = values.start.slice(0, 10);
  const endDay = values.end.slice(0, 10);
  if (allDay) return { ...values, allDay, start: startDay, end: laterDay(startDay, endDay) };
  const start = `${startDay}T09:00`;
  return { ...values, allDay, start, end: endDay > startDay ? `${endDay}T10:00` : shiftNaive(start, HOUR) };
}

/** Why the values cannot be saved, or `undefined` when they can. */
export function validate(values: EventFormValues): FormProblem | undefined {
  if (!values.calendarId) return { field: 'calendarId', message: 'Choose a calendar to save the event in.' };
  if (values.summary.trim() === '') return { field: 'summary', message: 'Give the event a title.' };
  const pattern = values.allDay ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  if (!pattern.test(values.start)) return { field: 'start', message: 'Enter when the event starts.' };
  if (!pattern.test(values.end)) return { field: 'end', message: 'Enter when the event ends.' };
  if (values.allDay && values.end < values.start) {
    return { field: 'end', message: 'The last day cannot be before the first day.' };
  }
  if (!values.allDay && values.end <= values.start)
    return { field: 'end', message: 'The end must be after the start.' };
  if (!values.allDay && !isKnownTimeZone(values.timezone)) {
    return {
      field: 'timezone',
      message: `"${values.timezone}" is not a time zone name. Pick one from the list, e.g. Europe/Berlin.`,
    };
  }
  return undefined;
}

const RRULE: Record<Exclude<Repeat, 'custom'>, string | null> = {
  none: null,
  daily: 'FREQ=DAILY',
  weekly: 'FREQ=WEEKLY',
  monthly: 'FREQ=MONTHLY',
  yearly: 'FREQ=YEARLY',
};

/** Start and end as the SDK reads them (offset-less wall time, or dates with an exclusive end). */
function sdkTimes(values: Pick<EventFormValues, 'allDay' | 'start' | 'end'>): { start: string; end: string } {
  return values.allDay
    ? { start: values.start, end: shiftDate(values.end, 1) }
    : { start: `${values.start}:00`, end: `${values.end}:00` };
}

/** `createEvent` input of a validated form. */
export function toEventInput(values: EventFormValues): EventInput {
  const rrule = values.repeat === 'custom' ? null : RRULE[values.repeat];
  return {
    summary: values.summary.trim(),
    ...sdkTimes(values),
    allDay: values.allDay,
    ...(values.allDay ? {} : { timezone: values.timezone }),
    ...(values.location.trim() ? { location: values.location.trim() } : {}),
    ...(values.description.trim() ? { description: values.description } : {}),
    ...(rrule ? { rrule } : {}),
  };
}

/** Whether the user changed the start, end, all-day flag or time zone. */
function timesChanged(initial: EventFormValues, values: EventFormValues): boolean {
  return (
    initial.allDay !== values.allDay ||
    initial.start !== values.start ||
    initial.end !== values.end ||
    (!values.allDay && initial.timezone !== values.timezone)
  );
}

/**
 * Where a whole series starts after the user moved ONE of its occurrences in the form:
 * the series' own start moved by the same wall-clock amount (a weekly meeting moved from
 * Tuesday 10:00 to Wednesday 11:00 keeps its first week, not this week).
 */
function seriesTimes(
  series: CalendarEvent,
  initial: EventFormValues,
  values: EventFormValues,
): Pick<EventFormValues, 'allDay' | 'start' | 'end'> | undefined {
  if (!series.start) return undefined;
  const seriesStart = series.allDay ? series.start.slice(0, 10) : wallTime(series.start, initial.timezone);
  let start: string;
  if (initial.allDay === values.allDay) {
    start = shiftNaive(seriesStart, naiveMs(values.start) - naiveMs(initial.start));
  } else {
    const days = naiveMs(values.start.slice(0, 10)) - naiveMs(initial.start.slice(0, 10));
    const day = naiveDate(naiveMs(seriesStart.slice(0, 10)) + days);
    start = values.allDay ? day : `${day}T${values.start.slice(11, 16)}`;
  }
  const end = shiftNaive(start, naiveMs(values.end) - naiveMs(values.start));
  return { allDay: values.allDay, start, end };
}

/**
 * `updateEvent` patch with only what the user changed. With scope `'all'` on an
 * occurrence of a series, time changes move the whole series (see `seriesTimes`);
 * `series` is the stored object from `getEvent`.
 */
export function toEventPatch(
  initial: EventFormValues,
  values: EventFormValues,
  context: { scope: EditScope; occurrence: boolean; series?: CalendarEvent | undefined },
): EventPatch {
  const patch: EventPatch = {};
  if (values.summary.trim() !== initial.summary.trim()) patch.summary = values.summary.trim();
  if (values.location.trim() !== initial.location.trim()) patch.location = values.location.trim() || null;
  if (values.description !== initial.description)
    patch.description = values.description.trim() ? values.description : null;
  if (values.repeat !== initial.repeat && values.repeat !== 'custom') patch.rrule = RRULE[values.repeat];
  if (timesChanged(initial, values)) {
    const moved =
      context.scope === 'all' && context.occurrence && context.series
        ? (seriesTimes(context.series, initial, values) ?? values)
        : values;
    Object.assign(patch, sdkTimes(moved));
    patch.allDay = moved.allDay;
    if (!moved.allDay) patch.timezone = values.timezone;
  }
  return patch;
}

/** Whether a patch changes anything. */
export function isEmptyPatch(patch: EventPatch): boolean {
  return Object.keys(patch).length === 0;
}
