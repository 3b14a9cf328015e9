import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexObject, indexObjectByIcalJs } from './index-object.ts';
import { readPlainEvent } from './plain-index.ts';

/**
 * The plain-event scanner (plain-index.ts) against ical.js: `indexObject` — scanner first —
 * must give exactly what reading through ical.js gives, for every fixture file and for
 * generated plain events in every form the scanner takes (zones embedded or not, unknown
 * and Windows TZIDs, DST gaps, escapes, folding, alarms, LF line ends) and near misses it
 * must leave to ical.js. Each text is indexed twice: the first reading of a zone goes
 * through ical.js and teaches the scanner the zone, the second is the scanner's own.
 */
const root = new URL('../../../../../test/fixtures/ics/', import.meta.url).pathname;

/** Google Calendar's Europe/Berlin definition, as a fixture file carries it. */
const BERLIN = (() => {
  const text = readFileSync(join(root, 'icalendar/tests/calendars/alarm_google_future.ics'), 'utf8');
  const lines = text.split(/\r?\n/);
  const begin = lines.indexOf('BEGIN:VTIMEZONE');
  const block = lines.slice(begin, lines.indexOf('END:VTIMEZONE', begin) + 1);
  if (begin < 0 || block[1] !== 'TZID:Europe/Berlin') throw new Error('fixture without a Berlin VTIMEZONE');
  return block;
})();
/** An Outlook-style custom TZID whose definition differs from IANA Berlin (no DST). */
const CUSTOM = [
  'BEGIN:VTIMEZONE',
  'TZID:Custom Standard Time',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0300',
  'TZOFFSETTO:+0300',
  'DTSTART:16010101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function expectSame(ics: string, label: string): 'fields' | 'zone' | 'other' {
  const reference = indexObjectByIcalJs(ics);
  for (let pass = 0; pass < 2; pass++) {
    const got = indexObject(ics);
    expect(got.ok, `${label} (pass ${pass})`).toBe(reference.ok);
    if (got.ok && reference.ok) expect(got.fields, `${label} (pass ${pass})`).toEqual(reference.fields);
  }
  return readPlainEvent(ics).kind;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Folds a content line at 75 characters, as RFC 5545 writers do. */
function fold(line: string): string {
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += i === 0 ? 75 : 74)
    parts.push((i === 0 ? '' : ' ') + line.slice(i, i === 0 ? 75 : i + 74));
  return parts.join('\r\n');
}

const plainEvent = fc.record({
  zone: fc.constantFrom('utc', 'floating', 'date', 'berlin-embedded', 'new-york', 'unknown', 'windows', 'custom'),
  day: fc.integer({ min: 0, max: 800 }),
  minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  /** Hits Berlin's spring-forward gap and fall-back hour now and then. */
  dstEdge: fc.constantFrom(undefined, '20260329T023000', '20261025T023000'),
  end: fc.constantFrom('dtend', 'duration', 'none', 'dtend-before'),
  duration: fc.constantFrom('PT1H', 'PT45M', 'P1D', 'P1W', 'PT0S', 'P2DT3H'),
  lengthMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  summary: fc.string({ maxLength: 120 }),
  escapes: fc.constantFrom('', '\\, and \\; and \\\\', 'line\\nbreak\\N', 'stray \\t backslash', 'ends with \\'),
  location: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  description: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
  alarm: fc.boolean(),
  lowercaseNames: fc.boolean(),
  lf: fc.boolean(),
  /** The last two are left to ical.js (a quoted parameter, a VALUE parameter). */
  summaryParam: fc.constantFrom('', '', '', ';LANGUAGE=de', ';ALTREP="cid:x"', ';VALUE=TEXT'),
  extra: fc.constantFrom('', 'X-APPLE-TRAVEL:1', 'ATTENDEE;CN="Doe, Jane":mailto:j@example.com', 'STATUS:CANCELLED'),
});

type Plain = typeof plainEvent extends fc.Arbitrary<infer T> ? T : never;

