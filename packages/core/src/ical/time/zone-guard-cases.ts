/**
 * Inputs that used to make ical.js expand a time zone for seconds, forever, or until the
 * heap ran out, for `zone-guard.test.ts`. That test runs them in a child process
 * (`zone-guard-probe.ts`) so that a regression fails after a few seconds instead of
 * hanging the test run. Each case returns what it observed, as plain JSON.
 */
import ICAL from 'ical.js';
import { expandObject } from '../expand/expand.ts';
import { indexObject } from '../read/index-object.ts';
import { calendar, utc, vevent } from '../test-ics.ts';
import { updateEventIcs } from '../write/edit-recurrence.ts';
import { boundedZone } from './bounded-zone.ts';
import { ensureZone } from './timezones.ts';

export type Observed = Record<string, unknown>;

const TZID = 'Bad/Zone';

/** A VTIMEZONE from its observances' bodies (lines between BEGIN and END). */
function vtimezone(tzid: string, ...observances: string[][]): string {
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    ...observances.flatMap((lines) => ['BEGIN:STANDARD', ...lines, 'END:STANDARD']),
    'END:VTIMEZONE',
  ].join('\r\n');
}

/** One STANDARD observance at UTC+1 from `dtstart`, with extra lines (an RRULE …). */
function observance(dtstart: string, ...lines: string[]): string[] {
  return [`DTSTART:${dtstart}`, 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', ...lines];
}

/** Weekly 09:00–10:00 from Tuesday 10 March 2026, ten times, in `tzid`. */
function weekly(zone: string, tzid = TZID): string {
  return calendar(
    zone,
    vevent(
      'UID:weekly',
      'SUMMARY:Standup',
      `DTSTART;TZID=${tzid}:20260310T090000`,
      `DTEND;TZID=${tzid}:20260310T100000`,
      'RRULE:FREQ=WEEKLY;COUNT=10',
    ),
  );
}

/** What indexing, expanding and editing an object in a zone give. */
function useObject(ics: string): Observed {
  const indexed = indexObject(ics);
  const occurrences = expandObject(ics, utc(2026, 1, 1), utc(2027, 1, 1));
  const edited = updateEventIcs(ics, { summary: 'Moved', start: '2026-03-10T11:00:00' }, { scope: 'all', now: 0 });
  const zoneKept = edited.ok && ics.split('BEGIN:VEVENT')[0] === edited.ics.split('BEGIN:VEVENT')[0];
  return {
    index: indexed.ok
      ? {
          start: indexed.fields.start,
          timezone: indexed.fields.timezone ?? null,
          unresolved: indexed.fields.timezoneUnresolved ?? false,
        }
      : { error: indexed.error.code },
    occurrences: occurrences.length,
    firstStart: occurrences[0]?.startMs ?? null,
    edited: edited.ok,
    editedStart: edited.ok ? (/DTSTART;TZID=[^\r\n]*/.exec(edited.ics)?.[0] ?? null) : null,
    zoneKept,
  };
}

/** A weekly event in an embedded zone with one STANDARD observance (UTC+1) and `lines`. */
function inZone(dtstart: string, ...lines: string[]): () => Observed {
  return () => useObject(weekly(vtimezone(TZID, observance(dtstart, ...lines))));
}

/** `count` consecutive integers from `from`, comma-separated. */
const range = (count: number, from: number): string => Array.from({ length: count }, (_, i) => from + i).join(',');

/** `count` DATE-TIMEs on 1 January, `step` years apart from the year `from`. */
const dates = (count: number, from: number, step: number): string[] =>
  Array.from({ length: count }, (_, i) => `${from + i * step}0101T100000`);

export const ZONE_GUARD_CASES: Readonly<Record<string, () => Observed>> = {
  // Refused embedded zones: the TZID (not an IANA name) is read as floating.
  'FREQ=SECONDLY': inZone('19700101T000000', 'RRULE:FREQ=SECONDLY'),
  'FREQ=MINUTELY': inZone('19700101T000000', 'RRULE:FREQ=MINUTELY'),
  'FREQ=HOURLY': inZone('19700101T000000', 'RRULE:FREQ=HOURLY'),
  'FREQ=DAILY': inZone('19700101T000000', 'RRULE:FREQ=DAILY'),
  'FREQ=DAILY;INTERVAL=0': inZone('19700101T000000', 'RRULE:FREQ=DAILY;INTERVAL=0'),
  'FREQ=YEARLY with every month, day and hour': inZone(
    '19700101T000000',
    `RRULE:FREQ=YEARLY;BYMONTH=${range(12, 1)};BYMONTHDAY=${range(31, 1)};BYHOUR=${range(24, 0)}`,
  ),
  'a day that never occurs (31 April)': inZone('19700101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;BYDAY=SU'),
  'BYSETPOS=9': inZone('19700101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYSETPOS=9'),
  'an observance from year 1': inZone('00010101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'),
  'an observance from year 9999': inZone('99990101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'),
  '5,000 RDATE lines': inZone('19700101T000000', ...dates(5_000, 1_700, 0).map((d) => `RDATE:${d}`)),
  'one RDATE line with 100,000 values': inZone('19700101T000000', `RDATE:${dates(100_000, 1_970, 0).join(',')}`),
  '1,000 observances with rules': () =>
    useObject(
      weekly(
        vtimezone(
          TZID,
          ...Array.from({ length: 1_000 }, () =>
            observance('19700101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'),
          ),
        ),
      ),
    ),
  '60 open-ended rules from 1601': () =>
    useObject(
      weekly(
        vtimezone(
          TZID,
          ...Array.from({ length: 60 }, () => observance('16010101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU')),
        ),
      ),
    ),
  // Accepted: ical.js reads INTERVAL=0 as 1.
  'FREQ=YEARLY;INTERVAL=0': inZone('19700101T000000', 'RRULE:FREQ=YEARLY;INTERVAL=0'),
  // A refused zone under a known name: the name is used instead.
  'FREQ=MINUTELY under a Windows zone name': () =>
    useObject(
      weekly(
        vtimezone('W. Europe Standard Time', observance('19700101T000000', 'RRULE:FREQ=MINUTELY')),
        'W. Europe Standard Time',
      ),
    ),
  'a refused Europe/Berlin does not affect other objects': () => {
    const broken = useObject(
      weekly(vtimezone('Europe/Berlin', observance('19700101T000000', 'RRULE:FREQ=MINUTELY')), 'Europe/Berlin'),
    );
    const own = indexObject(
      calendar(
        vtimezone('Europe/Berlin', ['DTSTART:19700101T000000', 'TZOFFSETFROM:+0300', 'TZOFFSETTO:+0300']),
        vevent('UID:own', 'DTSTART;TZID=Europe/Berlin:20260310T090000'),
      ),
    );
    const plain = indexObject(calendar(vevent('UID:plain', 'DTSTART;TZID=Europe/Berlin:20260310T090000')));
    const registered = ICAL.TimezoneService.get('Europe/Berlin')?.component?.toString() ?? '';
    return {
      broken: broken.index,
      own: own.ok ? own.fields.start : null,
      plain: plain.ok ? plain.fields.start : null,
      registeredMinutely: registered.includes('MINUTELY'),
    };
  },
  // Valid zones driven far into the future: ical.js re-expanded from DTSTART every 5 years.
  '200 RDATEs from 3000 to 4194 in Europe/Berlin': () => {
    const values = dates(200, 3_000, 6).join(',');
    const ics = calendar(
      vevent('UID:far', 'DTSTART;TZID=Europe/Berlin:20260101T100000', `RDATE;TZID=Europe/Berlin:${values}`),
    );
    const indexed = indexObject(ics);
    const last = expandObject(ics, utc(4194, 1, 1), utc(4195, 1, 1));
    return { indexed: indexed.ok, last: last[0]?.startMs ?? null };
  },
  'DTSTART in 9999 in Europe/Berlin': () => {
    const indexed = indexObject(calendar(vevent('UID:far', 'DTSTART;TZID=Europe/Berlin:99990701T100000')));
    return { start: indexed.ok ? indexed.fields.start : null };
  },
  'a yearly Europe/Berlin series expanded to 3000': () => {
    const ics = calendar(
      vevent('UID:yearly', 'DTSTART;TZID=Europe/Berlin:20260701T100000', 'DURATION:PT1H', 'RRULE:FREQ=YEARLY'),
    );
    const occurrences = expandObject(ics, utc(2026, 1, 1), utc(3000, 1, 1));
    return { count: occurrences.length, last: occurrences.at(-1)?.startMs ?? null };
  },
  'an offset asked for the year NaN': () => {
    const zone = ensureZone('Europe/Berlin');
    const time = ICAL.Time.fromData({ year: Number.NaN, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    return { offset: zone?.utcOffset(time) ?? null };
  },
  // Belt and braces: a rule turned sub-daily after the check (standing in for a shape the
  // check did not foresee) still stops at the zone's step budget.
  'a rule turned SECONDLY after the check': () => {
    const text = vtimezone(TZID, observance('19700101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'));
    const component = new ICAL.Component(ICAL.parse(text));
    const zone = boundedZone(component, TZID);
    const rule = component.getFirstSubcomponent('standard')?.getFirstPropertyValue('rrule');
    if (zone === undefined || !(rule instanceof ICAL.Recur)) return { built: false };
    rule.freq = 'SECONDLY';
    rule.parts = {};
    const offset = zone.utcOffset(ICAL.Time.fromData({ year: 2026, month: 6, day: 1, hour: 12 }));
    const far = zone.utcOffset(ICAL.Time.fromData({ year: 2150, month: 6, day: 1, hour: 12 }));
    // ZONE_STEP_BUDGET: no more transitions than steps.
    return { built: true, offset, far, withinBudget: zone.changes.length <= 20_000 };
  },
};
