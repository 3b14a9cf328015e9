import { DavTestClient } from './dav-client.ts';
import { startRadicale } from './radicale.ts';
import { startXandikos } from './xandikos.ts';

/**
 * A real CalDAV server for the parametrised integration suites: where its calendars live,
 * who the test user is, and a plain-HTTP client for changes behind the SDK's back.
 */
export interface DavServer {
  readonly name: 'Radicale' | 'Xandikos';
  /** The DAV root URL (`serverUrl` for addAccount). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Path of the calendar collection `name` (with a trailing slash). */
  calendar(name: string): string;
  /** A second client of the same user, by plain HTTP. */
  client(): DavTestClient;
  stop(): Promise<void>;
}

/** How to start each server, and what it can show. */
export interface DavServerKind {
  readonly name: DavServer['name'];
  /** The server checks passwords (Xandikos has no authentication). */
  readonly checksPasswords: boolean;
  /** Objects may have any name (Xandikos serves only `*.ics` files as calendar objects). */
  readonly anyObjectName: boolean;
  start(): Promise<DavServer>;
}

export const RADICALE: DavServerKind = {
  name: 'Radicale',
  checksPasswords: true,
  anyObjectName: true,
  async start() {
    const server = await startRadicale();
    return {
      name: 'Radicale',
      url: server.url,
      username: 'alice',
      password: server.users.alice ?? '',
      calendar: (name) => `/alice/${name}/`,
      client: () => new DavTestClient(server.url, 'alice', server.users.alice ?? ''),
      stop: () => server.stop(),
    };
  },
};

export const XANDIKOS: DavServerKind = {
  name: 'Xandikos',
  checksPasswords: false,
  anyObjectName: false,
  async start() {
    const server = await startXandikos();
    return {
      name: 'Xandikos',
      url: server.url,
      username: 'user',
      password: 'any',
      calendar: (name) => `/user/calendars/${name}/`,
      client: () => new DavTestClient(server.url, 'user', 'any'),
      stop: () => server.stop(),
    };
  },
};

/** Every real server the sync and outbox suites run against. */
export const SERVERS: readonly DavServerKind[] = [RADICALE, XANDIKOS];
