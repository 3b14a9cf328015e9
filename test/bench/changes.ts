/**
 * The "other client": plain HTTP PUTs and DELETEs behind the synced clients' backs, and the
 * bare serial PUT loop that the outbox replay is compared with.
 */
import { type BenchCalendar, writeObject } from './dav.ts';
import type { BarePut } from './report-request.ts';
import { benchObjects, type SeedObject } from './seed-data.ts';

/** How one round of remote changes is made up (10 in all, object count unchanged). */
export const REMOTE_CHANGES = { updated: 6, created: 2, deleted: 2 } as const;
/** Entries a sync-collection lists for one round: every update, create and delete. */
export const REMOTE_CHANGE_COUNT = REMOTE_CHANGES.updated + REMOTE_CHANGES.created + REMOTE_CHANGES.deleted;

/** Rewrites the first SUMMARY of an object (the VEVENT's, before any override's). */
export function withSummary(ics: string, summary: string): string {
  return ics.replace(/\r\nSUMMARY:[^\r]*/, `\r\nSUMMARY:${summary}`);
}

/** What one {@link RemoteEditor.round} changed on the server. */
export interface RemoteRound {
  readonly round: number;
  /** The summary every updated object now has. */
  readonly summary: string;
  readonly updated: readonly SeedObject[];
  readonly created: readonly SeedObject[];
  readonly deleted: readonly SeedObject[];
}

/** Tracks which objects exist on the server, so that every round edits live ones. */
export class RemoteEditor {
  readonly #calendar: BenchCalendar;
  readonly #anchor: Date;
  readonly #live: SeedObject[];
  #round = 0;

  constructor(calendar: BenchCalendar, seeded: readonly SeedObject[], anchor: Date) {
    this.#calendar = calendar;
    this.#anchor = anchor;
    this.#live = [...seeded];
  }

  /** Objects believed to be on the server now. */
  get live(): readonly SeedObject[] {
    return this.#live;
  }

  /**
   * Makes one round of {@link REMOTE_CHANGES}: updates spread over the calendar (a
   * recurring series among them when there is one), new objects, deletions.
   */
  async round(): Promise<RemoteRound> {
    this.#round++;
    const step = Math.max(1, Math.floor(this.#live.length / (REMOTE_CHANGES.updated + REMOTE_CHANGES.deleted + 1)));
    const picked = Array.from(
      { length: REMOTE_CHANGES.updated + REMOTE_CHANGES.deleted },
      (_, i) => this.#live[(i * step + this.#round) % this.#live.length] as SeedObject,
    );
    const series = this.#live.find((o) => o.recurring && !picked.includes(o));
    if (series) picked[0] = series;
    const updates = picked.slice(0, REMOTE_CHANGES.updated);
    const deletes = picked.slice(REMOTE_CHANGES.updated);
    const summary = `Changed elsewhere (round ${this.#round})`;
    for (const o of updates) await writeObject(this.#calendar, o.name, withSummary(o.ics, summary));
    const created = benchObjects({ count: REMOTE_CHANGES.created, anchor: this.#anchor, seed: 9_000 + this.#round });
    for (const o of created) await writeObject(this.#calendar, o.name, o.ics);
    for (const o of deletes) await writeObject(this.#calendar, o.name, undefined);
    const gone = new Set(deletes.map((o) => o.name));
    const kept = this.#live.filter((o) => !gone.has(o.name));
    this.#live.splice(0, this.#live.length, ...kept, ...created);
    return { round: this.#round, summary, updated: updates, created, deleted: deletes };
  }
}

/** The bare loop's PUTs: each object with its summary changed (tagged), at its own URL. */
export function barePutsOf(calendar: BenchCalendar, objects: readonly SeedObject[], tag: string): BarePut[] {
  return objects.map((o) => ({
    url: new URL(o.name, calendar.url).toString(),
    body: withSummary(o.ics, `Bare PUT ${tag}`),
  }));
}
