import type { RemoteCalendar } from '../transport/port.ts';

/**
 * How long the calendar list fetched by `addAccount` stands in for the first round's own
 * PROPFIND (with auto-sync, that round starts right away): one request less, and on
 * servers that compute sync-tokens by walking each collection, a large part of the first
 * sync's server time.
 */
export const FRESH_LISTING_MS = 60_000;

/** Calendar lists fetched by `addAccount`, each given out once to the account's next round while fresh. */
export class FreshListings {
  readonly #listings = new Map<string, { calendars: readonly RemoteCalendar[]; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  keep(accountId: string, calendars: readonly RemoteCalendar[]): void {
    this.#listings.set(accountId, { calendars, at: this.#now() });
  }

  take(accountId: string): readonly RemoteCalendar[] | undefined {
    const fresh = this.#listings.get(accountId);
    this.#listings.delete(accountId);
    return fresh && this.#now() - fresh.at < FRESH_LISTING_MS ? fresh.calendars : undefined;
  }
}
