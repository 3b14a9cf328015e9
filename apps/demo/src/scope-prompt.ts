import type { EditScope } from '@calsync/core';
import { css, html, LitElement, nothing } from 'lit';

/**
 * Asks which occurrences of a repeating event a save or delete is for. Fires
 * `choose-scope` (detail: the `EditScope`) or `scope-back`; takes focus when shown.
 */
export class ScopePrompt extends LitElement {
  static override properties = {
    action: { type: String },
    allowThis: { type: Boolean },
    busy: { type: Boolean },
  };

  declare action: 'save' | 'delete';
  /** `false` hides "This event" (a new repeat rule cannot apply to one occurrence). */
  declare allowThis: boolean;
  declare busy: boolean;

  constructor() {
    super();
    this.action = 'save';
    this.allowThis = true;
    this.busy = false;
  }

  static override styles = css`
    :host { display: grid; gap: 0.5rem; }
    p { margin: 0 0 0.3rem; }
    button { font: inherit; padding: 0.4rem 0.8rem; border-radius: 4px; border: 1px solid #b8c0cc; background: #fff; cursor: pointer; }
    button:disabled { opacity: 0.6; cursor: default; }
    .back { justify-self: start; margin-top: 0.6rem; }
  `;

  override firstUpdated(): void {
    this.renderRoot.querySelector('button')?.focus();
  }

  override render() {
    const question =
      this.action === 'delete'
        ? 'This event repeats. Which events do you want to delete?'
        : 'This event repeats. Which events should the changes apply to?';
    return html`<div role="group" aria-labelledby="scope-question">
      <p id="scope-question">${question}</p>
      ${this.allowThis ? this.#button('this', 'This event') : nothing}
      ${this.#button('future', 'This and following events')}
      ${this.#button('all', 'All events')}
    </div>
    <button type="button" class="back" ?disabled=${this.busy} @click=${() => this.#fire('scope-back', undefined)}>Back</button>`;
  }

  #button(scope: EditScope, label: string) {
    return html`<button type="button" ?disabled=${this.busy} @click=${() => this.#fire('choose-scope', scope)}>${label}</button>`;
  }

  #fire(type: 'choose-scope' | 'scope-back', detail: EditScope | undefined): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
customElements.define('scope-prompt', ScopePrompt);