function icsOf(e: Plain): string {
  const base = Date.UTC(2025, 9, 1) + e.day * 86_400_000 + (e.zone === 'date' ? 0 : e.minutes * 60_000);
  const stamp = (ms: number) => {
    const d = new Date(ms);
    const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
    return e.zone === 'date'
      ? date
      : `${date}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  };
  const tzid = {
    'berlin-embedded': 'Europe/Berlin',
    'new-york': 'America/New_York',
    unknown: 'Mars/Olympus_Mons',
    windows: 'W. Europe Standard Time',
    custom: 'Custom Standard Time',
  }[e.zone as string];
  const dateProp = (name: string, ms: number, edge?: string) => {
    if (e.zone === 'date') return `${name};VALUE=DATE:${stamp(ms)}`;
    const value = edge && tzid ? edge : stamp(ms);
    return `${name}${tzid ? `;TZID=${tzid}` : ''}:${value}${e.zone === 'utc' ? 'Z' : ''}`;
  };
  const length =
    (e.zone === 'date' ? Math.max(1, Math.round(e.lengthMinutes / 1440)) * 1440 : e.lengthMinutes) * 60_000;
  const name = (n: string) => (e.lowercaseNames ? n.toLowerCase() : n);
  const escapeText = (s: string) =>
    s
      .replace(/\\/g, '\\\\')
      .replace(/[;,]/g, (c) => `\\${c}`)
      .replace(/\r?\n|\r/g, '\\n');
  const event = [
    'BEGIN:VEVENT',
    `${name('UID')}:plain-${e.day}-${e.minutes}@example.com`,
    'DTSTAMP:20260101T000000Z',
    dateProp(name('DTSTART'), base, e.dstEdge),
    ...(e.end === 'dtend' ? [dateProp(name('DTEND'), base + length)] : []),
    ...(e.end === 'dtend-before' ? [dateProp(name('DTEND'), base - length - 60_000)] : []),
    `${name('SUMMARY')}${e.summaryParam}:${escapeText(e.summary)}${e.escapes}`,
    ...(e.location === undefined ? [] : [`LOCATION:${escapeText(e.location)}`]),
    ...(e.description === undefined ? [] : [`DESCRIPTION:${escapeText(e.description)}`]),
    ...(e.extra ? [e.extra] : []),
    ...(e.alarm ? ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Alarm text', 'TRIGGER:-PT15M', 'END:VALARM'] : []),
    'END:VEVENT',
  ];
  const zones = e.zone === 'berlin-embedded' ? BERLIN : e.zone === 'custom' ? CUSTOM : [];
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//plain//EN', ...zones, ...event, 'END:VCALENDAR'];
  return `${lines.map(fold).join('\r\n')}\r\n`.replace(/\r\n/g, e.lf ? '\n' : '\r\n');
}

describe('plain single events read without ical.js (plain-index.ts)', () => {
  it('gives the fields ical.js gives, for every fixture file as a whole', () => {
    const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) =>
      f.endsWith('.ics'),
    );
    expect(files.length).toBeGreaterThan(100);
    let scanned = 0;
    for (const file of files) {
      if (expectSame(readFileSync(join(root, file), 'utf8'), file) === 'fields') scanned++;
    }
    // Most fixtures are series, several UIDs or odd on purpose; the plain ones are read here.
    expect(scanned).toBeGreaterThan(10);
  });

  it('gives the fields ical.js gives for generated plain events and near misses (property), reading most itself', () => {
    let scanned = 0;
    let runs = 0;
    fc.assert(
      fc.property(plainEvent, (e) => {
        runs++;
        if (expectSame(icsOf(e), JSON.stringify(e)) === 'fields') scanned++;
      }),
      { numRuns: 1500 },
    );
    // About 2/3 of the cases are plain (the rest: quoted or VALUE parameters, unknown zones).
    expect(scanned / runs).toBeGreaterThan(0.4);
  });

  it('one TZID with two different VTIMEZONE texts: each object reads its own definition', () => {
    const withZone = (definition: readonly string[]) =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        ...definition,
        'BEGIN:VEVENT',
        'UID:twice',
        'DTSTART;TZID=Europe/Berlin:20260701T100000',
        'DTEND;TZID=Europe/Berlin:20260701T110000',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    const real = withZone(BERLIN);
    const other = withZone(CUSTOM.map((line) => (line === 'TZID:Custom Standard Time' ? 'TZID:Europe/Berlin' : line)));
    for (const ics of [real, other, real, other]) expect(expectSame(ics, ics)).toBe('fields');
    const start = (ics: string) => {
      const read = indexObject(ics);
      return read.ok ? read.fields.start : Number.NaN;
    };
    expect(start(real)).toBe(Date.UTC(2026, 6, 1, 8)); // CEST
    expect(start(other)).toBe(Date.UTC(2026, 6, 1, 7)); // the sender's +03:00
  });

  it('near misses in dates and in the text around the lines: what ical.js makes of them, or ical.js itself', () => {
    const lines = (start = 'DTSTART:20261210T100000Z') => [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:near',
      start,
      'SUMMARY:Near miss',
      'END:VEVENT',
      'END:VCALENDAR',
    ];
    const text = (all: readonly string[], eol = '\r\n') => `${all.join(eol)}${eol}`;
    const dates = [
      'DTSTART:20260230T100000Z',
      'DTSTART:20240229T100000Z',
      'DTSTART:20250229T100000Z',
      'DTSTART:20000229T100000Z',
      'DTSTART:21000229T100000Z',
      'DTSTART:20261310T100000Z',
      'DTSTART:20261200T100000Z',
      'DTSTART:20261231T240000Z',
      'DTSTART:20261231T236000Z',
      'DTSTART:20261231T235960Z',
      'DTSTART:09991231T100000Z',
      'DTSTART:20261210t100000Z',
      'DTSTART:20261210T100000z',
      'DTSTART:20261210T10000Z',
      'DTSTART:2026121OT100000Z',
      'DTSTART:+0261210T100000Z',
      'DTSTART;VALUE=DATE:20261210T100000',
      'DTSTART;VALUE=DATE:2026121',
      'DTSTART;VALUE=DATE:20260431',
      'DTSTART;value=date:20261210',
      'DTSTART;TZID=Europe/Berlin:20261210T100000Z',
    ];
    for (const date of dates) expectSame(text(lines(date)), date);
    const good = lines();
    const texts = [
      text(good).replace('SUMMARY', '\r\nSUMMARY'),
      `${text(good)}\r\n\r\n`,
      `${text(good)}\n \n`,
      `${text(good)}X-AFTER:1\r\n`,
      `${text(good)}END:VCALENDAR\r\n`,
      text(good).replace('SUMMARY:Near miss', 'SUMMARY:Near\rmiss'),
      ` ${text(good)}`,
      `\ufeff${text(good)}`,
      text(good).replace('BEGIN:VEVENT', 'BEGIN:VEV\r\n ENT'),
      text(good).replace('DTSTART:', 'DTST\r\n\tART:'),
      text(good).replace('BEGIN:VCALENDAR', 'begin:vcalendar'),
      text(good).replace('END:VCALENDAR', 'end:vcalendar'),
      text(good).replace('BEGIN:VEVENT', 'BEGIN;X=1:VEVENT'),
      text(good).replace('SUMMARY:Near miss', 'X-A-VERY-LONG-PROPERTY-NAME;DTSTART=1:x'),
      text(good).replace('SUMMARY:Near miss', 'NOCOLON'),
      text(good).replace('SUMMARY:Near miss', ':VALUE-WITHOUT-NAME'),
      `X-BEFORE:1\r\n${text(good)}`,
      text(good, '\n'),
      text(good).replace('END:VEVENT\r\n', ''),
      text(good).replace('END:VEVENT', 'END:VEVENT\r\nEND:VEVENT'),
    ];
    for (const ics of texts) expectSame(ics, JSON.stringify(ics));
  });

  it('leaves series, overrides, other components and several events to ical.js', () => {
    const wrap = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n');
    const event = (...lines: string[]) => ['BEGIN:VEVENT', 'UID:u', 'DTSTART:20261210T100000Z', ...lines, 'END:VEVENT'];
    const cases = [
      wrap(...event('RRULE:FREQ=DAILY')),
      wrap(...event('RDATE:20261211T100000Z')),
      wrap(...event('RECURRENCE-ID:20261210T100000Z')),
      wrap(...event(), ...event()),
      wrap('BEGIN:VTODO', 'UID:t', 'END:VTODO'),
      wrap(...event('SUMMARY:a', 'SUMMARY:b')),
      wrap(...event('DTEND:20261210T110000')),
      'BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20261210T100000Z\r\nEND:VEVENT\r\n',
    ];
    for (const ics of cases) {
      expect(readPlainEvent(ics).kind).toBe('other');
      expectSame(ics, ics);
    }
  });
});
