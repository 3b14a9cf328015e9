import type { Calendar, CalendarEvent, CalendarSync, EditOptions, EditScope, EventOccurrence } from '@calsync/core';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { describeError } from './errors.ts';
import {
  type EventFormValues,
  type FormField,
  isEmptyPatch,
  newEventValues,
  occurrenceValues,
  REPEAT,
  type Repeat,
  repeatOfEvent,
  toEventInput,
  toEventPatch,
  validate,
  withAllDay,
} from './event-form.ts';
import './scope-prompt.ts';
import { timeZoneNames } from './zoned-time.ts';

/** What the dialog edits: a new event (suggested on `day`) or an existing occurrence. */
export type EditTarget =
  | {
      readonly kind: 'new';
      readonly day: Date;
      /** A range picked on the calendar grid (local wall times, or dates with an exclusive end). */
      readonly range?: { readonly start: string; readonly end: string; readonly allDay: boolean };
    }
  | { readonly kind: 'edit'; readonly occurrence: EventOccurrence };

type Step = 'form' | 'save-scope' | 'delete-scope';

const FIELD_IDS: Record<FormField, string> = {
  calendarId: 'calendar',
  summary: 'title',
  start: 'start',
  end: 'end',
  timezone: 'timezone',
};

/**
 * Modal dialog to create, edit or delete an event through the SDK. For an occurrence of
 * a recurring event it asks which occurrences the change is for before saving or deleting.
 * Errors stay inside the dialog, which stays open; fires `dialog-closed` when it closes
 * (saved, deleted, cancelled or Escape).
 */
export class EventDialog extends LitElement {
  static override properties = {
    sdk: { attribute: false },
    calendars: { attribute: false },
    target: { attribute: false },
    values: { state: true },
    step: { state: true },
    busy: { state: true },
    loading: { state: true },
    error: { state: true },
    invalidField: { state: true },
  };

  declare sdk: CalendarSync | undefined;
  declare calendars: Calendar[];
  /** Opens the dialog when set; closes it when `undefined`. */
  declare target: EditTarget | undefined;
  declare values: EventFormValues;
  declare step: Step;
  declare busy: boolean;
  declare loading: boolean;
  declare error: string;
  declare invalidField: FormField | undefined;

  /** The values the dialog opened with: a patch carries only what differs from them. */
  #initial: EventFormValues | undefined;
  /** The stored object of the edited occurrence (the whole series for recurring events). */
  #series: CalendarEvent | undefined;

  constructor() {
    super();
    this.sdk = undefined;
    this.calendars = [];
    this.target = undefined;
    this.values = newEventValues('', new Date());
    this.step = 'form';
    this.busy = false;
    this.loading = false;
    this.error = '';
    this.invalidField = undefined;
  }

