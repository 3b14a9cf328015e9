import type { CalsyncLogger } from '../api/types.ts';

/** Detail fields of a log line: codes, hrefs, counts — never credentials. */
export type LogDetails = Readonly<Record<string, string | number | boolean | undefined>>;

/** The engine's logger: every level always callable, never throws. */
export interface Log {
  debug(message: string, details?: LogDetails): void;
  warn(message: string, details?: LogDetails): void;
  error(message: string, details?: LogDetails): void;
}

/**
 * Wraps the app's `logger` option (silent when absent). A throwing or rejecting app logger
 * must not break a sync, so failures of the logger itself are dropped here, and only here.
 */
export function safeLog(logger: CalsyncLogger | undefined): Log {
  const call = (level: keyof Log, message: string, details: LogDetails | undefined) => {
    const fn = logger?.[level];
    if (typeof fn !== 'function') return;
    try {
      const clean: Record<string, string | number | boolean> = {};
      for (const [key, value] of Object.entries(details ?? {})) if (value !== undefined) clean[key] = value;
      const result: unknown = fn.call(logger, message, clean);
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // The app's logger failed; there is nowhere left to report it.
    }
  };
  return {
    debug: (message, details) => call('debug', message, details),
    warn: (message, details) => call('warn', message, details),
    error: (message, details) => call('error', message, details),
  };
}

/** Why a caught error is not rethrown, as a log detail (message only: no stack, no cause chain). */
export function reason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
