import type { ConflictPolicy } from './conflicts.ts';

/** Options of {@link createCalendarSync}. */
export interface CalendarSyncOptions {
  /** IndexedDB database name; default `'calsync'`. One engine (and sync leader) per name. */
  dbName?: string;
  /**
   * Run the engine in a dedicated module Worker (default where `Worker` exists).
   * `false` runs it in this thread — required in Node and when passing `fetch` or `indexedDB`,
   * which cannot cross into a Worker. A function creates the Worker itself, for bundlers
   * that need their own syntax: `() => new Worker(url, { type: 'module' })` running
   * `@calsync/core/worker` (not together with `workerUrl`).
   */
  worker?: boolean | (() => Worker);
  /**
   * How long the Worker may take to load and open its database before `createCalendarSync()`
   * rejects with `worker`; default 15000 ms, `Infinity` waits forever. A script that fails
   * to load rejects at once. Worker engines only.
   */
  workerStartTimeoutMs?: number;
  /** IndexedDB implementation, e.g. fake-indexeddb in Node. In-thread engines only. */
  indexedDB?: IDBFactory;
  /** Every HTTP request goes through it (tests, offline simulation). In-thread engines only. */
  fetch?: typeof fetch;
  /** CORS proxy base (apps/proxy); requests to CalDAV servers are routed through it. */
  proxyUrl?: string;
  /** How local/remote conflicts are settled when pushing edits. Default `'merge'`. */
  conflictPolicy?: ConflictPolicy;
  /** Periodic sync and sync on reconnect; default on (every 5 minutes). */
  autoSync?:
    | false
    | {
        /** Milliseconds between periodic syncs; default 300000 (5 minutes). */
        intervalMs?: number;
      };
  /** URL of the worker script, when your bundler does not handle `new URL('./entry.ts', import.meta.url)` (Vite and webpack 5 do). */
  workerUrl?: string | URL;
  /**
   * Where the engine reports what it ignored or could not do (server answers it refused,
   * sync failures). Silent by default. Never given passwords or Authorization headers.
   * Works with the Worker too (calls arrive asynchronously).
   */
  logger?: CalsyncLogger;
}

/** A logger for {@link CalendarSyncOptions.logger}; each method is optional. */
export interface CalsyncLogger {
  /** What the engine recovered from on its own: a failed automatic round, a listener that threw, a best-effort write that failed. */
  debug?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
  /** A server answer calsync ignored (as each `warning` event); `details` holds `code`, `href`, `collectionUrl`. */
  warn?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
  /** A failed sync of an account; `details` holds the error `code`. */
  error?(message: string, details?: Readonly<Record<string, string | number | boolean>>): void;
}
