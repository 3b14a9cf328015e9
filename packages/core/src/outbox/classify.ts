/** What a write's HTTP status means for the outbox entry that caused it. */
export type WriteOutcome = 'done' | 'precondition' | 'gone' | 'retry' | 'auth' | 'reject';

/**
 * Classifies a PUT/DELETE answer (DESIGN.md "Push"): 2xx done; 412 re-read the server;
 * 404/410 gone; 408/425/429/5xx retry with backoff; 401 pauses the account; 403 and any
 * other 4xx (or an unexpected 3xx) reject this entry only — a 403 on one object is a
 * read-only calendar or a server policy, not a wrong password. A 412 that names a
 * server condition (`condition`, e.g. CalDAV's `no-uid-conflict`, which Xandikos sends
 * as a 207-wrapped 412) is a refusal too: re-reading the object would not change it. Pure.
 */
export function classifyWrite(status: number, condition?: string): WriteOutcome {
  if (status >= 200 && status < 300) return 'done';
  if (status === 412) return condition === undefined ? 'precondition' : 'reject';
  if (status === 404 || status === 410) return 'gone';
  if (status === 401) return 'auth';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'reject';
}

/** Capped exponential backoff with jitter: 2 s, 4 s, 8 s … up to 5 minutes. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.5 + random() / 2));
}
