import type { Calendar, EventOccurrence } from '@calsync/core';
import { css, html, LitElement, nothing } from 'lit';
import { addDays, dayLabel, daysOf, localDateKey, timeLabel } from './dates.ts';

const shared = css`
  .event { display: block; width: 100%; text-align: left; font: inherit; font-size: 0.85rem; color: inherit; cursor: pointer;
    border: 0; border-left: 4px solid var(--color, #888); background: #fff; padding: 0.25rem 0.4rem; margin: 0.2rem 0; border-radius: 3px; box-shadow: 0 1px 2px #0001; }
  .event:hover { background: #f7f9fc; }
  .event:focus-visible { outline: 2px solid #1e4f8a; outline-offset: 1px; }
  .event.pending { border-left-style: dashed; background: #fffbea; }
  .event.conflict { box-shadow: 0 0 0 2px #d9534f; }
  .time { color: #56606d; font-variant-numeric: tabular-nums; margin-right: 0.3rem; }
  .muted { color: #56606d; display: block; }
  .pending-badge, .conflict-badge { display: inline-block; font-size: 0.7rem; line-height: 1.2; padding: 0 0.3rem; margin-left: 0.3rem; border-radius: 999px; vertical-align: 1px; }
  .pending-badge { background: #fff0c2; color: #6b5200; border: 1px dashed #b38f00; }
  .conflict-badge { background: #fde7e7; color: #a3161a; border: 1px solid #e39a9a; }
`;

/** Fired (bubbling, composed) when an occurrence is clicked; `detail` is the occurrence. */
export type OpenEventDetail = EventOccurrence;

function colorOf(calendars: Calendar[], id: string): string {
  return calendars.find((c) => c.id === id)?.color ?? '#888';
}

function byDay(events: EventOccurrence[]): Map<string, EventOccurrence[]> {
  const map = new Map<string, EventOccurrence[]>();
  for (const e of events) {
    for (const day of daysOf(e.start, e.end, e.allDay)) {
      const list = map.get(day) ?? [];
      list.push(e);
      map.set(day, list);
    }
  }
  return map;
}

function eventItem(e: EventOccurrence, calendars: Calendar[], conflictIds: ReadonlySet<string>) {
  // The open-conflict list is the source of truth; the row flag alone can lag behind it.
  const conflict = e.conflict || conflictIds.has(e.eventId);
  const open = (event: Event) =>
    (event.currentTarget as HTMLElement).dispatchEvent(
      new CustomEvent<OpenEventDetail>('open-event', { detail: e, bubbles: true, composed: true }),
    );
  return html`<button type="button" class="event ${e.pending ? 'pending' : ''} ${conflict ? 'conflict' : ''}"
    data-uid=${e.uid} style="--color: ${colorOf(calendars, e.calendarId)}"
    title=${[e.summary, e.location, e.timezone].filter(Boolean).join(' · ')} @click=${open}>
    <span class="time">${e.allDay ? 'all day' : timeLabel(e.start)}</span><span class="summary">${e.summary}</span>
    ${e.pending ? html`<span class="pending-badge">pending</span>` : nothing}
    ${conflict ? html`<span class="conflict-badge">conflict</span>` : nothing}
    ${e.location ? html`<span class="muted">${e.location}</span>` : nothing}
  </button>`;
}

/** Seven day columns (Monday first) with the week's occurrences, all-day ones on top; fires `open-event`. */
export class WeekView extends LitElement {
  static override properties = {
    weekStart: { attribute: false },
    events: { attribute: false },
    calendars: { attribute: false },
    conflictIds: { attribute: false },
  };
  declare weekStart: Date;
  declare events: EventOccurrence[];
  declare calendars: Calendar[];
  /** Events with an open conflict (from `listConflicts()`), marked like `conflict: true`. */
  declare conflictIds: ReadonlySet<string>;

  constructor() {
    super();
    this.weekStart = new Date();
    this.events = [];
    this.calendars = [];
    this.conflictIds = new Set();
  }

  static override styles = [
    shared,
    css`
      .grid { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 0.4rem; }
      .day { background: #eef1f5; border-radius: 6px; padding: 0.4rem; min-height: 12rem; }
      .day h3 { margin: 0 0 0.3rem; font-size: 0.85rem; }
      .today { outline: 2px solid #1e4f8a; }
    `,
  ];

  override render() {
    const days = byDay(this.events);
    const today = localDateKey(new Date());
    return html`<div class="grid" role="grid" aria-label="Week">
      ${Array.from({ length: 7 }, (_, i) => {
        const key = localDateKey(addDays(this.weekStart, i));
        const list = (days.get(key) ?? []).sort((a, b) => Number(b.allDay) - Number(a.allDay));
        return html`<section class="day ${key === today ? 'today' : ''}" data-day=${key}>
          <h3>${dayLabel(key)}</h3>
          ${list.map((e) => eventItem(e, this.calendars, this.conflictIds))}
        </section>`;
      })}
    </div>`;
  }
}
customElements.define('week-view', WeekView);

/** A chronological list of occurrences grouped by day; fires `open-event`. */
export class AgendaView extends LitElement {
  static override properties = {
    events: { attribute: false },
    calendars: { attribute: false },
    conflictIds: { attribute: false },
  };
  declare events: EventOccurrence[];
  declare calendars: Calendar[];
  /** Events with an open conflict (from `listConflicts()`), marked like `conflict: true`. */
  declare conflictIds: ReadonlySet<string>;

  constructor() {
    super();
    this.events = [];
    this.calendars = [];
    this.conflictIds = new Set();
  }

  static override styles = [shared, css`h3 { font-size: 0.95rem; margin: 0.8rem 0 0.2rem; }`];

  override render() {
    const days = [...byDay(this.events).entries()].sort(([a], [b]) => a.localeCompare(b));
    if (days.length === 0) return html`<p class="muted">No events in this period.</p>`;
    return html`<div aria-label="Agenda">
      ${days.map(([key, list]) => html`<h3>${dayLabel(key)}</h3>${list.map((e) => eventItem(e, this.calendars, this.conflictIds))}`)}
    </div>`;
  }
}
customElements.define('agenda-view', AgendaView);
