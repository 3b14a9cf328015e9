import type { SyncEvent } from '../api/types.ts';
import type { ObjectRecord } from '../model/records.ts';
import type { OpenTabChannel, TabChannel } from '../platform/tab-channel.ts';
import type { EventQueryCache, ObjectKey } from '../query/event-query.ts';
import type { Emitter } from '../util/emitter.ts';

/** Beyond this many changed objects other tabs are told only the calendars (the message stays small). */
const MAX_SHARED_KEYS = 200;

/**
 * Where changes to the replica go: the query index is patched (or dropped), the cached
 * calendar ids are forgotten, the app's listeners hear `changed`, and so do the engines of
 * other tabs on the same database (which then do the same, without posting back).
 */
export class ChangeFeed {
  readonly #query: EventQueryCache;
  readonly #events: Emitter<SyncEvent>;
  readonly #tabs: TabChannel;
  readonly #listCalendarIds: () => Promise<string[]>;
  readonly #touched: (calendarIds: readonly string[], keys?: readonly ObjectKey[]) => void;
  /**
   * Ids of the stored calendars, for queries: an IndexedDB read per `listEvents` usually
   * takes 0.5 ms but now and then 10–20 ms (the p95 of a month query). Dropped whenever
   * calendars may have changed: account added or removed, any sync round, any change.
   */
  #calendarIds: Promise<string[]> | undefined;

  constructor(options: {
    query: EventQueryCache;
    events: Emitter<SyncEvent>;
    tabs: OpenTabChannel;
    dbName: string;
    listCalendarIds: () => Promise<string[]>;
    /** Hears every change after the query index took it (live queries refresh from there). */
    touched?: (calendarIds: readonly string[], keys?: readonly ObjectKey[]) => void;
  }) {
    this.#query = options.query;
    this.#events = options.events;
    this.#listCalendarIds = options.listCalendarIds;
    this.#touched = options.touched ?? (() => undefined);
    this.#tabs = options.tabs(options.dbName, (message) => {
      this.#calendarIds = undefined;
      if (message.keys === undefined) this.#invalidate(message.calendarIds);
      else this.#patch(message.calendarIds, message.keys);
      this.#touched(message.calendarIds, message.keys);
      this.#events.emit({ type: 'changed', accountId: message.accountId, calendarIds: message.calendarIds });
    });
  }

  /** The stored calendars' ids (cached until the next change). */
  async calendarIds(): Promise<string[]> {
    this.#calendarIds ??= this.#listCalendarIds();
    const known = this.#calendarIds;
    try {
      return await known;
    } catch (error) {
      if (this.#calendarIds === known) this.#calendarIds = undefined;
      throw error;
    }
  }

  /** Calendars may have been added or removed (no objects changed). */
  forgetCalendars(): void {
    this.#calendarIds = undefined;
  }

  /**
   * The replica changed. `calendarIds` empty: possibly everywhere. `keys`: exactly these
   * objects (else whole calendars). `contents`: one calendar's complete new content.
   */
  changed(
    accountId: string,
    calendarIds: readonly string[],
    keys?: readonly ObjectKey[],
    contents?: readonly ObjectRecord[],
    /** Per key, its row exactly as just stored (`null`: removed): patched in without a read. */
    rows?: ReadonlyArray<ObjectRecord | null>,
  ): void {
    this.#calendarIds = undefined;
    if (contents !== undefined && calendarIds.length === 1) this.#query.replace(calendarIds[0] as string, contents);
    else if (keys === undefined) this.#invalidate(calendarIds);
    else if (rows !== undefined && rows.length === keys.length && calendarIds.length === 1) {
      this.#query.update(
        calendarIds[0] as string,
        keys.map((k) => k.href),
        rows.map((row) => row ?? undefined),
      );
    } else this.#patch(calendarIds, keys);
    this.#touched(calendarIds, keys);
    this.#events.emit({ type: 'changed', accountId, calendarIds });
    // Other tabs patch their index too when the objects are few (else they reload those calendars).
    const shared =
      keys !== undefined && keys.length <= MAX_SHARED_KEYS
        ? keys.map(({ calendarId, href }) => ({ calendarId, href }))
        : undefined;
    this.#tabs.post({ type: 'changed', accountId, calendarIds, ...(shared ? { keys: shared } : {}) });
  }

  #patch(calendarIds: readonly string[], keys: readonly ObjectKey[]): void {
    for (const calendarId of calendarIds) {
      this.#query.update(
        calendarId,
        keys.filter((k) => k.calendarId === calendarId).map((k) => k.href),
      );
    }
  }

  close(): void {
    this.#tabs.close();
  }

  #invalidate(calendarIds: readonly string[]): void {
    if (calendarIds.length === 0) this.#query.clear();
    for (const calendarId of calendarIds) this.#query.invalidate(calendarId);
  }
}
