import {
  type Account,
  type Calendar,
  type CalendarSync,
  CalsyncError,
  createCalendarSync,
  type EventOccurrence,
  type SyncEvent,
} from '@calsync/core';
import { css, html, LitElement, nothing } from 'lit';
import './account-form.ts';
import './conflicts-panel.ts';
import './event-views.ts';
import './pending-panel.ts';
import type { DemoConfig } from './config.ts';
import type { ResolveConflictDetail } from './conflicts-panel.ts';
import { addDays, startOfWeek } from './dates.ts';
import { wantsDebugHandles } from './debug.ts';
import { describeAddAccountError, describeError } from './errors.ts';
import type { EditTarget } from './event-dialog.ts';
import './event-dialog.ts';
import { createLatest } from './latest.ts';
import { OutboxController } from './outbox-controller.ts';

type View = 'week' | 'agenda';
type Panel = 'pending' | 'conflicts';

/**
 * The demo shell: account setup, calendar list, week/agenda views, sync and offline state,
 * the event dialog, unsynced changes and conflicts.
 */
export class CalsyncApp extends LitElement {
  static override properties = {
    config: { attribute: false },
    sdk: { attribute: false },
    accounts: { state: true },
    calendars: { state: true },
    hiddenCalendars: { state: true },
    events: { state: true },
    view: { state: true },
    weekStart: { state: true },
    online: { state: true },
    syncing: { state: true },
    progress: { state: true },
    message: { state: true },
    adding: { state: true },
    updateReady: { state: true },
    editing: { state: true },
    panel: { state: true },
  };

  declare config: DemoConfig;
  declare sdk: CalendarSync | undefined;
  declare accounts: Account[];
  declare calendars: Calendar[];
  declare hiddenCalendars: Set<string>;
  declare events: EventOccurrence[];
  declare view: View;
  declare weekStart: Date;
  declare online: boolean;
  declare syncing: boolean;
  declare progress: string;
  declare message: string;
  declare adding: boolean;
  declare updateReady: (() => void) | undefined;
  /** What the event dialog edits; `undefined` while it is closed. */
  declare editing: EditTarget | undefined;
  declare panel: Panel | undefined;

