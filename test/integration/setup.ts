import { type CalendarSync, createCalendarSync } from '@calsync/core';
import { IDBFactory } from 'fake-indexeddb';
import { DavTestClient } from '../helpers/dav-client.ts';
import type { RadicaleServer } from '../helpers/radicale.ts';

/** A fetch that counts requests and lets a test rewrite or break exchanges. */
export interface TestFetch {
  readonly fetch: typeof fetch;
  requests: Array<{ method: string; url: string; body: string }>;
  /** Replace to inject faults; return undefined to pass the request through. */
  intercept: ((url: string, init: RequestInit | undefined) => Promise<Response | undefined>) | undefined;
  /** Replace to rewrite a response body (fault injection). */
  rewrite:
    | ((url: string, init: RequestInit | undefined, body: string, response: Response) => string | undefined)
    | undefined;
  reset(): void;
}

export function testFetch(): TestFetch {
  const state: TestFetch = {
    requests: [],
    intercept: undefined,
    rewrite: undefined,
    reset() {
      state.requests = [];
    },
    fetch: async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      state.requests.push({
        method: init?.method ?? 'GET',
        url,
        body: typeof init?.body === 'string' ? init.body : '',
      });
      const intercepted = await state.intercept?.(url, init);
      if (intercepted) return intercepted;
      const response = await fetch(input, init);
      if (!state.rewrite) return response;
      const body = await response.text();
      const rewritten = state.rewrite(url, init, body, response) ?? body;
      return new Response(rewritten, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  };
  return state;
}

export interface Harness {
  sdk: CalendarSync;
  idb: IDBFactory;
  dbName: string;
  net: TestFetch;
  reopen(): Promise<CalendarSync>;
}

let counter = 0;

/** An in-thread SDK on fake-indexeddb, with a counting fetch, auto-sync off. */
export async function openSdk(idb = new IDBFactory(), dbName = `calsync-test-${++counter}`): Promise<Harness> {
  const net = testFetch();
  const open = () => createCalendarSync({ worker: false, indexedDB: idb, fetch: net.fetch, autoSync: false, dbName });
  const harness: Harness = {
    sdk: await open(),
    idb,
    dbName,
    net,
    async reopen() {
      await harness.sdk.close();
      harness.sdk = await open();
      return harness.sdk;
    },
  };
  return harness;
}

/** A second CalDAV client for user alice. */
export function alice(server: RadicaleServer): DavTestClient {
  return new DavTestClient(server.url, 'alice', server.users.alice ?? '');
}

/** A device: its own database and SDK, with the server's test user added and synced once. */
export async function openDevice(server: {
  url: string;
  username: string;
  password: string;
}): Promise<Harness & { accountId: string }> {
  const h = await openSdk();
  const account = await h.sdk.addAccount({
    serverUrl: server.url,
    username: server.username,
    password: server.password,
  });
  await h.sdk.sync();
  return Object.assign(h, { accountId: account.id });
}

/**
 * The replica's identity invariant: no UID + RECURRENCE-ID appears twice in a calendar,
 * over a wide window (recurrences expanded). Returns the duplicates (empty when it holds).
 */
export async function duplicateIdentities(
  sdk: CalendarSync,
  start = '2026-01-01',
  end = '2028-01-01',
): Promise<string[]> {
  const seen = new Map<string, number>();
  for (const e of await sdk.listEvents({ start, end })) {
    const key = `${e.calendarId} ${e.uid} ${e.recurrenceId ?? e.start}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}
