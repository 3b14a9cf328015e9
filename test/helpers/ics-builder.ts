/** Builds small, valid iCalendar objects for tests and demo seeding (CRLF, folded lines). */
export interface VEventSpec {
  uid: string;
  summary: string;
  /** `20261210T100000Z`, `20261210T100000` (with tzid) or `20261210` (all-day). */
  start: string;
  end?: string;
  tzid?: string;
  rrule?: string;
  exdates?: string[];
  rdates?: string[];
  location?: string;
  description?: string;
  /** Extra raw lines inside the VEVENT. */
  extra?: string[];
}

export interface OverrideSpec {
  recurrenceId: string;
  start: string;
  end?: string;
  summary?: string;
  cancelled?: boolean;
}

function dateProp(name: string, value: string, tzid: string | undefined): string {
  if (/^\d{8}$/.test(value)) return `${name};VALUE=DATE:${value}`;
  if (tzid && !value.endsWith('Z')) return `${name};TZID=${tzid}:${value}`;
  return `${name}:${value}`;
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

function fold(line: string): string {
  if (line.length <= 75) return line;
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += i === 0 ? 75 : 74)
    parts.push((i === 0 ? '' : ' ') + line.slice(i, i === 0 ? 75 : i + 74));
  return parts.join('\r\n');
}

function vevent(spec: VEventSpec | (OverrideSpec & { uid: string; tzid?: string; baseSummary: string })): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${spec.uid}`, 'DTSTAMP:20260101T000000Z'];
  if ('recurrenceId' in spec) {
    lines.push(dateProp('RECURRENCE-ID', spec.recurrenceId, spec.tzid));
    lines.push(`SUMMARY:${escapeText(spec.summary ?? spec.baseSummary)}`);
    if (spec.cancelled) lines.push('STATUS:CANCELLED');
  } else {
    lines.push(`SUMMARY:${escapeText(spec.summary)}`);
  }
  lines.push(dateProp('DTSTART', spec.start, spec.tzid));
  if (spec.end) lines.push(dateProp('DTEND', spec.end, spec.tzid));
  if (!('recurrenceId' in spec)) {
    if (spec.rrule) lines.push(`RRULE:${spec.rrule}`);
    for (const ex of spec.exdates ?? []) lines.push(dateProp('EXDATE', ex, spec.tzid));
    for (const rd of spec.rdates ?? []) lines.push(dateProp('RDATE', rd, spec.tzid));
    if (spec.location) lines.push(`LOCATION:${escapeText(spec.location)}`);
    if (spec.description) lines.push(`DESCRIPTION:${escapeText(spec.description)}`);
    lines.push(...(spec.extra ?? []));
  }
  lines.push('END:VEVENT');
  return lines;
}

/**
 * A VCALENDAR with one event (and optional overrides). TZIDs are written without a
 * VTIMEZONE on purpose: servers and clients often do that, and the SDK must resolve
 * IANA names itself.
 */
export function buildIcs(event: VEventSpec, overrides: OverrideSpec[] = []): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calsync//tests//EN', ...vevent(event)];
  for (const o of overrides) {
    lines.push(
      ...vevent({ ...o, uid: event.uid, baseSummary: event.summary, ...(event.tzid ? { tzid: event.tzid } : {}) }),
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
