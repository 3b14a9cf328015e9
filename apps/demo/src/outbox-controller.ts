import type { CalendarSync, Conflict, PendingChange, SyncEvent } from '@calsync/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describeError } from './errors.ts';

/**
 * Keeps a component up to date with the SDK's unsynced changes and open conflicts:
 * the count from `pending`/`status` events and `status()`, the lists from `listPending()`
 * and `listConflicts()`, reloaded on `pending`, `conflict` and `changed` events.
 * Reloads that arrive while one runs are folded into one more.
 */
export class OutboxController implements ReactiveController {
  /** Unsynced local changes, as the SDK counts them. */
  pendingCount = 0;
  pending: readonly PendingChange[] = [];
  conflicts: readonly Conflict[] = [];
  /** Why the lists could not be read, in words (empty when they could). */
  loadError = '';
  /** Why the last conflict resolution failed, in words. */
  resolveError = '';
  /** The conflict whose resolution is running. */
  resolving: string | undefined;

  readonly #host: ReactiveControllerHost;
  #sdk: CalendarSync | undefined;
  #running = false;
  #again = false;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Re-reads the lists when the host comes back into the page (they may be stale). */
  hostConnected(): void {
    if (this.#sdk) this.refresh();
  }

  /** Starts following an SDK instance (reads its state once). */
  attach(sdk: CalendarSync): void {
    this.#sdk = sdk;
    this.refresh();
  }

  /** Feeds an SDK event (call it from the app's `subscribe` listener). */
  handle(event: SyncEvent): void {
    switch (event.type) {
      case 'pending':
        this.pendingCount = event.pendingCount;
        this.#host.requestUpdate();
        this.refresh();
        break;
      case 'status':
        this.pendingCount = event.status.pendingCount;
        this.#host.requestUpdate();
        break;
      case 'conflict':
      case 'changed':
        this.refresh();
        break;
    }
  }

  /** Reloads count and lists; never rejects (failures land in `loadError`). */
  refresh(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#load().finally(() => {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.refresh();
      }
    });
  }

  /** Settles a conflict with this device's or the server's version; failures land in `resolveError`. */
  async resolve(conflictId: string, resolution: 'local' | 'server'): Promise<void> {
    const sdk = this.#sdk;
    if (!sdk || this.resolving) return;
    this.resolving = conflictId;
    this.resolveError = '';
    this.#host.requestUpdate();
    try {
      await sdk.resolveConflict(conflictId, resolution);
    } catch (error) {
      this.resolveError = describeError(error);
    } finally {
      this.resolving = undefined;
      this.#host.requestUpdate();
      this.refresh();
    }
  }

  async #load(): Promise<void> {
    const sdk = this.#sdk;
    if (!sdk) return;
    try {
      const [pending, conflicts, status] = await Promise.all([sdk.listPending(), sdk.listConflicts(), sdk.status()]);
      this.pending = pending;
      this.conflicts = conflicts;
      this.pendingCount = status.pendingCount;
      this.loadError = '';
    } catch (error) {
      this.loadError = describeError(error);
    }
    this.#host.requestUpdate();
  }
}
