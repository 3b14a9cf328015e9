/** Message other tabs' engines receive when this one changed the replica. */
export interface TabMessage {
  readonly type: 'changed';
  readonly accountId: string;
  readonly calendarIds: readonly string[];
  /** Exactly these objects changed (absent: anything in those calendars). */
  readonly keys?: readonly { readonly calendarId: string; readonly href: string }[];
}

/** This engine's line to the engines of other tabs on the same database. */
export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

/** Opens the channel of database `dbName`; `onMessage` hears the other tabs, never this one. */
export type OpenTabChannel = (dbName: string, onMessage: (message: TabMessage) => void) => TabChannel;

/**
 * BroadcastChannel `calsync:<dbName>`: other tabs drop cached parses and notify their own
 * listeners. A no-op where BroadcastChannel is missing (then no other tab can share the
 * database live either).
 */
export const browserTabChannel: OpenTabChannel = (dbName, onMessage) => {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(`calsync:${dbName}`);
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    if (event.data?.type === 'changed') onMessage(event.data);
  };
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
};
