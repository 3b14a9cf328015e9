/** What a write's HTTP status means for the outbox entry that caused it. */
export type WriteOutcome = 'done' | 'precondition' | 'gone' | 'retry' | 'auth' | 'reject';

/**
 * Classifies a PUT/DELETE status (DESIGN.md "Push"): 2xx done; 412 re-read the server;
 * 404/410 gone; 408/425/429/5xx retry with backoff; 401/403 pause the account; any other
 * 4xx (or an unexpected 3xx) rejects this entry only. Pure.
 */
export function classifyWrite(status: number): WriteOutcome {
  if (status >= 200 && status < 300) return 'done';
  if (status === 412) return 'precondition';
  if (status === 404 || status === 410) return 'gone';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'reject';
}

/** Capped exponential backoff with jitter: 2 s, 4 s, 8 s … up to 5 minutes. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.5 + random() / 2));
}
