/**
 * The peer: tsdav 2.3.4's documented sync path in Node — `smartCollectionSync` with
 * `detailedResult: true` and `objectMultiGet: client.calendarMultiGet` (bound: unbound it
 * loses `this` and throws). It keeps objects in memory only and stores nothing, so it is a
 * lower bound for what a tsdav-based client would spend. `fetch` is passed explicitly:
 * tsdav captures the global one at import.
 */
import { type DAVCalendar, DAVClient, type DAVObject } from 'tsdav';
import type { BenchCalendar } from './dav.ts';

/** What one tsdav sync took. */
export interface PeerTiming {
  readonly ms: number;
  readonly requests: number;
  /** Objects reported created + updated + deleted. */
  readonly changes: number;
  /** Of these, created (all live objects on an initial sync). */
  readonly created: number;
}

/** A logged-in tsdav client on one calendar, holding what it synced so far. */
export interface PeerSession {
  /** From the empty token: every object (sync-collection, then calendar-multiget). */
  initial(): Promise<PeerTiming>;
  /** With the token of the last sync, nothing changed on the server. */
  noChange(): Promise<PeerTiming>;
  /** From the token of `initial()` with its objects, after another client's changes. */
  sinceInitial(): Promise<PeerTiming>;
}

/** Logs in (discovery is not timed, as calsync's `addAccount` is not) and finds the calendar. */
export async function openPeer(calendar: BenchCalendar): Promise<PeerSession> {
  let requests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  const client = new DAVClient({
    serverUrl: calendar.serverUrl,
    credentials: { username: calendar.username, password: calendar.password },
    authMethod: 'Basic',
    defaultAccountType: 'caldav',
    fetch: countingFetch,
  });
  await client.login();
  const found = (await client.fetchCalendars()).find((c) => new URL(c.url).pathname === new URL(calendar.url).pathname);
  if (!found) throw new Error(`tsdav did not discover ${calendar.url}`);
  const davCalendar: DAVCalendar = found;
  const objectMultiGet = client.calendarMultiGet.bind(client);

  let initialState: { token: string; objects: DAVObject[] } | undefined;
  let lastToken = '';
  let lastObjects: DAVObject[] = [];

  const run = async (token: string, objects: DAVObject[]) => {
    const before = requests;
    const started = performance.now();
    const result = await client.smartCollectionSync({
      collection: { ...davCalendar, syncToken: token, objects, objectMultiGet },
      method: 'webdav',
      detailedResult: true,
      fetch: countingFetch,
    });
    const ms = performance.now() - started;
    const { created, updated, deleted } = result.objects;
    const nextToken = typeof result.syncToken === 'string' ? result.syncToken : '';
    return {
      timing: {
        ms,
        requests: requests - before,
        changes: created.length + updated.length + deleted.length,
        created: created.length,
      },
      token: nextToken,
      objects: [...objects, ...created],
    };
  };

  return {
    async initial() {
      const { timing, token, objects } = await run('', []);
      if (timing.created !== calendar.size) throw new Error(`tsdav synced ${timing.created} of ${calendar.size}`);
      initialState = { token, objects };
      lastToken = token;
      lastObjects = objects;
      return timing;
    },
    async noChange() {
      const { timing, token } = await run(lastToken, lastObjects);
      lastToken = token;
      return timing;
    },
    async sinceInitial() {
      if (!initialState) throw new Error('sinceInitial() before initial()');
      return (await run(initialState.token, initialState.objects)).timing;
    },
  };
}
