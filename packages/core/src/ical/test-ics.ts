/**
 * Builds small ICS documents for the tests of this folder. Lines are joined with CRLF
 * as RFC 5545 requires; each argument is one component body (lines without BEGIN/END).
 */
export function calendar(...components: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calsync//test//EN', ...components, 'END:VCALENDAR', ''].join(
    '\r\n',
  );
}

/** A VEVENT from its property lines. */
export function vevent(...lines: string[]): string {
  return ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
}

/** Epoch ms of a UTC date-time given as numbers (month 1-12). */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute);
}
