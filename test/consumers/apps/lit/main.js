// The Lit example of packages/lit/README.md in plain JavaScript (no decorators, no
// `declare`: the reactive property is set in the constructor): the week's events
// (EventsController) and a sync status line (SyncStatusController), live. Like the other
// apps it hands calsync to whoever drives the page (the consumer test) as `window.calendars`.
import { CalsyncError, createCalendarSync } from '@calsync/core';
import { EventsController, SyncStatusController } from '@calsync/lit';
import { html, LitElement } from 'lit';

const status = document.querySelector('#status');
try {
  const calendarSync = await createCalendarSync({ dbName: 'lit-consumer', autoSync: false });

  class WeekAgenda extends LitElement {
    static properties = { start: { attribute: false } };
    #events = new EventsController(this);
    #sync = new SyncStatusController(this, calendarSync);

    constructor() {
      super();
      const day = new Date();
      day.setHours(0, 0, 0, 0);
      this.start = day;
    }

    willUpdate() {
      // Safe on every update: a new watcher opens only when the window really changed.
      this.#events.watch(calendarSync, { start: this.start, end: new Date(this.start.getTime() + 7 * 864e5) });
    }

    render() {
      const status = this.#sync.status;
      const events = this.#events;
      return html`
        <p id="sync">${status === undefined ? '…' : `${status.online ? 'Online' : 'Offline'} · ${status.pendingCount} pending`}</p>
        ${events.error ? html`<p role="alert">Could not show the week (${events.error.code})</p>` : ''}
        ${
          events.loading
            ? html`<p id="events-loading">Loading…</p>`
            : html`<ul id="events">${events.occurrences.map((o) => html`<li>${o.pending ? `${o.summary} (not synced yet)` : o.summary}</li>`)}</ul>`
        }`;
    }
  }
  customElements.define('week-agenda', WeekAgenda);

  window.calendars = calendarSync;
  window.CalsyncError = CalsyncError;
  status.textContent = 'ready';
} catch (error) {
  status.textContent = `failed: ${error.code ?? ''} ${error.message}`;
}
