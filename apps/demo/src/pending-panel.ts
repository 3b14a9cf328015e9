import type { PendingChange } from '@calsync/core';
import { css, html, LitElement, nothing } from 'lit';
import { describeError } from './errors.ts';
import { closePanel, panelStyles } from './panel-styles.ts';

const OPERATION: Record<PendingChange['operation'], string> = {
  create: 'New event',
  update: 'Changed',
  delete: 'Deleted',
};

const STATE: Record<PendingChange['state'], string> = {
  pending: 'Waiting to sync',
  quarantined: 'Refused by the server',
  paused: 'Paused until you sign in again',
};

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function errorLine(change: PendingChange) {
  const error = change.lastError;
  if (!error) return nothing;
  const words =
    change.state === 'quarantined'
      ? 'The server refused this change. It stays on this device; your other changes carry on.'
      : describeError(error);
  return html`<div class="last-error">
    ${words} ${error.serverMessage ? html`The server said: “${error.serverMessage}”` : nothing}
    ${words === error.message ? nothing : html`<span class="detail">(${error.message})</span>`}
  </div>`;
}

function retryLine(change: PendingChange) {
  if (change.state !== 'pending' || change.attempts === 0) return nothing;
  const next = change.nextAttemptAt ? `; next try at ${timeOf(change.nextAttemptAt)}` : '';
  return html`<div class="muted">Tried ${change.attempts} ${change.attempts === 1 ? 'time' : 'times'}${next}</div>`;
}

/** The "Unsynced changes" panel: one line per `listPending()` entry; fires `close-panel`. */
export class PendingPanel extends LitElement {
  static override properties = {
    changes: { attribute: false },
    error: { type: String },
  };

  declare changes: readonly PendingChange[];
  /** Why the list could not be read, in words. */
  declare error: string;

  constructor() {
    super();
    this.changes = [];
    this.error = '';
  }

  static override styles = [
    panelStyles,
    css`
      li { border-left: 3px dashed #b38f00; padding: 0.3rem 0.6rem; background: #fffbea; border-radius: 3px; }
      li.quarantined { border-left: 3px solid #a3161a; background: #fdf1f1; }
      li.paused { border-left-color: #56606d; background: #f3f4f6; }
      .operation { font-weight: 600; margin-right: 0.4rem; }
      .state { float: right; font-size: 0.85rem; }
      .last-error { color: #a3161a; font-size: 0.85rem; margin-top: 0.2rem; }
      .detail { color: #56606d; }
    `,
  ];

  override render() {
    return html`<section aria-labelledby="pending-heading">
      <div class="panel-head">
        <h2 id="pending-heading">Unsynced changes</h2>
        <button aria-label="Close unsynced changes" @click=${() => closePanel(this)}>Close</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="muted">Changes made on this device that the server does not have yet. They are sent automatically when the server can be reached.</p>
      ${
        this.changes.length === 0
          ? html`<p>Everything is synced.</p>`
          : html`<ul>
              ${this.changes.map(
                (c) => html`<li class="pending-item ${c.state}">
                  <span class="state">${STATE[c.state]}</span>
                  <span class="operation">${OPERATION[c.operation]}</span>
                  <span class="change-summary">${c.summary || 'Untitled event'}</span>
                  ${errorLine(c)} ${retryLine(c)}
                </li>`,
              )}
            </ul>`
      }
    </section>`;
  }
}
customElements.define('pending-panel', PendingPanel);
