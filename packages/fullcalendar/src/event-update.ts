import type { EventApi } from '@fullcalendar/core';
import type { CalsyncEventInput, CalsyncEventProps } from './event-input.ts';

/** The parts of a FullCalendar `EventApi` that {@link eventMutations} compares. */
export type ShownEvent = Pick<
  EventApi,
  | 'title'
  | 'allDay'
  | 'start'
  | 'end'
  | 'startStr'
  | 'endStr'
  | 'classNames'
  | 'backgroundColor'
  | 'borderColor'
  | 'textColor'
  | 'startEditable'
  | 'durationEditable'
  | 'extendedProps'
>;

/** One call on an `EventApi` that brings it to a new input. */
export type EventMutation =
  | {
      readonly kind: 'prop';
      readonly name: 'title' | 'backgroundColor' | 'borderColor' | 'textColor';
      readonly value: string;
    }
  | { readonly kind: 'prop'; readonly name: 'classNames'; readonly value: readonly string[] }
  | { readonly kind: 'prop'; readonly name: 'editable'; readonly value: boolean }
  | { readonly kind: 'dates'; readonly start: string; readonly end: string; readonly allDay: boolean }
  | { readonly kind: 'extendedProp'; readonly name: keyof CalsyncEventProps; readonly value: unknown };

function sameDates(shown: ShownEvent, input: CalsyncEventInput): boolean {
  if (shown.allDay !== input.allDay || shown.start === null) return false;
  if (input.allDay) return shown.startStr.slice(0, 10) === input.start && shown.endStr.slice(0, 10) === input.end;
  if (input.extendedProps.floating) {
    // Wall times: compare FullCalendar's display-zone strings without their offset.
    const endStr = shown.end === null ? shown.startStr : shown.endStr;
    return shown.startStr.slice(0, 19) === input.start.slice(0, 19) && endStr.slice(0, 19) === input.end.slice(0, 19);
  }
  // FullCalendar drops an end that is not after the start (zero-length events).
  const end = shown.end ?? shown.start;
  return shown.start.getTime() === Date.parse(input.start) && end.getTime() === Date.parse(input.end);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Whether `setDates` can give a shown event the input's times (see {@link eventMutations}). */
function canSetDates(shown: ShownEvent, input: CalsyncEventInput): boolean {
  // FullCalendar applies date mutations only to start- and duration-editable events.
  if (!shown.startEditable || !shown.durationEditable) return false;
  // An event whose end was cleared (dragged between all-day and timed) gets no end back
  // from a `setDates` that moves start and end alike.
  return shown.end !== null || input.start === input.end;
}

/**
 * The `setProp` / `setDates` / `setExtendedProp` calls that turn a shown event into
 * `input`, and nothing for what already matches (an event the user just dragged already
 * shows its new times, so the update that echoes the drag moves nothing). `'replace'`
 * when the times change but FullCalendar's `setDates` cannot apply them (a non-editable
 * event, or one without an end): remove it and add the input. Pure.
 */
export function eventMutations(shown: ShownEvent, input: CalsyncEventInput): EventMutation[] | 'replace' {
  const mutations: EventMutation[] = [];
  if (shown.title !== input.title) mutations.push({ kind: 'prop', name: 'title', value: input.title });
  if (!sameDates(shown, input)) {
    if (!canSetDates(shown, input)) return 'replace';
    mutations.push({ kind: 'dates', start: input.start, end: input.end, allDay: input.allDay });
  }
  if (!sameList(shown.classNames, input.classNames)) {
    mutations.push({ kind: 'prop', name: 'classNames', value: input.classNames });
  }
  for (const name of ['backgroundColor', 'borderColor', 'textColor'] as const) {
    const value = input[name] ?? '';
    if (shown[name] !== value) mutations.push({ kind: 'prop', name, value });
  }
  if (shown.startEditable !== input.editable || shown.durationEditable !== input.editable) {
    mutations.push({ kind: 'prop', name: 'editable', value: input.editable });
  }
  const props = shown.extendedProps as Record<string, unknown>;
  for (const [name, value] of Object.entries(input.extendedProps) as [keyof CalsyncEventProps, unknown][]) {
    if (props[name] !== value) mutations.push({ kind: 'extendedProp', name, value });
  }
  return mutations;
}

/** Applies {@link eventMutations} through FullCalendar's public `EventApi` methods. */
export function applyMutations(event: EventApi, mutations: readonly EventMutation[]): void {
  for (const mutation of mutations) {
    if (mutation.kind === 'dates') event.setDates(mutation.start, mutation.end, { allDay: mutation.allDay });
    else if (mutation.kind === 'extendedProp') event.setExtendedProp(mutation.name, mutation.value);
    else event.setProp(mutation.name, mutation.value);
  }
}
