/**
 * Wall-clock helpers for the event form. Form values are "naive" strings as the inputs
 * produce them (`YYYY-MM-DDTHH:mm` for `datetime-local`, `YYYY-MM-DD` for `date`); they
 * mean wall time in the form's time zone, never the browser's. Arithmetic on them treats
 * the digits as if they were UTC, so shifting by whole hours or days never meets a DST gap.
 */

/** The browser's IANA time zone, e.g. `Europe/Berlin`. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether `Intl` knows the zone (the SDK needs a name it can resolve). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

let zones: readonly string[] | undefined;

/** IANA zone names for the time zone picker (with `UTC`, which some engines leave out). */
export function timeZoneNames(): readonly string[] {
  if (!zones) {
    const names = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = names.includes('UTC') ? names : [...names, 'UTC'];
  }
  return zones;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DDTHH:mm` of an instant as shown on a wall clock in `zone`. */
export function wallTime(instant: string | Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** Milliseconds of a naive `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm` value, read as if it were UTC. */
export function naiveMs(value: string): number {
  return Date.parse(value.length === 10 ? `${value}T00:00Z` : `${value.slice(0, 16)}Z`);
}

/** The naive `YYYY-MM-DDTHH:mm` value `ms` stands for (inverse of {@link naiveMs}). */
export function naiveDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** The naive `YYYY-MM-DD` value `ms` stands for. */
export function naiveDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function shiftDate(date: string, days: number): string {
  return naiveDate(naiveMs(date) + days * 86_400_000);
}

/** A naive value moved by `ms` (whole minutes), keeping its form (date or date-time). */
export function shiftNaive(value: string, ms: number): string {
  return value.length === 10 ? naiveDate(naiveMs(value) + ms) : naiveDateTime(naiveMs(value) + ms);
}

/** A `Date`'s local calendar day and wall time as naive `YYYY-MM-DDTHH:mm`. */
export function localDateTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
