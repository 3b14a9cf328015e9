import type { CalendarSync, SyncStatus } from '@calsync/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WatchSlot } from './watch-slot.ts';

/**
 * The SDK's {@link SyncStatus} for a Lit element, through `watchStatus` (no polling): the
 * host renders again whenever it changes. Watches while the host is connected.
 */
export class SyncStatusController implements ReactiveController {
  /** The latest status; `undefined` until the first one arrived (or with no SDK). */
  status: SyncStatus | undefined;

  readonly #host: ReactiveControllerHost;
  #sdk: CalendarSync | undefined;
  #connected = false;
  readonly #slot = new WatchSlot();

  constructor(host: ReactiveControllerHost, calendarSync?: CalendarSync) {
    this.#host = host;
    this.#sdk = calendarSync;
    host.addController(this);
  }

  /** Follows another SDK instance (or none); safe to call on every render. */
  watch(calendarSync: CalendarSync | undefined): void {
    if (calendarSync === this.#sdk) return;
    this.#sdk = calendarSync;
    if (this.#connected) this.#restart();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#restart();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#slot.close();
  }

  #restart(): void {
    const sdk = this.#sdk;
    this.status = undefined;
    if (!sdk) {
      this.#slot.close();
      this.#host.requestUpdate();
      return;
    }
    this.#slot.open(
      (current) =>
        sdk.watchStatus((status) => {
          if (!current()) return;
          this.status = status;
          this.#host.requestUpdate();
        }),
      // A closed SDK has no status to show; the element keeps the last one.
      () => undefined,
    );
  }
}
