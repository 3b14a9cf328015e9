import type { CalendarSync, EventOccurrence } from '@calsync/core';
import { css, html, LitElement, nothing } from 'lit';
import { describeError } from './errors.ts';
import { createLatest } from './latest.ts';

/**
 * Search as you type over `searchEvents` (the local replica: works offline). Results are
 * a listbox under the field; Enter or a click on one fires `open-event` with it.
 */
export class SearchBox extends LitElement {
  static override properties = {
    sdk: { attribute: false },
    text: { state: true },
    results: { state: true },
    error: { state: true },
  };
  declare sdk: CalendarSync | undefined;
  declare text: string;
  declare results: readonly EventOccurrence[];
  declare error: string;
  /** Answers of older keystrokes are dropped (see latest.ts). */
  readonly #latest = createLatest();

  constructor() {
    super();
    this.sdk = undefined;
    this.text = '';
    this.results = [];
    this.error = '';
  }

  static override styles = css`
    :host { position: relative; display: inline-block; }
    input { font: inherit; padding: 0.35rem 0.6rem; border-radius: 4px; border: 1px solid #b8c0cc; width: 14rem; }
    ul { position: absolute; z-index: 10; right: 0; min-width: 22rem; max-height: 22rem; overflow: auto; list-style: none;
      margin: 0.2rem 0 0; padding: 0.2rem; background: #fff; border: 1px solid #b8c0cc; border-radius: 6px; box-shadow: 0 4px 12px #0002; }
    li button { display: block; width: 100%; text-align: left; font: inherit; border: 0; background: none; padding: 0.35rem 0.5rem; cursor: pointer; }
    li button:hover, li button:focus-visible { background: #eef3fa; }
    .when { display: block; color: #56606d; font-size: 0.8rem; }
    .empty { padding: 0.35rem 0.5rem; color: #56606d; }
  `;

  override render() {
    const open = this.text.trim() !== '';
    return html`<input type="search" aria-label="Search events" placeholder="Search events"
        .value=${this.text} @input=${this.#onInput} @keydown=${this.#onKey} />
      ${
        open
          ? html`<ul role="listbox" aria-label="Search results">
              ${this.error ? html`<li class="empty" role="alert">${this.error}</li>` : nothing}
              ${!this.error && this.results.length === 0 ? html`<li class="empty">No events found</li>` : nothing}
              ${this.results.map(
                (o) => html`<li role="option"><button type="button" class="result" @click=${() => this.#open(o)}>
                  <span class="summary">${o.summary}</span><span class="when">${when(o)}${o.location ? ` · ${o.location}` : ''}</span>
                </button></li>`,
              )}
            </ul>`
          : nothing
      }`;
  }

  #onInput(event: Event): void {
    this.text = (event.target as HTMLInputElement).value;
    const sdk = this.sdk;
    const text = this.text;
    if (!sdk || text.trim() === '') {
      this.results = [];
      return;
    }
    void this.#latest(
      async () => {
        try {
          return { results: await sdk.searchEvents(text, { limit: 20 }), error: '' };
        } catch (error) {
          return { results: [], error: describeError(error) };
        }
      },
      (found) => {
        this.results = found.results;
        this.error = found.error;
      },
    );
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.#clear();
    if (event.key === 'Enter' && this.results[0]) this.#open(this.results[0]);
    if (event.key === 'ArrowDown') (this.renderRoot.querySelector('.result') as HTMLElement | null)?.focus();
  }

  #open(occurrence: EventOccurrence): void {
    this.#clear();
    this.dispatchEvent(new CustomEvent('open-event', { detail: occurrence, bubbles: true, composed: true }));
  }

  #clear(): void {
    this.text = '';
    this.results = [];
    this.error = '';
  }
}
customElements.define('search-box', SearchBox);

function when(o: EventOccurrence): string {
  if (o.allDay) return new Date(`${o.start}T00:00:00`).toLocaleDateString();
  return new Date(o.start).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}
