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
