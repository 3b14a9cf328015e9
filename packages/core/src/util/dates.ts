import { CalsyncError } from '../api/errors.ts';

/** Reads an ISO 8601 string or Date as epoch ms; rejects anything unreadable with `invalid-input`. */
export function toEpochMs(value: string | Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new CalsyncError('invalid-input', `${what} is not a valid date: ${String(value)}`);
  return ms;
}

/** ISO string of an epoch ms instant, or of its UTC date for all-day values. */
export function toIso(ms: number, allDay: boolean): string {
  const iso = new Date(ms).toISOString();
  return allDay ? iso.slice(0, 10) : iso;
}
