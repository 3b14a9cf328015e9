import type { EventOccurrence } from '@calsync/core';
import type { EventApi } from '@fullcalendar/core';

/** The class every event of a calsync source carries while it has unsynced local changes. */
export const PENDING_CLASS = 'calsync-pending';
/** The class of events with an open conflict (see `CalendarSync.listConflicts`). */
export const CONFLICT_CLASS = 'calsync-conflict';
/** The class of occurrences of a recurring event (they have a `recurrenceId`). */
export const RECURRING_CLASS = 'calsync-recurring';

/**
 * The calsync fields of a FullCalendar event (its `extendedProps`): what the editing
 * handlers need to write a change back, and what an app shows in a detail view. Every key
 * is present; optional texts are `undefined` when unset.
 */
export type CalsyncEventProps = {
  /** Id of the stored object (the whole series for a recurring event), for `getEvent`/`updateEvent`. */
  readonly eventId: string;
  /** The event's calendar. */
  readonly calendarId: string;
  /** The occurrence's original start, for occurrences of a recurring event. */
  readonly recurrenceId: string | undefined;
  /** Has an unsynced local change. */
  readonly pending: boolean;
  /** Has an open conflict. */
  readonly conflict: boolean;
  /** IANA zone the event is written in (absent for UTC, floating and all-day times). */
  readonly timezone: string | undefined;
  /** Floating time (no zone in the data): shown, and written back, at its wall-clock time. */
  readonly floating: boolean;
  /** Location text. */
  readonly location: string | undefined;
  /** Description text. */
  readonly description: string | undefined;
};

/**
 * An occurrence as a FullCalendar `EventInput` (assignable to it): `id` is the
 * occurrence's stable `occurrenceId`, times are passed as calsync formats them (UTC
 * instants `…Z`, or `YYYY-MM-DD` dates with an exclusive end, as FullCalendar reads them).
 */
export type CalsyncEventInput = {
  /** The occurrence's `occurrenceId` (FullCalendar's `getEventById` finds it). */
  readonly id: string;
  /** The summary. */
  readonly title: string;
  /** ISO UTC instant; `YYYY-MM-DD` for all-day events; a wall time without offset for floating ones. */
  readonly start: string;
  /** Exclusive end, in the format of `start`. */
  readonly end: string;
  /** An all-day event. */
  readonly allDay: boolean;
  /** The calendar's colour, when known. */
  readonly backgroundColor?: string;
  /** The calendar's colour, when known. */
  readonly borderColor?: string;
  /** Black or white, whichever reads better on `backgroundColor` (for `#rgb`/`#rrggbb` colours). */
  readonly textColor?: string;
  /** `calsync-pending`, `calsync-conflict`, `calsync-recurring` as they apply, then any extra classes. */
  readonly classNames: string[];
  /** Whether FullCalendar lets the user drag and resize it. */
  readonly editable: boolean;
  /** The calsync fields. */
  readonly extendedProps: CalsyncEventProps;
};

/** Extra settings of {@link toEventInput}. */
export interface EventInputExtras {
  /** Whether the event may be dragged and resized; default `true`. */
  readonly editable?: boolean;
  /** More classes, after the calsync ones. */
  readonly classNames?: readonly string[];
}

/** `#000000` or `#ffffff`, whichever contrasts more with a `#rgb` / `#rrggbb` colour; `undefined` for other CSS colours. */
export function textColorFor(color: string): string | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (hex === undefined) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // WCAG contrast against black is (L + 0.05) / 0.05, against white 1.05 / (L + 0.05).
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}

/** A floating time's wall clock: calsync writes it as UTC, FullCalendar reads it without offset in its display zone. */
const wallClock = (iso: string) => iso.replace(/Z$/, '');

/**
 * Maps an occurrence to a FullCalendar event input: `id` = `occurrenceId`, its calendar's
 * `color` as background and border, the calsync classes and {@link CalsyncEventProps}.
 * Floating times lose their `Z`, so FullCalendar shows them at their clock time in any
 * display zone. Pure; for apps that build their own event sources.
 */
export function toEventInput(
  occurrence: EventOccurrence,
  color?: string,
  extras: EventInputExtras = {},
): CalsyncEventInput {
  const classNames: string[] = [];
  if (occurrence.pending) classNames.push(PENDING_CLASS);
  if (occurrence.conflict) classNames.push(CONFLICT_CLASS);
  if (occurrence.recurrenceId !== undefined) classNames.push(RECURRING_CLASS);
  classNames.push(...(extras.classNames ?? []));
  const text = color === undefined ? undefined : textColorFor(color);
  const floating = occurrence.floating === true && !occurrence.allDay;
  return {
    id: occurrence.occurrenceId,
    title: occurrence.summary,
    start: floating ? wallClock(occurrence.start) : occurrence.start,
    end: floating ? wallClock(occurrence.end) : occurrence.end,
    allDay: occurrence.allDay,
    ...(color === undefined ? {} : { backgroundColor: color, borderColor: color }),
    ...(text === undefined ? {} : { textColor: text }),
    classNames,
    editable: extras.editable ?? true,
    extendedProps: {
      eventId: occurrence.eventId,
      calendarId: occurrence.calendarId,
      recurrenceId: occurrence.recurrenceId,
      pending: occurrence.pending,
      conflict: occurrence.conflict,
      timezone: occurrence.timezone,
      floating,
      location: occurrence.location,
      description: occurrence.description,
    },
  };
}

/**
 * The {@link CalsyncEventProps} of a FullCalendar event, or `undefined` for an event that
 * did not come from calsync (no string `eventId`/`calendarId` in its `extendedProps`).
 */
export function calsyncEventProps(event: Pick<EventApi, 'extendedProps'>): CalsyncEventProps | undefined {
  const props = event.extendedProps as Partial<Record<keyof CalsyncEventProps, unknown>>;
  if (typeof props.eventId !== 'string' || typeof props.calendarId !== 'string') return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    eventId: props.eventId,
    calendarId: props.calendarId,
    recurrenceId: text(props.recurrenceId),
    pending: props.pending === true,
    conflict: props.conflict === true,
    timezone: text(props.timezone),
    floating: props.floating === true,
    location: text(props.location),
    description: text(props.description),
  };
}