  static override styles = css`
    dialog { border: 0; border-radius: 10px; padding: 1.2rem 1.4rem; width: min(34rem, 92vw); box-shadow: 0 10px 40px #0004; }
    dialog::backdrop { background: #0005; }
    h2 { margin: 0 0 0.8rem; font-size: 1.15rem; }
    fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: 0.6rem; }
    .field { display: grid; gap: 0.2rem; }
    .row { display: grid; grid-template-columns: 1fr 1fr; gap: 0.6rem; }
    .check { display: flex; gap: 0.4rem; align-items: center; }
    label { font-size: 0.9rem; font-weight: 500; }
    input, select, textarea { font: inherit; padding: 0.4rem; border: 1px solid #b8c0cc; border-radius: 4px; }
    input[type='checkbox'] { width: 1rem; height: 1rem; }
    textarea { min-height: 4rem; resize: vertical; }
    [aria-invalid='true'] { border-color: #a3161a; outline: 2px solid #f3b5b5; }
    .hint { font-size: 0.8rem; color: #56606d; margin: 0; }
    .error { background: #fde7e7; border: 1px solid #e39a9a; border-radius: 6px; padding: 0.5rem 0.7rem; margin: 0 0 0.8rem; }
    .note { background: #eef1f5; border-radius: 6px; padding: 0.5rem 0.7rem; margin: 0 0 0.8rem; }
    .actions { display: flex; gap: 0.5rem; margin-top: 1rem; align-items: center; }
    .spacer { flex: 1; }
    button { font: inherit; padding: 0.4rem 0.8rem; border-radius: 4px; border: 1px solid #b8c0cc; background: #fff; cursor: pointer; }
    button.primary { background: #1e4f8a; color: #fff; border-color: #1e4f8a; }
    button.danger { color: #a3161a; border-color: #e39a9a; }
    button:disabled { opacity: 0.6; cursor: default; }
  `;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('target')) this.#reset();
  }

  override updated(changed: PropertyValues<this>): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (changed.has('target') && dialog) {
      if (this.target && !dialog.open) dialog.showModal();
      if (!this.target && dialog.open) dialog.close();
    }
  }

  override render() {
    const target = this.target;
    return html`<dialog aria-labelledby="event-dialog-title" @cancel=${this.#onCancel} @close=${this.#onClose}>
      ${
        target
          ? html`<h2 id="event-dialog-title">${target.kind === 'new' ? 'New event' : 'Edit event'}</h2>
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
            ${this.step === 'form' ? this.#renderForm(target) : this.#renderScope(target)}`
          : nothing
      }
    </dialog>`;
  }

  #renderForm(target: EditTarget) {
    const v = this.values;
    const editing = target.kind === 'edit';
    const calendar = this.calendars.find((c) => c.id === v.calendarId);
    const readOnly = editing && calendar?.readOnly === true;
    const choices = editing ? (calendar ? [calendar] : []) : this.calendars.filter((c) => !c.readOnly);
    const repeats = (Object.keys(REPEAT) as Repeat[]).filter(
      (r) => r !== 'custom' || this.#initial?.repeat === 'custom',
    );
    const invalid = (field: FormField) => (this.invalidField === field ? 'true' : 'false');
    return html`<form novalidate @submit=${this.#submit}>
      ${readOnly ? html`<p class="note">This calendar is read-only: the event can be viewed but not changed.</p>` : nothing}
      ${!editing && choices.length === 0 ? html`<p class="note">None of your calendars can be written to.</p>` : nothing}
      <fieldset ?disabled=${this.busy || readOnly}>
        <div class="field">
          <label for="calendar">Calendar</label>
          <select id="calendar" ?disabled=${editing} aria-invalid=${invalid('calendarId')}
            @change=${(e: Event) => this.#set({ calendarId: (e.target as HTMLSelectElement).value })}>
            ${choices.map((c) => html`<option value=${c.id} ?selected=${c.id === v.calendarId}>${c.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="title">Title</label>
          <input id="title" autofocus autocomplete="off" .value=${v.summary} aria-invalid=${invalid('summary')}
            @input=${(e: Event) => this.#set({ summary: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="check">
          <input id="all-day" type="checkbox" .checked=${v.allDay}
            @change=${(e: Event) => {
              this.values = withAllDay(this.values, (e.target as HTMLInputElement).checked);
            }} />
          <label for="all-day">All day</label>
        </div>
        <div class="row">
          <div class="field">
            <label for="start">Start</label>
            ${this.#timeInput('start', v.start, invalid('start'))}
          </div>
          <div class="field">
            <label for="end">End</label>
            ${this.#timeInput('end', v.end, invalid('end'))}
          </div>
        </div>
        <p id="time-hint" class="hint">
          ${v.allDay ? 'All day: End is the last day of the event (included).' : 'Times are wall-clock times in the time zone below.'}
        </p>
        <div class="field">
          <label for="timezone">Time zone</label>
          <input id="timezone" list="zones" autocomplete="off" .value=${v.timezone} ?disabled=${v.allDay}
            aria-invalid=${invalid('timezone')} @input=${(e: Event) => this.#set({ timezone: (e.target as HTMLInputElement).value })} />
          <datalist id="zones">${timeZoneNames().map((z) => html`<option value=${z}></option>`)}</datalist>
        </div>
        <div class="field">
          <label for="location">Location</label>
          <input id="location" .value=${v.location} @input=${(e: Event) => this.#set({ location: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="description">Description</label>
          <textarea id="description" .value=${v.description}
            @input=${(e: Event) => this.#set({ description: (e.target as HTMLTextAreaElement).value })}></textarea>
        </div>
        <div class="field">
          <label for="repeat">Repeat</label>
          <select id="repeat" ?disabled=${this.loading}
            @change=${(e: Event) => this.#set({ repeat: (e.target as HTMLSelectElement).value as Repeat })}>
            ${repeats.map((r) => html`<option value=${r} ?selected=${r === v.repeat}>${REPEAT[r]}</option>`)}
          </select>
        </div>
      </fieldset>
      <div class="actions">
        ${
          editing
            ? html`<button type="button" class="danger" ?disabled=${this.busy || this.loading || readOnly} @click=${this.#askDelete}>Delete</button>`
            : nothing
        }
        <span class="spacer"></span>
        <button type="button" @click=${this.#cancel}>Cancel</button>
        <button type="submit" class="primary" aria-busy=${this.busy ? 'true' : 'false'}
          ?disabled=${this.busy || this.loading || readOnly || choices.length === 0}>Save</button>
      </div>
    </form>`;
  }

  #timeInput(field: 'start' | 'end', value: string, invalid: string) {
    const set = (e: Event) => {
      const value = (e.target as HTMLInputElement).value;
      this.#set(field === 'start' ? { start: value } : { end: value });
    };
    return this.values.allDay
      ? html`<input id=${field} type="date" .value=${value} aria-invalid=${invalid} aria-describedby="time-hint" @input=${set} />`
      : html`<input id=${field} type="datetime-local" .value=${value} aria-invalid=${invalid} aria-describedby="time-hint" @input=${set} />`;
  }

  #renderScope(target: EditTarget) {
    const deleting = this.step === 'delete-scope';
    return html`<scope-prompt
      .action=${deleting ? 'delete' : 'save'}
      .allowThis=${deleting || this.values.repeat === this.#initial?.repeat}
      .busy=${this.busy}
      @choose-scope=${(e: CustomEvent<EditScope>) => void (deleting ? this.#delete(target, e.detail) : this.#save(target, e.detail))}
      @scope-back=${() => {
        this.step = 'form';
      }}
    ></scope-prompt>`;
  }

  #reset(): void {
    this.step = 'form';
    this.error = '';
    this.invalidField = undefined;
    this.busy = false;
    this.loading = false;
    this.#series = undefined;
    const target = this.target;
    if (!target) return;
    if (target.kind === 'new') {
      const calendarId = this.calendars.find((c) => !c.readOnly)?.id ?? '';
      this.values = newEventValues(calendarId, target.day, new Date(), target.range);
      this.#initial = undefined;
      return;
    }
    this.values = occurrenceValues(target.occurrence);
    this.#initial = this.values;
    this.loading = true;
    void this.#loadSeries(target);
  }

  /** Reads the stored object: the form needs its repeat rule, and series edits its start. */
  async #loadSeries(target: EditTarget & { kind: 'edit' }): Promise<void> {
    try {
      const event = await this.sdk?.getEvent(target.occurrence.eventId);
      if (this.target !== target) return;
      if (!event) {
        this.error = 'This event no longer exists. It may have been deleted on another device.';
        return;
      }
      this.#series = event;
      const repeat = repeatOfEvent(event);
      if (this.#initial) this.#initial = { ...this.#initial, repeat };
      this.values = { ...this.values, repeat };
    } catch (error) {
      if (this.target === target) this.error = describeError(error);
    } finally {
      if (this.target === target) this.loading = false;
    }
  }

  #set(change: Partial<EventFormValues>): void {
    this.values = { ...this.values, ...change };
    if (this.invalidField && this.invalidField in change) {
      this.invalidField = undefined;
      this.error = '';
    }
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const target = this.target;
    if (!target || this.busy || this.loading) return;
    const problem = validate(this.values);
    if (problem) {
      this.error = problem.message;
      this.invalidField = problem.field;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`#${FIELD_IDS[problem.field]}`)?.focus(),
      );
      return;
    }
    this.error = '';
    this.invalidField = undefined;
    if (target.kind === 'edit' && target.occurrence.recurrenceId !== undefined) {
      const unchanged = isEmptyPatch(
        toEventPatch(this.#initial ?? this.values, this.values, { scope: 'this', occurrence: true }),
      );
      if (unchanged) this.#finish();
      else this.step = 'save-scope';
      return;
    }
    void this.#save(target, undefined);
  }

  #askDelete(): void {
    const target = this.target;
    if (target?.kind !== 'edit' || this.busy) return;
    this.error = '';
    if (target.occurrence.recurrenceId !== undefined) this.step = 'delete-scope';
    else void this.#delete(target, undefined);
  }

  async #save(target: EditTarget, scope: EditScope | undefined): Promise<void> {
    await this.#run(async (sdk) => {
      if (target.kind === 'new') {
        await sdk.createEvent(this.values.calendarId, toEventInput(this.values));
        return;
      }
      const occurrence = target.occurrence;
      const patch = toEventPatch(this.#initial ?? this.values, this.values, {
        scope: scope ?? 'all',
        occurrence: occurrence.recurrenceId !== undefined,
        series: this.#series,
      });
      if (!isEmptyPatch(patch)) await sdk.updateEvent(occurrence.eventId, patch, editOptions(occurrence, scope));
    });
  }

  async #delete(target: EditTarget, scope: EditScope | undefined): Promise<void> {
    if (target.kind !== 'edit') return;
    await this.#run((sdk) => sdk.deleteEvent(target.occurrence.eventId, editOptions(target.occurrence, scope)));
  }

  /** Runs an SDK call; closes on success, shows the error in the form otherwise. */
  async #run(call: (sdk: CalendarSync) => Promise<unknown>): Promise<void> {
    const sdk = this.sdk;
    if (!sdk || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await call(sdk);
      this.#finish();
    } catch (error) {
      this.error = describeError(error);
      this.step = 'form';
    } finally {
      this.busy = false;
    }
  }

  #finish(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  #cancel(): void {
    if (!this.busy) this.#finish();
  }

  #onCancel(event: Event): void {
    // Escape: never while a save is running (its outcome would have nowhere to show).
    if (this.busy) event.preventDefault();
  }

  #onClose(): void {
    if (this.target) this.dispatchEvent(new CustomEvent('dialog-closed', { bubbles: true, composed: true }));
  }
}
customElements.define('event-dialog', EventDialog);

function editOptions(occurrence: EventOccurrence, scope: EditScope | undefined): EditOptions {
  return occurrence.recurrenceId !== undefined && scope ? { occurrence: occurrence.recurrenceId, scope } : {};
}
