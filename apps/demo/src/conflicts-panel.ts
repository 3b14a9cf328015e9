import type { Conflict, EventDetails } from '@calsync/core';
import { css, html, LitElement, nothing } from 'lit';
import { closePanel, panelStyles } from './panel-styles.ts';

/** Detail of the `resolve-conflict` event. */
export interface ResolveConflictDetail {
  readonly conflictId: string;
  readonly resolution: 'local' | 'server';
}

/** Each conflict kind in words. */
const CONFLICT_KIND: Record<Conflict['kind'], string> = {
  'edit-edit': 'Changed here and on the server',
  'remote-delete': 'Deleted on the server, changed here',
  'local-delete': 'Deleted here, changed on the server',
  'create-create': 'Created twice',
  split: 'Split here ("this and following") while the series was changed on the server',
};

const CURRENT: Record<Conflict['current'], string> = {
  local: 'your version',
  server: "the server's version",
  merged: 'a merge of both versions',
  deleted: 'nothing (the event is deleted)',
};

const PROPERTY: Record<string, string> = {
  SUMMARY: 'title',
  DTSTART: 'start',
  DTEND: 'end',
  DURATION: 'duration',
  LOCATION: 'location',
  DESCRIPTION: 'description',
  RRULE: 'repeat rule',
  RDATE: 'extra dates',
  EXDATE: 'skipped dates',
  STATUS: 'status',
};

type Row = { label: string; value: (f: EventDetails) => string };

/**
 * A version's start or end in words: all-day values as dates (the exclusive end as the last
 * day), timed values in the event's own zone, named.
 */
function when(fields: EventDetails, which: 'start' | 'end'): string {
  const value = fields[which];
  if (value === undefined) return '';
  if (fields.allDay) {
    const [y = 0, m = 1, d = 1] = value.split('-').map(Number);
    const day = new Date(Date.UTC(y, m - 1, d - (which === 'end' ? 1 : 0)));
    const text = day.toLocaleDateString(undefined, { timeZone: 'UTC', dateStyle: 'full' });
    return which === 'end' ? `${text} (last day)` : `${text} (all day)`;
  }
  const zone = fields.timezone === undefined ? {} : { timeZone: fields.timezone };
  const text = new Date(value).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short', ...zone });
  return fields.timezone === undefined ? text : `${text} (${fields.timezone})`;
}

const ROWS: readonly Row[] = [
  { label: 'Title', value: (f) => f.summary ?? '' },
  { label: 'Start', value: (f) => when(f, 'start') },
  { label: 'End', value: (f) => when(f, 'end') },
  { label: 'Location', value: (f) => f.location ?? '' },
  { label: 'Description', value: (f) => f.description ?? '' },
];

function propertyWords(properties: readonly string[]): string {
  return properties.map((p) => PROPERTY[p.toUpperCase()] ?? p.toLowerCase()).join(', ');
}

/**
 * The "Conflicts" panel: for each conflict its kind in words, this device's and the
 * server's versions side by side (differences marked), the conflicting properties, and
 * "Keep mine" / "Keep theirs" (fires `resolve-conflict`). Also fires `close-panel`.
 */
export class ConflictsPanel extends LitElement {
  static override properties = {
    conflicts: { attribute: false },
    resolving: { attribute: false },
    error: { type: String },
  };

  declare conflicts: readonly Conflict[];
  /** Id of the conflict being resolved (its buttons are disabled). */
  declare resolving: string | undefined;
  /** Why loading or resolving failed, in words. */
  declare error: string;

  constructor() {
    super();
    this.conflicts = [];
    this.resolving = undefined;
    this.error = '';
  }

  static override styles = [
    panelStyles,
    css`
      article { border: 1px solid #e39a9a; border-radius: 6px; padding: 0.6rem 0.8rem; }
      .kind { font-weight: 600; color: #a3161a; margin: 0.1rem 0; }
      .versions { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; margin: 0.5rem 0; }
      .version { background: #f7f9fc; border-radius: 6px; padding: 0.4rem 0.6rem; }
      h4 { margin: 0 0 0.3rem; font-size: 0.9rem; }
      dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.6rem; font-size: 0.85rem; }
      dt { color: #56606d; }
      dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
      .differs { background: #fff0c2; }
      dt.differs::before { content: '≠ '; color: #a3161a; }
      .deleted { font-style: italic; color: #56606d; }
      .buttons { display: flex; gap: 0.5rem; }
      @media (max-width: 40rem) { .versions { grid-template-columns: 1fr; } }
    `,
  ];

  override render() {
    return html`<section aria-labelledby="conflicts-heading">
      <div class="panel-head">
        <h2 id="conflicts-heading">Conflicts</h2>
        <button aria-label="Close conflicts" @click=${() => closePanel(this)}>Close</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        this.conflicts.length === 0
          ? html`<p>No conflicts. Everything agrees with the server.</p>`
          : html`<ul>${this.conflicts.map((c, i) => this.#renderConflict(c, i))}</ul>`
      }
    </section>`;
  }

  #renderConflict(conflict: Conflict, index: number) {
    const mine = conflict.local === undefined ? undefined : (conflict.localEvent ?? {});
    const theirs = conflict.server === undefined ? undefined : (conflict.serverEvent ?? {});
    const title = conflict.summary || mine?.summary || theirs?.summary || 'Untitled event';
    const headingId = `conflict-${index}`;
    const busy = this.resolving !== undefined;
    return html`<li><article class="conflict" aria-labelledby=${headingId}>
      <h3 id=${headingId}>${title}</h3>
      <p class="kind">${CONFLICT_KIND[conflict.kind]}</p>
      ${conflict.properties.length ? html`<p>Both sides changed: ${propertyWords(conflict.properties)}.</p>` : nothing}
      <p class="muted">Until you decide, your calendar shows ${CURRENT[conflict.current]}.</p>
      <div class="versions">
        ${this.#renderVersion('Mine (this device)', mine, theirs)}
        ${this.#renderVersion('Theirs (server)', theirs, mine)}
      </div>
      <div class="buttons">
        <button class="primary" ?disabled=${busy} @click=${() => this.#resolve(conflict.id, 'local')}>Keep mine</button>
        <button ?disabled=${busy} @click=${() => this.#resolve(conflict.id, 'server')}>Keep theirs</button>
      </div>
    </article></li>`;
  }

  #renderVersion(heading: string, fields: EventDetails | undefined, other: EventDetails | undefined) {
    return html`<div class="version">
      <h4>${heading}</h4>
      ${
        fields === undefined
          ? html`<p class="deleted">Deleted</p>`
          : html`<dl>
              ${ROWS.map((row) => {
                const value = row.value(fields);
                const differs = other !== undefined && value !== row.value(other);
                return html`<dt class=${differs ? 'differs' : ''}>${row.label}</dt>
                  <dd class=${differs ? 'differs' : ''}>${value || '—'}</dd>`;
              })}
            </dl>`
      }
    </div>`;
  }

  #resolve(conflictId: string, resolution: 'local' | 'server'): void {
    this.dispatchEvent(
      new CustomEvent<ResolveConflictDetail>('resolve-conflict', {
        detail: { conflictId, resolution },
        bubbles: true,
        composed: true,
      }),
    );
  }
}
customElements.define('conflicts-panel', ConflictsPanel);
