import ICAL from 'ical.js';
import { timeToMs } from '../time/time.ts';
import type { TimeStyle } from '../write/event-time.ts';

/** How a series' DTSTART is written, as far as naming its instances goes. */
export type SeriesClock =
  | { readonly kind: 'date' }
  | { readonly kind: 'utc' }
  | { readonly kind: 'floating' }
  | { readonly kind: 'zoned'; readonly zone: ICAL.Timezone };

/** The clock of a series from its decoded DTSTART. */
export function clockOfTime(time: ICAL.Time): SeriesClock {
  if (time.isDate) return { kind: 'date' };
  const zone = time.zone;
  if (zone === ICAL.Timezone.utcTimezone) return { kind: 'utc' };
  // An unresolved TZID is read as floating (and flagged) by `prepareObject`.
  if (!zone || zone === ICAL.Timezone.localTimezone || zone.tzid === 'floating') return { kind: 'floating' };
  return { kind: 'zoned', zone };
}

/** The clock of a series from the style its DTSTART is written in. */
export function clockOfStyle(style: TimeStyle): SeriesClock {
  if (style.kind !== 'zoned') return style;
  return style.zone === undefined ? { kind: 'floating' } : { kind: 'zoned', zone: style.zone };
}

function isFloating(time: ICAL.Time): boolean {
  const zone = time.zone;
  return !time.isDate && (!zone || zone === ICAL.Timezone.localTimezone || zone.tzid === 'floating');
}

/**
 * The start (epoch ms) of the series instance a RECURRENCE-ID — or an EXDATE — names, in
 * the terms the series' instances are generated in (all-day: UTC midnight of the date), so
 * that it can be compared with an instance's `startMs`. Without a series (`undefined`: an
 * object of overrides only), the value's own instant.
 *
 * RFC 5545 §3.8.4.4 wants RECURRENCE-ID in DTSTART's value type and says it names the
 * instance by its original start; it does not say what a value of another type names.
 * Exchange/Outlook write `RECURRENCE-ID;TZID=W. Europe Standard Time:20200416T000000`
 * (and EXDATEs alike) for an all-day series — midnight in the organiser's zone, that is
 * 2020-04-15T22:00Z; DAVx5 wrote them in the exception's own zone (bitfireAT/synctools#80)
 * and Evolution writes them in UTC for a zoned series. So a value is matched by what it
 * means, not by how it is written:
 *
 * - All-day series: the value's date as written, in its own zone — a DATE 20200416, or a
 *   DATE-TIME 20200416T000000 with any TZID, floating or UTC — names the instance on
 *   2020-04-16 (as node-ical (jens-maus/node-ical#460) and Mustang read Exchange's values).
 * - Timed series: instants, each value read in its own zone, so `…T080000Z` names the
 *   Europe/Berlin instance at 10:00 CEST. A floating value (or one whose TZID is unknown)
 *   is read in the series' zone; a DATE is midnight of that date in the series' zone.
 * - Floating series: the value's wall-clock time as written, whatever its zone.
 *
 * Values that are read in the series' clock are converted exactly as instance starts are.
 */
export function instanceMs(value: ICAL.Time, series: SeriesClock | undefined): number {
  if (series === undefined) return timeToMs(value);
  const instant = !value.isDate && !isFloating(value);
  if (instant && (series.kind === 'utc' || series.kind === 'zoned')) return timeToMs(value);
  const { year, month, day } = value;
  if (series.kind === 'date') return timeToMs(ICAL.Time.fromData({ year, month, day, isDate: true }));
  const [hour, minute, second] = value.isDate ? [0, 0, 0] : [value.hour, value.minute, value.second];
  const fields = { year, month, day, hour, minute, second, isDate: false };
  const zone = series.kind === 'zoned' ? series.zone : series.kind === 'utc' ? ICAL.Timezone.utcTimezone : undefined;
  return timeToMs(ICAL.Time.fromData(fields, zone));
}
