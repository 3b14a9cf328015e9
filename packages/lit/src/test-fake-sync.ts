import type { CalendarSync, EventOccurrence, EventQuery, OccurrenceChange, SyncStatus } from '@calsync/core';

/** One open watcher of the fake: its query and a way to push results to it. */
export interface FakeWatch {
  readonly query: EventQuery;
  closed: boolean;
  push(occurrences: readonly EventOccurrence[], change: OccurrenceChange): void;
}

/**
 * A scripted CalendarSync for the controller tests: `watchEvents`/`watchStatus` record
 * their watchers (the test pushes results), answering at once or when `release()`d.
 */
export class FakeSync {
  readonly watches: FakeWatch[] = [];
  readonly statusListeners: Array<(status: SyncStatus) => void> = [];
  /** When set, watchEvents answers only once the test calls the returned function. */
  hold = false;
  readonly #held: Array<() => void> = [];
  failWith: Error | undefined;

  get open(): FakeWatch[] {
    return this.watches.filter((w) => !w.closed);
  }

  release(): void {
    for (const answer of this.#held.splice(0)) answer();
  }

  asSdk(): CalendarSync {
    return this as unknown as CalendarSync;
  }

  async watchEvents(
    query: EventQuery,
    listener: (o: readonly EventOccurrence[], c: OccurrenceChange) => void,
  ): Promise<() => void> {
    if (this.failWith) throw this.failWith;
    const watch: FakeWatch = {
      query,
      closed: false,
      push: (occurrences, change) => {
        if (!watch.closed) listener(occurrences, change);
      },
    };
    this.watches.push(watch);
    const close = () => {
      watch.closed = true;
    };
    if (this.hold) await new Promise<void>((resolve) => this.#held.push(resolve));
    watch.push([], { added: [], removed: [], updated: [] });
    return close;
  }

  async watchStatus(listener: (status: SyncStatus) => void): Promise<() => void> {
    this.statusListeners.push(listener);
    listener({ online: true, syncing: false, pendingCount: 0 });
    return () => {
      const i = this.statusListeners.indexOf(listener);
      if (i >= 0) this.statusListeners.splice(i, 1);
    };
  }
}

/** An occurrence with the given id and title, for pushed results. */
export function occurrence(id: string, summary: string): EventOccurrence {
  return {
    occurrenceId: id,
    eventId: id,
    calendarId: 'c',
    uid: id,
    summary,
    start: '2026-12-02T10:00:00.000Z',
    end: '2026-12-02T11:00:00.000Z',
    allDay: false,
    pending: false,
    conflict: false,
  };
}
