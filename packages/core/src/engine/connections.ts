import type { SyncEvent } from '../api/types.ts';
import type { Log } from '../platform/logger.ts';
import { CalDavHttpTransport } from '../transport/caldav-transport.ts';
import { DavHttp } from '../transport/dav-http.ts';
import type { ServerIssue } from '../transport/members.ts';

/** Warnings one transport (one round of one account) reports at most: a hostile server must not flood the app. */
const MAX_WARNINGS = 100;

/** Who a transport talks to and as whom. */
export interface TransportAccount {
  /** Absent while `addAccount` discovers an account not stored yet. */
  readonly id?: string;
  readonly serverUrl: string;
  readonly username: string;
  /** Origins the user trusts besides the server's own (AccountInput.allowOrigins). */
  readonly allowOrigins?: readonly string[] | undefined;
}

/**
 * Builds the engine's CalDAV transports and keeps what they share: whether the last request
 * reached a server (`online`, judged by outcomes, not `navigator.onLine`), whether
 * connectivity came back (`resyncWanted`), the request count, and where server issues go
 * (a `warning` event and the logger).
 */
export class Connections {
  online = true;
  resyncWanted = false;
  requests = 0;
  readonly #fetch: typeof fetch;
  readonly #proxyUrl: string | undefined;
  readonly #emit: (event: SyncEvent) => void;
  readonly #onlineChanged: (online: boolean) => void;
  readonly #log: Log;

  constructor(options: {
    fetch: typeof fetch;
    proxyUrl: string | undefined;
    emit: (event: SyncEvent) => void;
    /** `online` flipped (a request failed to connect, or one got through again). */
    onlineChanged?: (online: boolean) => void;
    log: Log;
  }) {
    this.#fetch = options.fetch;
    this.#proxyUrl = options.proxyUrl;
    this.#emit = options.emit;
    this.#onlineChanged = options.onlineChanged ?? (() => undefined);
    this.#log = options.log;
  }

  /** A transport for `account`: requests go only to its server's origin and the ones it trusts. */
  transport(account: TransportAccount, password: string): CalDavHttpTransport {
    const http = new DavHttp({
      fetch: async (input, init) => {
        try {
          const response = await this.#fetch(input, init);
          // Connectivity is back: replay what waited, once the current round is over.
          if (!this.online) {
            this.resyncWanted = true;
            this.online = true;
            this.#onlineChanged(true);
          }
          return response;
        } catch (error) {
          if (this.online) {
            this.online = false;
            this.#onlineChanged(false);
          }
          throw error;
        }
      },
      username: account.username,
      password,
      allowedOrigins: [account.serverUrl, ...(account.allowOrigins ?? [])],
      proxyUrl: this.#proxyUrl,
      onResponse: () => {
        this.requests++;
      },
    });
    // A transport lives for one round: at most MAX_WARNINGS per round reach the app.
    let reported = 0;
    return new CalDavHttpTransport(http, (issue) => {
      reported++;
      if (reported <= MAX_WARNINGS) this.report(account.id, issue);
      else if (reported === MAX_WARNINGS + 1) {
        this.report(account.id, {
          ...issue,
          message: `More answers of this server were ignored this sync; only the first ${MAX_WARNINGS} are reported.`,
        });
      }
    });
  }

  /** Reports a server issue as a `warning` event and to the logger. */
  report(accountId: string | undefined, issue: ServerIssue): void {
    this.#emit({
      type: 'warning',
      ...(accountId === undefined ? {} : { accountId }),
      warning: { code: issue.kind, message: issue.message, href: issue.href, collectionUrl: issue.collectionUrl },
    });
    this.#log.warn(issue.message, { code: issue.kind, href: issue.href, collectionUrl: issue.collectionUrl });
  }
}
