import { CalsyncError } from '../api/errors.ts';
import { toCalendarEvent, toConflict, toPendingChange } from '../api/mappers.ts';
import type {
  CalendarEvent,
  Conflict,
  ConflictResolution,
  EditOptions,
  EventInput,
  EventPatch,
  PendingChange,
} from '../api/types.ts';
import { newId, parseEventId } from '../model/ids.ts';
import { createLocal, deleteLocal, type EditResult, resolveLocal, updateLocal } from '../outbox/local-edits.ts';
import type { ReplicaStore } from '../store/port.ts';
import type { ChangeFeed } from './change-feed.ts';

/** What {@link EventEdits} needs from the engine. */
export interface EventEditsDeps {
  readonly store: ReplicaStore;
  readonly now: () => number;
  readonly feed: ChangeFeed;
  /** Recounts the outbox and emits `pending`. */
  readonly emitPending: () => Promise<void>;
  /** Asks the scheduler for a push shortly (edits arriving together share it). */
  readonly pushSoon: () => void;
  /** Whether a stored object of the calendar has this UID (the query index). */
  readonly uidInUse: (calendarId: string, uid: string) => Promise<boolean>;
}

/**
 * The engine's edit side: local creates, updates, deletes and conflict resolutions through
 * the outbox (outbox/local-edits.ts), each followed by the same aftermath — views and other
 * tabs hear of it, the pending count is emitted, a push is scheduled — and the outbox's
 * read side (pending changes, conflicts) in the public shapes.
 */
export class EventEdits {
  readonly #deps: EventEditsDeps;

  constructor(deps: EventEditsDeps) {
    this.#deps = deps;
  }

  async getEvent(eventId: string): Promise<CalendarEvent | undefined> {
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const record = await this.#deps.store.getObject(parsed.calendarId, parsed.href);
    return record ? toCalendarEvent(record) : undefined;
  }

  async create(calendarId: string, input: EventInput): Promise<CalendarEvent> {
    return this.#after(await createLocal(this.#editDeps(), calendarId, input));
  }

  async update(eventId: string, patch: EventPatch, options?: EditOptions): Promise<CalendarEvent> {
    return this.#after(await updateLocal(this.#editDeps(), eventId, patch, options));
  }

  async delete(eventId: string, options?: EditOptions): Promise<void> {
    await this.#after(await deleteLocal(this.#editDeps(), eventId, options));
  }

  async resolveConflict(conflictId: string, resolution: ConflictResolution): Promise<void> {
    const conflict = await this.#deps.store.outbox.getConflict(conflictId);
    if (!conflict) throw new CalsyncError('not-found', `No conflict ${conflictId}.`, { retryable: false });
    await this.#after(await resolveLocal(this.#editDeps(), conflict, resolution));
  }

  async listPending(): Promise<PendingChange[]> {
    const { store } = this.#deps;
    const paused = new Set((await store.listAccounts()).filter((a) => a.paused).map((a) => a.id));
    return (await store.outbox.list()).map((entry) => toPendingChange(entry, paused.has(entry.accountId)));
  }

  async listConflicts(): Promise<Conflict[]> {
    return (await this.#deps.store.outbox.listConflicts()).map(toConflict);
  }

  #editDeps() {
    return { store: this.#deps.store, now: this.#deps.now, newId, uidInUse: this.#deps.uidInUse };
  }

  /** After a local edit: views refresh, other tabs hear of it, a push follows shortly. */
  async #after(result: EditResult): Promise<CalendarEvent> {
    this.#deps.feed.changed(
      result.accountId,
      [result.calendarId],
      result.hrefs.map((href) => ({ calendarId: result.calendarId, href })),
      undefined,
      result.rows,
    );
    await this.#deps.emitPending();
    this.#deps.pushSoon();
    const event = result.eventId === undefined ? undefined : await this.getEvent(result.eventId);
    return event as CalendarEvent;
  }
}
