import type { CalendarApi } from '@fullcalendar/core';

/** Names of UTC itself: times in them are written as UTC, without a TZID. */
const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'UCT',
  'Etc/UCT',
  'GMT',
  'Etc/GMT',
  'GMT0',
  'Etc/GMT0',
  'Zulu',
  'Etc/Zulu',
]);

/**
 * The IANA zone new timed times are written in (events created by selecting, all-day
 * events dragged into the time grid): `setting` when given (`false`: UTC), else the zone
 * the calendar displays — its `timeZone` option, with `'local'` read from the runtime's
 * `Intl` zone. `undefined` means UTC.
 */
export function writeZone(calendar: Pick<CalendarApi, 'getOption'>, setting?: string | false): string | undefined {
  if (setting === false) return undefined;
  const displayed = calendar.getOption('timeZone');
  const name =
    setting ??
    (displayed === undefined || displayed === 'local'
      ? new Intl.DateTimeFormat().resolvedOptions().timeZone
      : displayed);
  return UTC_NAMES.has(name) ? undefined : name;
}
