import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { indexObject } from '../read/index-object.ts';
import { prepareObject } from '../read/prepare.ts';
import { calendar, vevent } from '../test-ics.ts';
import { overlaps } from '../time/time.ts';
import { expandObject } from './expand.ts';
import { rulePeriodDays } from './fast-forward.ts';
import { countedRulesTailMs, masterInstances } from './recurrence.ts';

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (ms: number, date: boolean) => {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  return date ? day : `${day}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;
};
const BASE = Date.UTC(2019, 0, 7, 9, 30); // a Monday

const series = fc.record({
  startDays: fc.integer({ min: 0, max: 400 }),
  startMinutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  /** '' UTC, 'floating', 'date' (all-day) or a TZID. */
  kind: fc.constantFrom('utc', 'floating', 'date', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'),
  freq: fc.constantFrom('DAILY', 'WEEKLY'),
  interval: fc.integer({ min: 1, max: 4 }),
  byDay: fc.option(fc.subarray(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], { minLength: 1 }), { nil: undefined }),
  wkst: fc.option(fc.constantFrom('MO', 'SU', 'WE'), { nil: undefined }),
  untilDays: fc.option(fc.integer({ min: 10, max: 1500 }), { nil: undefined }),
  count: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  lengthMinutes: fc.constantFrom(15, 60, 23 * 60, 3 * 24 * 60),
  exdates: fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 4 }),
  windowDays: fc.integer({ min: 0, max: 1400 }),
  windowLength: fc.integer({ min: 1, max: 60 }),
});

type Series = typeof series extends fc.Arbitrary<infer T> ? T : never;

function icsOf(s: Series): string {
  const date = s.kind === 'date';
  const startMs = BASE + s.startDays * DAY + (date ? 0 : s.startMinutes * 60_000);
  const zone = s.kind !== 'utc' && s.kind !== 'floating' && s.kind !== 'date' ? s.kind : undefined;
  const suffix = s.kind === 'utc' ? 'Z' : '';
  const prop = (name: string, ms: number) =>
    date
      ? `${name};VALUE=DATE:${stamp(ms, true)}`
      : `${name}${zone ? `;TZID=${zone}` : ''}:${stamp(ms, false)}${suffix}`;
  const length = date ? Math.max(1, Math.round(s.lengthMinutes / 1440)) * DAY : s.lengthMinutes * 60_000;
  const rule = [
    `FREQ=${s.freq}`,
    `INTERVAL=${s.interval}`,
    ...(s.byDay ? [`BYDAY=${s.byDay.join(',')}`] : []),
    ...(s.wkst ? [`WKST=${s.wkst}`] : []),
    ...(s.count !== undefined ? [`COUNT=${s.count}`] : []),
    ...(s.untilDays !== undefined && s.count === undefined
      ? [`UNTIL=${stamp(startMs + s.untilDays * DAY, date)}${date ? '' : 'Z'}`]
      : []),
  ].join(';');
  // EXDATEs on instance times (a whole number of days after the start: some are instances).
  const exdates = s.exdates.map((n) => prop('EXDATE', startMs + n * DAY));
  return calendar(
    vevent(
      'UID:ff',
      'SUMMARY:Series',
      prop('DTSTART', startMs),
      prop('DTEND', startMs + length),
      `RRULE:${rule}`,
      ...exdates,
    ),
  );
}

describe('fast-forwarded rule iteration', () => {
  it('gives exactly the instances of an iteration from DTSTART, in any window (property)', () => {
    fc.assert(
      fc.property(series, (s) => {
        const ics = icsOf(s);
        const from = BASE + s.windowDays * DAY;
        const to = from + s.windowLength * DAY;
        // From the start of time: nothing to skip, so iteration begins at DTSTART.
        const reference = expandObject(ics, BASE - 400 * DAY, to).filter((o) => overlaps(o.startMs, o.endMs, from, to));
        expect(expandObject(ics, from, to).map((o) => o.start)).toEqual(reference.map((o) => o.start));
      }),
      { numRuns: 600 },
    );
  });

  it('computed candidates of periodic rules (periodic.ts) give what ical.js iterates: same instances, same completeness (property)', () => {
    fc.assert(
      fc.property(series, fc.boolean(), (s, open) => {
        const prepared = prepareObject(icsOf(s));
        if (!prepared.ok || !prepared.object.master) throw new Error('unreadable series');
        const master = prepared.object.master;
        const from = open ? Number.NEGATIVE_INFINITY : BASE + s.windowDays * DAY;
        const query = {
          fromMs: from,
          toMs: BASE + (s.windowDays + s.windowLength) * DAY,
          limit: 400,
          maxSteps: 100_000,
        };
        expect(masterInstances(master, query, true)).toEqual(masterInstances(master, query, false));
      }),
      { numRuns: 800 },
    );
  });

  it("ends a COUNT series' range where its last instance ends, as iterating every instance finds (property)", () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 300 }), (s, count) => {
        const ics = icsOf({ ...s, count });
        const prepared = prepareObject(ics);
        if (!prepared.ok || !prepared.object.master) throw new Error('unreadable series');
        const master = prepared.object.master;
        const all = { fromMs: Number.NEGATIVE_INFINITY, toMs: Date.UTC(2200, 0, 1), limit: 10_000, maxSteps: 1e6 };
        const reference = masterInstances(master, all, false);
        expect(reference.complete).toBe(true);
        const touch = (start: number, end: number) => Math.max(end, start + 1);
        const end = Math.max(
          touch(master.startMs, master.endMs),
          ...reference.instances.map((i) => touch(i.startMs, i.endMs)),
        );
        const indexed = indexObject(ics);
        expect(indexed.ok && indexed.fields).toMatchObject({ rangeStart: master.startMs, rangeEnd: end });
        // Where computed, following the rule starts within two days before its last candidate.
        const tail = countedRulesTailMs(master);
        if (tail !== undefined) {
          const candidates = { ...master, exdateMs: new Set<number>(), exdateDays: new Set<string>() };
          const last = masterInstances(candidates, all, false).instances.at(-1)?.startMs ?? Number.NaN;
          expect(tail).toBeLessThanOrEqual(last);
          expect(last - tail).toBeLessThanOrEqual(2 * DAY);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('applies only to rules periodic in days whose DTSTART is one of their instances', () => {
    // DTSTART Monday 5 January 2026, 09:00 UTC.
    const start = ICAL.Time.fromData({ year: 2026, month: 1, day: 5, hour: 9 }, ICAL.Timezone.utcTimezone);
    const period = (rule: string) => rulePeriodDays(ICAL.Recur.fromString(rule), start);
    expect(period('FREQ=DAILY')).toBe(1);
    expect(period('FREQ=DAILY;INTERVAL=3')).toBe(3);
    expect(period('FREQ=DAILY;INTERVAL=3;BYDAY=MO,TU')).toBe(21);
    expect(period('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE')).toBe(14); // 5 Jan 2026 is a Monday
    expect(period('FREQ=WEEKLY;BYDAY=TU,WE')).toBeUndefined(); // DTSTART is not one of them
    expect(period('FREQ=WEEKLY;COUNT=10')).toBeUndefined();
    expect(period('FREQ=WEEKLY;BYMONTH=1')).toBeUndefined();
    expect(period('FREQ=MONTHLY')).toBeUndefined();
    expect(period('FREQ=WEEKLY;BYDAY=1MO')).toBeUndefined();
    expect(period('FREQ=DAILY;BYHOUR=9,17')).toBeUndefined();
  });

  it('a daily series begun in 1900 shows every day of 2026 (it used to run out of steps)', () => {
    const ics = calendar(
      vevent('UID:old', 'SUMMARY:Old', 'DTSTART:19000101T090000Z', 'DTEND:19000101T091500Z', 'RRULE:FREQ=DAILY'),
    );
    expect(expandObject(ics, Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1))).toHaveLength(31);
  });
});
