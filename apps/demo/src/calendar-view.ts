import type { CalendarSync, EditScope, EventOccurrence } from '@calsync/core';
import { type CalsyncEventSource, calsyncEditing, calsyncEventProps, calsyncEventSource } from '@calsync/fullcalendar';
import { Calendar, type EventApi, type EventContentArg } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import timeGridPlugin from '@fullcalendar/timegrid';
import { css, html, LitElement, type PropertyValues } from 'lit';
import './scope-prompt.ts';
import { localDateTime } from './zoned-time.ts';

/** The views the demo offers, by FullCalendar view name. */
export type ViewName = 'timeGridDay' | 'timeGridWeek' | 'dayGridMonth' | 'listWeek';

/** A range selected on the grid (`start`/`end` as the event form writes them: local wall time or dates). */
export interface SelectDetail {
  readonly start: string;
  readonly end: string;
  readonly allDay: boolean;
}

/**
 * The calendar: FullCalendar's day and week time grids, month grid and list, fed live by
 * `@calsync/fullcalendar` (one watcher per shown range, changes applied in place). Click
 * an event → `open-event` (detail: the occurrence); click or drag on the grid →
 * `select-range`; drag or resize → `updateEvent` through the outbox (offline too), with
 * the scope question for recurring events. Pending and conflicting events are styled
 * apart; hidden calendars are left out of the watcher.
 */
export class CalendarView extends LitElement {
  static override properties = {
    sdk: { attribute: false },
    view: { type: String },
    hiddenCalendars: { attribute: false },
    scopeOpen: { state: true },
  };
  declare sdk: CalendarSync | undefined;
  declare view: ViewName;
  declare hiddenCalendars: ReadonlySet<string>;
  declare scopeOpen: boolean;

  #calendar: Calendar | undefined;
  #source: CalsyncEventSource | undefined;
  #sourceKey = '';
  #answerScope: ((scope: EditScope | undefined) => void) | undefined;

  constructor() {
    super();
    this.sdk = undefined;
    this.view = 'timeGridWeek';
    this.hiddenCalendars = new Set();
    this.scopeOpen = false;
  }

  static override styles = css`
    :host { display: block; }
    .fc { font-size: 0.85rem; }
    .fc .calsync-pending { border-style: dashed !important; opacity: 0.85; }
    .fc .calsync-conflict { box-shadow: 0 0 0 2px #d9534f; }
    .pending-badge, .conflict-badge { display: inline-block; font-size: 0.7rem; line-height: 1.2; padding: 0 0.3rem; margin-left: 0.3rem; border-radius: 999px; }
    .pending-badge { background: #fff0c2; color: #6b5200; border: 1px dashed #b38f00; }
    .conflict-badge { background: #fde7e7; color: #a3161a; border: 1px solid #e39a9a; }
    .time { font-variant-numeric: tabular-nums; margin-right: 0.3rem; }
    dialog { border: 1px solid #b8c0cc; border-radius: 8px; padding: 1rem; max-width: 26rem; }
  `;

  /** The calendar's title for the shown range (e.g. "Dec 1 – 7, 2026"). */
  get rangeTitle(): string {
    return this.#calendar?.view.title ?? '';
  }

  /** Moves by one view length (`-1`, `+1`), or to today (`0`). */
  move(step: -1 | 0 | 1): void {
    if (step === 0) this.#calendar?.today();
    else if (step < 0) this.#calendar?.prev();
    else this.#calendar?.next();
    this.#announce();
  }

  /** Shows the day of `date` (e.g. a search result). */
  goTo(date: string): void {
    this.#calendar?.gotoDate(date);
    this.#announce();
  }

