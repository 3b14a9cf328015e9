import type ICAL from 'ical.js';

/**
 * A transition as ical.js keeps it in `Timezone#changes` once a year is expanded: the
 * instant in UTC calendar fields, the offsets before and after in seconds.
 */
export interface ZoneChange {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly utcOffset: number;
  readonly prevUtcOffset: number;
}

/** The zone's expanded transitions (ical.js's own list: read, never modify). */
export function zoneChanges(zone: ICAL.Timezone): readonly ZoneChange[] {
  return (zone as unknown as { changes?: readonly ZoneChange[] }).changes ?? [];
}