  readonly #outbox = new OutboxController(this);
  /** Reloads overlap (sync `changed` events, navigation, dialogs): only the newest one shows. */
  readonly #latestReload = createLatest();
  #unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.config = {};
    this.sdk = undefined;
    this.accounts = [];
    this.calendars = [];
    this.hiddenCalendars = new Set();
    this.events = [];
    this.view = 'week';
    this.weekStart = startOfWeek(new Date());
    this.online = navigator.onLine;
    this.syncing = false;
    this.progress = '';
    this.message = '';
    this.adding = false;
    this.updateReady = undefined;
    this.editing = undefined;
    this.panel = undefined;
  }

  static override styles = css`
    :host { display: block; padding: 1rem; max-width: 80rem; margin: auto; }
    header { display: flex; align-items: center; gap: 0.8rem; flex-wrap: wrap; }
    h1 { font-size: 1.3rem; margin: 0; flex: 1; }
    button { font: inherit; padding: 0.35rem 0.7rem; border-radius: 4px; border: 1px solid #b8c0cc; background: #fff; cursor: pointer; }
    button.primary { background: #1e4f8a; color: #fff; border-color: #1e4f8a; }
    .banner { padding: 0.5rem 0.8rem; border-radius: 6px; margin: 0.6rem 0; }
    .offline { background: #fff4d6; border: 1px solid #e6c35c; }
    .error { background: #fde7e7; border: 1px solid #e39a9a; }
    .update { background: #e3f0ff; border: 1px solid #8fb3e0; }
    .conflicts { background: #fdecec; border: 1px solid #e39a9a; display: flex; align-items: center; gap: 0.8rem; }
    .pending-count { background: #fff0c2; border: 1px dashed #b38f00; border-radius: 999px; font-size: 0.85rem; padding: 0.2rem 0.7rem; }
    .layout { display: grid; grid-template-columns: 14rem 1fr; gap: 1rem; margin-top: 0.8rem; }
    aside ul { list-style: none; padding: 0; margin: 0; }
    aside li { display: flex; gap: 0.4rem; align-items: center; padding: 0.2rem 0; }
    .swatch { width: 0.8rem; height: 0.8rem; border-radius: 3px; display: inline-block; }
    nav { display: flex; gap: 0.4rem; align-items: center; margin-bottom: 0.6rem; }
    .range { font-weight: 600; margin: 0 0.6rem; }
    @media (max-width: 50rem) { .layout { grid-template-columns: 1fr; } }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.#onNetwork);
    window.addEventListener('offline', this.#onNetwork);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.#onNetwork);
    window.removeEventListener('offline', this.#onNetwork);
    this.#unsubscribe?.();
  }

  /** Starts the SDK (in its Worker) and loads what the replica holds, before any network. */
  async start(): Promise<void> {
    const sdk = await createCalendarSync({
      ...(this.config.proxyUrl ? { proxyUrl: this.config.proxyUrl } : {}),
      autoSync: { intervalMs: 60_000 },
    });
    this.sdk = sdk;
    // Handles for debugging in the console and for the end-to-end tests, only when the
    // page opts in (`?debug`, or the dev server): see debug.ts.
    if (wantsDebugHandles(window.location.search, import.meta.env.DEV)) {
      Object.assign(window, { calsync: sdk, CalsyncError, createCalendarSync });
    }
    this.#unsubscribe = await sdk.subscribe((event) => this.#onSyncEvent(event));
    this.#outbox.attach(sdk);
    await this.#reload();
  }

  override render() {
    return html`
      <header>
        <h1>calsync demo</h1>
        ${
          this.accounts.length
            ? html`<span class="progress" aria-live="polite">${this.progress}</span>
              ${this.#renderPendingCount()}
              <button @click=${this.#newEvent}>New event</button>
              <button class="primary" @click=${this.#sync} ?disabled=${this.syncing}>${this.syncing ? 'Syncing…' : 'Sync now'}</button>`
            : nothing
        }
      </header>
      ${this.online ? nothing : html`<div class="banner offline" role="status">You are offline. Showing your calendars from this device.</div>`}
      ${this.message ? html`<div class="banner error" role="alert">${this.message}</div>` : nothing}
      ${
        this.updateReady
          ? html`<div class="banner update">A new version is ready. <button @click=${() => this.updateReady?.()}>Reload</button></div>`
          : nothing
      }
      ${this.#renderConflictBanner()}
      ${this.#renderPanel()}
      ${this.accounts.length === 0 ? this.#renderSetup() : this.#renderCalendars()}
      <event-dialog .sdk=${this.sdk} .calendars=${this.calendars} .target=${this.editing}
        @dialog-closed=${this.#onDialogClosed}></event-dialog>
    `;
  }

  #renderPendingCount() {
    const count = this.#outbox.pendingCount;
    if (count === 0) return nothing;
    return html`<button class="pending-count" aria-expanded=${this.panel === 'pending' ? 'true' : 'false'}
      @click=${() => this.#togglePanel('pending')}>${count} unsynced</button>`;
  }

  #renderConflictBanner() {
    const count = this.#outbox.conflicts.length;
    if (count === 0) return nothing;
    return html`<div class="banner conflicts">
      <span>${count === 1 ? '1 conflict needs your decision' : `${count} conflicts need your decision`}</span>
      <button @click=${() => this.#openPanel('conflicts')}>Review</button>
    </div>`;
  }

  #renderPanel() {
    const outbox = this.#outbox;
    switch (this.panel) {
      case 'pending':
        return html`<pending-panel .changes=${outbox.pending} .error=${outbox.loadError}
          @close-panel=${() => this.#closePanel()}></pending-panel>`;
      case 'conflicts':
        return html`<conflicts-panel .conflicts=${outbox.conflicts} .resolving=${outbox.resolving}
          .error=${outbox.resolveError || outbox.loadError}
          @resolve-conflict=${(e: CustomEvent<ResolveConflictDetail>) => void outbox.resolve(e.detail.conflictId, e.detail.resolution)}
          @close-panel=${() => this.#closePanel()}></conflicts-panel>`;
      default:
        return nothing;
    }
  }

  #renderSetup() {
    return html`<account-form
      .serverUrl=${this.config.serverUrl ?? ''}
      .username=${this.config.username ?? ''}
      .password=${this.config.password ?? ''}
      .busy=${this.adding || !this.sdk}
      @add-account=${this.#addAccount}
    ></account-form>`;
  }

  #renderCalendars() {
    const visible = this.events.filter((e) => !this.hiddenCalendars.has(e.calendarId));
    const conflictIds = new Set(this.#outbox.conflicts.map((c) => c.eventId));
    const weekEnd = addDays(this.weekStart, 6);
    return html`<div class="layout">
      <aside>
        <h2>Calendars</h2>
        <ul>
          ${this.calendars.map(
            (c) => html`<li>
              <input type="checkbox" id=${`cal-${c.id}`} .checked=${!this.hiddenCalendars.has(c.id)} @change=${() => this.#toggle(c.id)} />
              <span class="swatch" style="background:${c.color ?? '#888'}"></span>
              <label for=${`cal-${c.id}`}>${c.name}</label>
            </li>`,
          )}
        </ul>
      </aside>
      <main>
        <nav>
          <button @click=${() => this.#moveWeek(-7)} aria-label="Previous week">‹</button>
          <button @click=${() => this.#moveWeek(0)}>Today</button>
          <button @click=${() => this.#moveWeek(7)} aria-label="Next week">›</button>
          <span class="range">${this.weekStart.toLocaleDateString()} – ${weekEnd.toLocaleDateString()}</span>
          <button aria-pressed=${this.view === 'week'} @click=${() => this.#setView('week')}>Week</button>
          <button aria-pressed=${this.view === 'agenda'} @click=${() => this.#setView('agenda')}>Agenda</button>
        </nav>
        ${
          this.view === 'week'
            ? html`<week-view .weekStart=${this.weekStart} .events=${visible} .calendars=${this.calendars} .conflictIds=${conflictIds}
                @open-event=${this.#openEvent}></week-view>`
            : html`<agenda-view .events=${visible} .calendars=${this.calendars} .conflictIds=${conflictIds}
                @open-event=${this.#openEvent}></agenda-view>`
        }
      </main>
    </div>`;
  }

  async #addAccount(event: CustomEvent<{ serverUrl: string; username: string; password: string }>) {
    if (!this.sdk) return;
    this.adding = true;
    this.message = '';
    try {
      await this.sdk.addAccount(event.detail);
    } catch (error) {
      // Worded for the form: there is nothing on this device yet, the fields are the cause.
      this.message = describeAddAccountError(error);
      this.adding = false;
      return;
    }
    try {
      await this.#reload();
      await this.#sync();
    } catch (error) {
      this.message = describeError(error);
    } finally {
      this.adding = false;
    }
  }

  async #sync() {
    if (!this.sdk) return;
    this.message = '';
    try {
      await this.sdk.sync();
    } catch (error) {
      this.message = describeError(error);
    }
    await this.#reload();
  }

  #onSyncEvent(event: SyncEvent) {
    this.#outbox.handle(event);
    switch (event.type) {
      case 'changed':
        void this.#reload();
        break;
      case 'progress':
        this.progress =
          event.phase === 'done'
            ? 'Up to date'
            : event.total > 0
              ? `${event.phase} ${event.done}/${event.total}`
              : `${event.phase}…`;
        break;
      case 'status':
        this.syncing = event.status.syncing;
        this.online = event.status.online && navigator.onLine;
        break;
      case 'error':
        this.message = describeError(event.error);
        break;
    }
  }

  #newEvent() {
    const today = new Date();
    const inView = today >= this.weekStart && today < addDays(this.weekStart, 7);
    this.editing = { kind: 'new', day: inView || this.view === 'agenda' ? today : this.weekStart };
  }

  #openEvent(event: CustomEvent<EventOccurrence>) {
    this.editing = { kind: 'edit', occurrence: event.detail };
  }

  #onDialogClosed() {
    this.editing = undefined;
    void this.#reload();
  }

  #togglePanel(panel: Panel) {
    if (this.panel === panel) this.#closePanel();
    else this.#openPanel(panel);
  }

  async #openPanel(panel: Panel) {
    this.panel = panel;
    this.#outbox.refresh();
    await this.updateComplete;
    this.renderRoot.querySelector(`${panel}-panel`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  #closePanel() {
    this.panel = undefined;
  }

  readonly #onNetwork = () => {
    this.online = navigator.onLine;
    // The engine also listens for `online` in its Worker; asking here too costs one no-op
    // round at most and covers browsers that do not fire the event in workers.
    if (navigator.onLine) void this.sdk?.sync().catch(() => undefined);
  };

  /**
   * Reads accounts, calendars and the events of the shown range, and shows them together,
   * unless a newer reload started meanwhile: its range and data are the current ones.
   */
  async #reload() {
    const sdk = this.sdk;
    if (!sdk) return;
    const start = this.view === 'week' ? this.weekStart : startOfWeek(new Date());
    const days = this.view === 'week' ? 7 : 42;
    await this.#latestReload(
      async () => {
        const [accounts, calendars, events] = await Promise.all([
          sdk.listAccounts(),
          sdk.listCalendars(),
          sdk.listEvents({ start, end: addDays(start, days) }),
        ]);
        return { accounts, calendars, events };
      },
      (loaded) => {
        this.accounts = loaded.accounts;
        this.calendars = loaded.calendars;
        this.events = loaded.events;
      },
    );
  }

  #toggle(calendarId: string) {
    const hidden = new Set(this.hiddenCalendars);
    if (hidden.has(calendarId)) hidden.delete(calendarId);
    else hidden.add(calendarId);
    this.hiddenCalendars = hidden;
  }

  #moveWeek(days: number) {
    this.weekStart = days === 0 ? startOfWeek(new Date()) : addDays(this.weekStart, days);
    void this.#reload();
  }

  #setView(view: View) {
    this.view = view;
    void this.#reload();
  }
}
customElements.define('calsync-app', CalsyncApp);
