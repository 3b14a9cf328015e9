import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Where the proxy reports upstream failures. Messages never contain headers or credentials. */
export interface ProxyLogger {
  warn(message: string): void;
  /** Called once per request (health checks excepted) when its response is over. */
  request?(entry: RequestLogEntry): void;
}

/**
 * One finished request. Never headers, bodies, paths or query strings: only what is needed
 * to see traffic, errors and latency.
 */
export interface RequestLogEntry {
  readonly method: string;
  /** The upstream origin the request asked for (`https://caldav.example.com`), if the path named one. */
  readonly upstream: string | undefined;
  /** The status sent; for a response cut off after its headers, the status those headers had. */
  readonly status: number;
  /** From the request's arrival to the end of its response, in milliseconds. */
  readonly durationMs: number;
  /** True when the response did not complete (client gone, upstream failed mid-body, shutdown). */
  readonly aborted: boolean;
}

/**
 * Answers with a short fixed text, unless the response is already over. Once headers went
 * out, a status can no longer be sent: the connection is cut instead, so the client sees a
 * network error rather than a body with an error text appended.
 */
export function sendText(res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * An error for a log line: class name and code only, because messages of arbitrary errors
 * are not trusted to be free of URLs with credentials.
 */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.name : `${error.name} ${code}`;
  }
  return 'unknown error';
}
