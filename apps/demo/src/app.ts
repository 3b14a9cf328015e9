import {
  type Account,
  type Calendar,
  type CalendarSync,
  CalsyncError,
  createCalendarSync,
  type EventOccurrence,
  type SyncEvent,
  type SyncStatus,
} from '@calsync/core';
import { SyncStatusController } from '@calsync/lit';
import { css, html, LitElement, nothing } from 'lit';
import './account-form.ts';
import './conflicts-panel.ts';
import type { CalendarView, SelectDetail, ViewName } from './calendar-view.ts';
import './calendar-view.ts';
import './search-box.ts';
import './pending-panel.ts';
import type { DemoConfig } from './config.ts';
import type { ResolveConflictDetail } from './conflicts-panel.ts';
import { wantsDebugHandles } from './debug.ts';
import { describeAddAccountError, describeError } from './errors.ts';
import type { EditTarget } from './event-dialog.ts';
import './event-dialog.ts';
import { createLatest } from './latest.ts';
import { OutboxController } from './outbox-controller.ts';

/** The view buttons: label → FullCalendar view, and what "previous/next" moves by. */
const VIEWS: ReadonlyArray<{ label: string; view: ViewName; unit: string }> = [
  { label: 'Day', view: 'timeGridDay', unit: 'day' },
  { label: 'Week', view: 'timeGridWeek', unit: 'week' },
  { label: 'Month', view: 'dayGridMonth', unit: 'month' },
  { label: 'Agenda', view: 'listWeek', unit: 'week' },
];
type Panel = 'pending' | 'conflicts';

/**
 * The demo shell: account setup, calendar list and toggles, the calendar (FullCalendar's
 * day, week, month and list views, live through @calsync/fullcalendar), search, the sync
 * status line (watchStatus), the event dialog, unsynced changes and conflicts.
 */
export class CalsyncApp extends LitElement {
  static override properties = {
    config: { attribute: false },
    sdk: { attribute: false },
    accounts: { state: true },
    calendars: { state: true },
    hiddenCalendars: { state: true },
    view: { state: true },
    rangeTitle: { state: true },
    online: { state: true },
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
  declare view: ViewName;
  declare rangeTitle: string;
  declare online: boolean;
  declare progress: string;
  declare message: string;
  declare adding: boolean;
  declare updateReady: (() => void) | undefined;
  /** What the event dialog edits; `undefined` while it is closed. */
  declare editing: EditTarget | undefined;
  declare panel: Panel | undefined;

  readonly #outbox = new OutboxController(this);
  readonly #status = new SyncStatusController(this);
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
    this.view = 'timeGridWeek';
    this.rangeTitle = '';
    this.online = navigator.onLine;
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
    this.#status.watch(sdk);
    await this.#reload();
  }

  override render() {
    return html`
      <header>
        <h1>calsync demo</h1>
        ${
          this.accounts.length
            ? html`<span class="progress" aria-live="polite">${statusLine(this.#status.status, this.online, this.progress)}</span>
              ${this.#renderPendingCount()}
              <search-box .sdk=${this.sdk} @open-event=${this.#openFound}></search-box>
              <button @click=${this.#newEvent}>New event</button>
              <button class="primary" @click=${this.#sync} ?disabled=${this.#syncing}>${this.#syncing ? 'Syncing…' : 'Sync now'}</button>`
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

  get #syncing(): boolean {
    return this.#status.status?.syncing ?? false;
  }

  #renderCalendars() {
    const unit = VIEWS.find((v) => v.view === this.view)?.unit ?? 'week';
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
          <button @click=${() => this.#calendarView?.move(-1)} aria-label=${`Previous ${unit}`}>‹</button>
          <button @click=${() => this.#calendarView?.move(0)}>Today</button>
          <button @click=${() => this.#calendarView?.move(1)} aria-label=${`Next ${unit}`}>›</button>
          <span class="range" aria-live="polite">${this.rangeTitle}</span>
          ${VIEWS.map(
            (v) =>
              html`<button aria-pressed=${this.view === v.view} @click=${() => {
                this.view = v.view;
              }}>${v.label}</button>`,
          )}
        </nav>
        <calendar-view .sdk=${this.sdk} .view=${this.view} .hiddenCalendars=${this.hiddenCalendars}
          @open-event=${this.#openEvent} @select-range=${this.#selectRange}
          @range-changed=${(e: CustomEvent<string>) => {
            this.rangeTitle = e.detail;
          }}
          @edit-error=${(e: CustomEvent<unknown>) => {
            this.message = describeError(e.detail);
          }}></calendar-view>
      </main>
    </div>`;
  }

  get #calendarView(): CalendarView | null {
    return this.renderRoot.querySelector('calendar-view');
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
        this.online = event.status.online && navigator.onLine;
        break;
      case 'error':
        this.message = describeError(event.error);
        break;
    }
  }

  #newEvent() {
    this.editing = { kind: 'new', day: new Date() };
  }

  #selectRange(event: CustomEvent<SelectDetail>) {
    this.editing = { kind: 'new', day: new Date(), range: event.detail };
  }

  /** A search result: show its day, then open it. */
  #openFound(event: CustomEvent<EventOccurrence>) {
    this.#calendarView?.goTo(event.detail.start);
    this.editing = { kind: 'edit', occurrence: event.detail };
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
   * Reads accounts and calendars (the calendar view follows its events itself, live),
   * unless a newer reload started meanwhile.
   */
  async #reload() {
    const sdk = this.sdk;
    if (!sdk) return;
    await this.#latestReload(
      async () => {
        const [accounts, calendars] = await Promise.all([sdk.listAccounts(), sdk.listCalendars()]);
        return { accounts, calendars };
      },
      (loaded) => {
        this.accounts = loaded.accounts;
        this.calendars = loaded.calendars;
      },
    );
  }

  #toggle(calendarId: string) {
    const hidden = new Set(this.hiddenCalendars);
    if (hidden.has(calendarId)) hidden.delete(calendarId);
    else hidden.add(calendarId);
    this.hiddenCalendars = hidden;
  }
}
customElements.define('calsync-app', CalsyncApp);

/** The status line: offline / syncing / up to date, from watchStatus (never stuck while offline). */
function statusLine(status: SyncStatus | undefined, browserOnline: boolean, progress: string): string {
  if (!status) return '';
  if (!browserOnline || !status.online) {
    return status.pendingCount > 0 ? `Offline · ${status.pendingCount} changes wait to be sent` : 'Offline';
  }
  if (status.syncing) return progress ? `Syncing · ${progress}` : 'Syncing…';
  if (status.lastError) return `Last sync failed: ${status.lastError.message}`;
  if (status.lastSyncAt) {
    const at = new Date(status.lastSyncAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return `Up to date · ${at}`;
  }
  return '';
}
