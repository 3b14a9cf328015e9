import type {
  Calendar,
  CalendarEvent,
  CalendarSync,
  EditOptions,
  EventInput,
  EventOccurrence,
  EventPatch,
  EventQuery,
  EventsListener,
} from '@calsync/core';

/** An occurrence with defaults for what a test does not care about. */
export function occurrence(fields: Partial<EventOccurrence>): EventOccurrence {
  const eventId = fields.eventId ?? 'event-1';
  return {
    occurrenceId: fields.occurrenceId ?? eventId,
    eventId,
    calendarId: 'work',
    uid: `${eventId}@test`,
    summary: 'Event',
    start: '2026-03-10T08:00:00.000Z',
    end: '2026-03-10T09:00:00.000Z',
    allDay: false,
    pending: false,
    conflict: false,
    ...fields,
  };
}

/** A calendar with defaults. */
export function calendarInfo(fields: Partial<Calendar> & { id: string }): Calendar {
  return {
    accountId: 'account',
    url: `https://dav.test/${fields.id}/`,
    name: fields.id,
    readOnly: false,
    deletedOnServer: false,
    objectCount: 0,
    ...fields,
  };
}

interface Watcher {
  readonly query: EventQuery;
  readonly listener: EventsListener;
  last: Map<string, EventOccurrence>;
  open: boolean;
}

const ms = (value: string | Date) => (value instanceof Date ? value.getTime() : Date.parse(value));

/** The subset of `CalendarSync` the FullCalendar adapter uses. */
export type AdapterSync = Pick<
  CalendarSync,
  'watchEvents' | 'listEvents' | 'listCalendars' | 'createEvent' | 'updateEvent' | 'getEvent'
>;

/**
 * A scripted `CalendarSync` for the adapter's tests: holds occurrences in memory, answers
 * `watchEvents` like the engine (first result before the promise resolves, then one call
 * per change that touches the window, unchanged occurrences keeping their identity), and
 * records every call. `put`/`remove` change the data and notify the watchers.
 */
export class FakeSync implements AdapterSync {
  readonly occurrences = new Map<string, EventOccurrence>();
  readonly calendars: Calendar[] = [calendarInfo({ id: 'work', color: '#0b5394' })];
  readonly series = new Map<string, CalendarEvent>();
  readonly watchQueries: EventQuery[] = [];
  readonly listQueries: EventQuery[] = [];
  readonly updates: { eventId: string; patch: EventPatch; options: EditOptions | undefined }[] = [];
  readonly creates: { calendarId: string; input: EventInput }[] = [];
  /** Rejects the next `updateEvent`/`createEvent` with this error. */
  failNext: unknown;
  unsubscribed = 0;
  readonly #watchers = new Set<Watcher>();

  /** Watchers not yet unsubscribed. */
  get openWatchers(): number {
    return this.#watchers.size;
  }

  /** Adds or replaces occurrences (new objects: reported as updated), then notifies. */
  put(...occurrences: EventOccurrence[]): void {
    for (const o of occurrences) this.occurrences.set(o.occurrenceId, o);
    this.#notify();
  }

  /** Removes occurrences by id, then notifies. */
  remove(...occurrenceIds: string[]): void {
    for (const id of occurrenceIds) this.occurrences.delete(id);
    this.#notify();
  }

  async listCalendars(): Promise<Calendar[]> {
    return [...this.calendars];
  }

  async listEvents(query: EventQuery): Promise<EventOccurrence[]> {
    this.listQueries.push(query);
    return this.#window(query);
  }

  async watchEvents(query: EventQuery, listener: EventsListener): Promise<() => void> {
    this.watchQueries.push(query);
    await Promise.resolve();
    const watcher: Watcher = { query, listener, last: new Map(), open: true };
    this.#watchers.add(watcher);
    this.#deliver(watcher, true);
    return () => {
      if (!watcher.open) return;
      watcher.open = false;
      this.#watchers.delete(watcher);
      this.unsubscribed += 1;
    };
  }

  async getEvent(eventId: string): Promise<CalendarEvent | undefined> {
    return this.series.get(eventId);
  }

  async createEvent(calendarId: string, input: EventInput): Promise<CalendarEvent> {
    this.creates.push({ calendarId, input });
    this.#maybeFail();
    const eventId = `created-${this.creates.length}`;
    const allDay = input.allDay ?? false;
    const iso = (value: string | Date) => (value instanceof Date ? value.toISOString() : value);
    this.put(
      occurrence({
        eventId,
        calendarId,
        summary: input.summary,
        start: iso(input.start),
        end: iso(input.end),
        allDay,
        pending: true,
        ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
      }),
    );
    return {
      eventId,
      calendarId,
      href: `https://dav.test/${eventId}.ics`,
      ics: '',
      invalid: false,
      pending: true,
      conflict: false,
    };
  }

  /** Records the call; applies start/end/allDay/summary to a single (non-recurring) event. */
  async updateEvent(eventId: string, patch: EventPatch, options?: EditOptions): Promise<CalendarEvent> {
    this.updates.push({ eventId, patch, options });
    this.#maybeFail();
    const current = this.occurrences.get(eventId);
    if (current !== undefined && current.recurrenceId === undefined) {
      const allDay = patch.allDay ?? current.allDay;
      const start = patch.start === undefined ? current.start : new Date(patch.start).toISOString();
      const length = ms(current.end) - ms(current.start);
      const end =
        patch.end === undefined ? new Date(ms(start) + length).toISOString() : new Date(patch.end).toISOString();
      const day = (iso: string) => iso.slice(0, 10);
      this.put({
        ...current,
        summary: patch.summary ?? current.summary,
        allDay,
        start: allDay ? day(start) : start,
        end: allDay ? day(end) : end,
        pending: true,
      });
    }
    return { eventId, calendarId: 'work', href: '', ics: '', invalid: false, pending: true, conflict: false };
  }

  #maybeFail(): void {
    if (this.failNext === undefined) return;
    const error = this.failNext;
    this.failNext = undefined;
    throw error;
  }

  #window(query: EventQuery): EventOccurrence[] {
    const start = ms(query.start);
    const end = ms(query.end);
    return [...this.occurrences.values()]
      .filter((o) => query.calendarIds === undefined || query.calendarIds.includes(o.calendarId))
      .filter((o) => ms(o.start) < end && ms(o.end) > start)
      .sort((a, b) => ms(a.start) - ms(b.start) || a.occurrenceId.localeCompare(b.occurrenceId));
  }

  #notify(): void {
    for (const watcher of this.#watchers) this.#deliver(watcher, false);
  }

  #deliver(watcher: Watcher, first: boolean): void {
    const now = this.#window(watcher.query);
    const next = new Map(now.map((o) => [o.occurrenceId, o]));
    const added = now.filter((o) => !watcher.last.has(o.occurrenceId)).map((o) => o.occurrenceId);
    const updated = now
      .filter((o) => watcher.last.has(o.occurrenceId) && watcher.last.get(o.occurrenceId) !== o)
      .map((o) => o.occurrenceId);
    const removed = [...watcher.last.keys()].filter((id) => !next.has(id));
    watcher.last = next;
    if (first || added.length + updated.length + removed.length > 0) {
      watcher.listener(now, { added, removed, updated });
    }
  }
}
