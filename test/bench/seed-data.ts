/**
 * Deterministic, realistic calendar data for the bench: single events in Europe/Berlin,
 * America/New_York and UTC spread over ±1 year around an anchor day, ~5% all-day, ~5%
 * recurring series (weekly, daily, monthly; some with EXDATEs and RECURRENCE-ID overrides),
 * attendees, alarms, multi-line descriptions. Every object with a TZID carries its VTIMEZONE
 * (RFC 5545 requires it; without one, Radicale builds it from pytz on load — ~37 ms per
 * object — and serves its own anyway).
 */
import { buildIcs, type OverrideSpec, type VEventSpec } from '../helpers/ics-builder.ts';
import { prng } from '../helpers/prng.ts';

/** One calendar object as stored on the server. */
export interface SeedObject {
  /** File name inside the calendar collection, `<uid>.ics`. */
  readonly name: string;
  readonly uid: string;
  readonly ics: string;
  readonly recurring: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** `YYYYMMDD` of a UTC date. */
export const ymd = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const wall = (d: Date, minutes: number) => `${ymd(d)}T${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}00`;
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate()));

const ZONES = {
  'Europe/Berlin': [
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Berlin',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'TZNAME:CEST',
    'DTSTART:19700329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'TZNAME:CET',
    'DTSTART:19701025T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
  'America/New_York': [
    'BEGIN:VTIMEZONE',
    'TZID:America/New_York',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:-0500',
    'TZOFFSETTO:-0400',
    'TZNAME:EDT',
    'DTSTART:19700308T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:-0400',
    'TZOFFSETTO:-0500',
    'TZNAME:EST',
    'DTSTART:19701101T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
} as const;
type Zone = keyof typeof ZONES | 'UTC';

const SUBJECTS = [
  'Design review',
  'Customer call',
  'Sprint planning',
  'Interview',
  'Budget review',
  'Architecture sync',
  'Release retro',
  '1:1',
  'Board prep',
  'Security training',
  'Quarterly business review',
  'Onboarding session',
  'Incident post-mortem',
  'Roadmap workshop',
  'Lunch',
  'Coffee',
  'Dentist',
  'Yoga',
  'Parent-teacher meeting',
  'Haircut',
] as const;
const TOPICS = [
  'Nordwind GmbH',
  'the mobile app',
  'Q3 hiring',
  'Übergabe an das Team München',
  'payments API v2',
  'Café Kranzler launch',
  'EMEA partners',
  'data retention policy',
  'CalDAV sync',
  'frontend guild',
] as const;
const LOCATIONS = [
  'Room Ada',
  'Room Grace',
  'Zoom',
  'Google Meet',
  'Café Kranzler, Unter den Linden 25, Berlin',
  'Dr. Weber, Hauptstr. 12',
  '1 World Trade Center, 85th floor, New York',
  'Studio Mitte',
  'Board room; 3rd floor',
] as const;
const LINES = [
  'Agenda:',
  '1. Status since last time',
  '2. Open questions, risks; owners',
  '3. Next steps',
  'Please read the doc before the meeting: https://docs.example.com/d/7f3a9c',
  'Dial-in: +49 30 1234567, PIN 4711#',
  'Bring the signed contract (v3, not v2).',
  'Notes from last time are in the shared folder.',
  'Parking is behind the building, entrance B.',
  'Zoom: https://zoom.example.com/j/912345678?pwd=abc',
] as const;
const PEOPLE = ['alice', 'bob', 'chen', 'dana', 'emre', 'farah', 'giulia', 'hiro'] as const;

/** Options of {@link benchObjects}. */
export interface SeedOptions {
  /** How many objects (a recurring series counts once, with its overrides). */
  readonly count: number;
  /** Day the ±1 year spread is centred on (UTC midnight). */
  readonly anchor: Date;
  /** PRNG seed; the same seed and anchor give the same objects. */
  readonly seed?: number;
}

/** Builds `count` objects for one calendar. */
export function benchObjects(options: SeedOptions): SeedObject[] {
  const random = prng(options.seed ?? options.count);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const uuid = () =>
    Array.from({ length: 4 }, () =>
      Math.floor(random() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0'),
    )
      .join('')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  const objects: SeedObject[] = [];
  for (let i = 0; i < options.count; i++) {
    const uid = `${uuid()}@bench.calsync.test`;
    const roll = random();
    const kind = roll < 0.05 ? 'recurring' : roll < 0.1 ? 'all-day' : 'single';
    const zoneRoll = random();
    const zone: Zone = zoneRoll < 0.6 ? 'Europe/Berlin' : zoneRoll < 0.9 ? 'America/New_York' : 'UTC';
    const day = addDays(options.anchor, Math.floor(random() * 731) - 365);
    const subject = pick(SUBJECTS);
    const summary = random() < 0.6 ? `${subject}: ${pick(TOPICS)}` : subject;
    const description =
      random() < 0.55 ? Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(LINES)).join('\n') : undefined;
    const location = random() < 0.7 ? pick(LOCATIONS) : undefined;
    const extra = extraLines(random, pick);
    const base = { uid, summary, extra, ...(location ? { location } : {}), ...(description ? { description } : {}) };

    if (kind === 'all-day') {
      const length = 1 + Math.floor(random() * 3);
      objects.push(object(uid, buildIcs({ ...base, start: ymd(day), end: ymd(addDays(day, length)) }), false));
      continue;
    }
    const startMin = (7 + Math.floor(random() * 12)) * 60 + 15 * Math.floor(random() * 4);
    const endMin = Math.min(23 * 60 + 45, startMin + pick([15, 30, 45, 60, 60, 90, 120, 180]));
    const time = (d: Date, m: number) => (zone === 'UTC' ? `${wall(d, m)}Z` : wall(d, m));
    const spec: VEventSpec = {
      ...base,
      start: time(day, startMin),
      end: time(day, endMin),
      ...(zone === 'UTC' ? {} : { tzid: zone }),
    };
    if (kind === 'single') {
      objects.push(object(uid, withTimezone(buildIcs(spec), zone), false));
      continue;
    }
    // Recurring: the n-th occurrence's start is known for these rules, so overrides and
    // EXDATEs always hit real occurrences.
    const rule = pick(['weekly', 'weekly', 'daily', 'monthly', 'weekdays'] as const);
    const nth = (n: number): Date =>
      rule === 'daily' ? addDays(day, n) : rule === 'monthly' ? addMonths(day, n) : addDays(day, 7 * n);
    const bounded = random() < 0.6;
    const rrule = {
      weekly: `FREQ=WEEKLY${bounded ? `;COUNT=${10 + Math.floor(random() * 40)}` : ''}`,
      daily: `FREQ=DAILY;COUNT=${5 + Math.floor(random() * 60)}`,
      monthly: `FREQ=MONTHLY${bounded ? `;UNTIL=${ymd(addMonths(day, 12))}T235959Z` : ''}`,
      weekdays: `FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR${bounded ? `;COUNT=${20 + Math.floor(random() * 100)}` : ''}`,
    }[rule];
    const canPick = rule !== 'weekdays';
    const exdates = canPick && random() < 0.4 ? [time(nth(2), startMin), time(nth(4), startMin)] : [];
    const overrides: OverrideSpec[] =
      canPick && random() < 0.3
        ? [
            {
              recurrenceId: time(nth(1), startMin),
              start: time(nth(1), Math.min(startMin + 60, 22 * 60)),
              end: time(nth(1), Math.min(endMin + 60, 23 * 60 + 45)),
              summary: `${summary} (moved)`,
            },
            ...(random() < 0.5
              ? [{ recurrenceId: time(nth(3), startMin), start: time(nth(3), startMin), cancelled: true }]
              : []),
          ]
        : [];
    const ics = buildIcs({ ...spec, rrule, exdates }, overrides);
    objects.push(object(uid, withTimezone(ics, zone), true));
  }
  return objects;
}

function object(uid: string, ics: string, recurring: boolean): SeedObject {
  return { name: `${uid.replace(/@.*/, '')}.ics`, uid, ics, recurring };
}

/** Organizer/attendees, categories, an alarm: the lines real invitations carry. */
function extraLines(random: () => number, pick: <T>(list: readonly T[]) => T): string[] {
  const lines = ['SEQUENCE:0', `CREATED:20250101T000000Z`, 'LAST-MODIFIED:20250101T000000Z'];
  if (random() < 0.35) {
    lines.push(`ORGANIZER;CN=${pick(PEOPLE)}:mailto:${pick(PEOPLE)}@example.com`);
    const count = 1 + Math.floor(random() * 5);
    for (let a = 0; a < count; a++) {
      const who = pick(PEOPLE);
      lines.push(`ATTENDEE;CN=${who};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:${who}${a}@example.com`);
    }
  }
  if (random() < 0.2) lines.push(`CATEGORIES:${pick(['Work', 'Personal', 'Travel', 'Family'])}`);
  if (random() < 0.4) {
    lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Reminder', 'TRIGGER:-PT15M', 'END:VALARM');
  }
  return lines;
}

/** Inserts the zone's VTIMEZONE after the calendar header (buildIcs writes none). */
function withTimezone(ics: string, zone: Zone): string {
  if (zone === 'UTC') return ics;
  return ics.replace('BEGIN:VEVENT\r\n', `${ZONES[zone].join('\r\n')}\r\nBEGIN:VEVENT\r\n`);
}