  override render() {
    return html`<div id="calendar"></div>
      <dialog aria-label="Change repeating event" @cancel=${() => this.#scope(undefined)}>
        ${
          this.scopeOpen
            ? html`<scope-prompt action="save" @choose-scope=${(e: CustomEvent<EditScope>) => this.#scope(e.detail)}
                @scope-back=${() => this.#scope(undefined)}></scope-prompt>`
            : ''
        }
      </dialog>`;
  }

  override firstUpdated(): void {
    const element = this.renderRoot.querySelector('#calendar') as HTMLElement;
    const editing = this.sdk
      ? calsyncEditing(this.sdk, {
          // A click or drag on the grid opens the event form for that range instead of creating at once.
          calendarIdForCreate: () => undefined,
          askScope: () => this.#askScope(),
          onError: (error) =>
            this.dispatchEvent(new CustomEvent('edit-error', { detail: error, bubbles: true, composed: true })),
        })
      : undefined;
    this.#calendar = new Calendar(element, {
      plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
      initialView: this.view,
      headerToolbar: false,
      firstDay: 1,
      height: 'auto',
      nowIndicator: true,
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      editable: true,
      selectable: true,
      selectMirror: true,
      eventClassNames: ['event'],
      eventContent: (arg) => this.#content(arg),
      eventClick: (info) => {
        info.jsEvent.preventDefault();
        const occurrence = occurrenceOf(info.event);
        if (occurrence) this.#fire('open-event', occurrence);
      },
      select: (info) => {
        this.#calendar?.unselect();
        this.#fire<SelectDetail>('select-range', {
          allDay: info.allDay,
          start: info.allDay ? info.startStr : localDateTime(info.start),
          end: info.allDay ? info.endStr : localDateTime(info.end),
        });
      },
      eventDidMount: (info) => {
        // Keyboard: every event is a focusable control that opens its dialog with Enter.
        info.el.setAttribute('tabindex', '0');
        info.el.setAttribute('role', 'button');
        info.el.addEventListener('keydown', (event) => {
          if (event.key !== 'Enter' && event.key !== ' ') return;
          event.preventDefault();
          const occurrence = occurrenceOf(info.event);
          if (occurrence) this.#fire('open-event', occurrence);
        });
      },
      ...(editing ? { eventDrop: editing.eventDrop, eventResize: editing.eventResize } : {}),
    });
    this.#calendar.render();
    this.#syncSource();
    this.#announce();
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('view') && this.#calendar && this.#calendar.view.type !== this.view) {
      this.#calendar.changeView(this.view);
      this.#announce();
    }
    if (changed.has('hiddenCalendars') || changed.has('sdk')) this.#syncSource();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#calendar?.destroy();
    this.#calendar = undefined;
  }

  /** Calendars to show changed: one new source over the visible ones (its watcher replaces the old one). */
  async #syncSource(): Promise<void> {
    const calendar = this.#calendar;
    const sdk = this.sdk;
    if (!calendar || !sdk) return;
    const hidden = [...this.hiddenCalendars].sort();
    const key = hidden.join('\n');
    if (this.#source && key === this.#sourceKey) return;
    this.#sourceKey = key;
    const calendarIds = hidden.length
      ? (await sdk.listCalendars()).map((c) => c.id).filter((id) => !this.hiddenCalendars.has(id))
      : undefined;
    if (this.#sourceKey !== key) return;
    calendar.getEventSourceById(this.#source?.id ?? '')?.remove();
    this.#source = calsyncEventSource(sdk, {
      ...(calendarIds ? { calendarIds } : {}),
      onError: (error) => this.#fire('edit-error', error),
    });
    calendar.addEventSource(this.#source);
  }

  #content(arg: EventContentArg) {
    const props = calsyncEventProps(arg.event);
    const root = document.createElement('span');
    if (arg.timeText && !arg.event.allDay) {
      const time = document.createElement('span');
      time.className = 'time';
      time.textContent = arg.timeText;
      root.append(time);
    }
    const summary = document.createElement('span');
    summary.className = 'summary';
    summary.textContent = arg.event.title;
    root.append(summary);
    if (props?.pending) root.append(badge('pending-badge', 'pending'));
    if (props?.conflict) root.append(badge('conflict-badge', 'conflict'));
    return { domNodes: [root] };
  }

  #askScope(): Promise<EditScope | undefined> {
    this.#answerScope?.(undefined);
    this.scopeOpen = true;
    const dialog = this.renderRoot.querySelector('dialog');
    dialog?.showModal();
    return new Promise((resolve) => {
      this.#answerScope = resolve;
    });
  }

  #scope(scope: EditScope | undefined): void {
    this.renderRoot.querySelector('dialog')?.close();
    this.scopeOpen = false;
    const answer = this.#answerScope;
    this.#answerScope = undefined;
    answer?.(scope);
  }

  #announce(): void {
    this.#fire('range-changed', this.rangeTitle);
  }

  #fire<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}
customElements.define('calendar-view', CalendarView);

function badge(className: string, text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

/** The occurrence a FullCalendar event shows (for the event dialog), from its calsync props. */
function occurrenceOf(event: EventApi): EventOccurrence | undefined {
  const props = calsyncEventProps(event);
  if (!props || !event.start) return undefined;
  const allDay = event.allDay;
  const start = allDay ? event.startStr.slice(0, 10) : event.start.toISOString();
  const endDate = event.end ?? event.start;
  // FullCalendar drops the end of a one-day all-day event; calsync's end is the next day.
  const end = allDay
    ? event.endStr
      ? event.endStr.slice(0, 10)
      : new Date(Date.parse(`${start}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    : endDate.toISOString();
  return {
    occurrenceId: event.id,
    eventId: props.eventId,
    calendarId: props.calendarId,
    uid: '',
    summary: event.title,
    start,
    end,
    allDay,
    pending: props.pending,
    conflict: props.conflict,
    ...(props.recurrenceId === undefined ? {} : { recurrenceId: props.recurrenceId }),
    ...(props.timezone === undefined ? {} : { timezone: props.timezone }),
    ...(props.location === undefined ? {} : { location: props.location }),
    ...(props.description === undefined ? {} : { description: props.description }),
  };
}
