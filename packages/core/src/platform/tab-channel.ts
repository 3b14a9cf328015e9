/** Message other tabs' engines receive when this one changed the replica. */
export interface TabMessage {
  readonly type: 'changed';
  readonly accountId: string;
  readonly calendarIds: readonly string[];
}

/**
 * Tells the engines of other tabs (same database) that the replica changed, so they drop
 * cached parses and notify their own listeners. A no-op where BroadcastChannel is missing.
 */
export class TabChannel {
  readonly #channel: BroadcastChannel | undefined;

  constructor(dbName: string, onMessage: (message: TabMessage) => void) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.#channel = new BroadcastChannel(`calsync:${dbName}`);
    this.#channel.onmessage = (event: MessageEvent<TabMessage>) => {
      if (event.data?.type === 'changed') onMessage(event.data);
    };
  }

  post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }

  close(): void {
    this.#channel?.close();
  }
}
