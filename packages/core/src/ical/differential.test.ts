import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTOM_ZONE, SYNTHETIC, type Synthetic, WINDOW_AFTER_MS, WINDOW_BEFORE_MS } from './differential/cases.ts';
import { type Difference, KNOWN, KNOWN_SYNTHETIC, type Known, type Outcome } from './differential/known.ts';
import { type FixtureObject, fixtureObjects } from './differential/objects.ts';
import { type ReferenceResult, referenceExpand } from './differential/reference.ts';
import { expandObject, prepareObject } from './index.ts';
import { calendar, vevent } from './test-ics.ts';

/**
 * Differential expansion test (issue 9): every recurring VEVENT of the collective/icalendar
 * fixtures is expanded by calsync — `prepareObject` + `expandObject`, what the query layer's
 * `OccurrenceCache` runs for `listEvents` — and by an independent implementation
 * (`differential/`: rrule.js + Intl, no ical.js), over DTSTART − 1 day …
 * DTSTART + 3 years. Occurrences are compared as start instants, each with the instance it
 * stands for when that differs (an override moved by RECURRENCE-ID).
 *
 * Files that are bare VEVENTs are wrapped in a VCALENDAR, files with several UIDs are split
 * into one object per UID (a CalDAV resource holds one UID), and a missing UID is injected:
 * calsync itself rejects such files whole, which `fixtures.test.ts` already checks.
 *
 * A second table, SYNTHETIC, runs the RFC 5545 §3.8.5.3 examples and the edge cases the
 * fixtures lack (DST gaps and overlaps, invalid dates, BYSETPOS, overrides, bounds) the same way.
 *
 * Every difference is listed in KNOWN / KNOWN_SYNTHETIC with its RFC reason and the exact
 * difference expected; any other difference, or a listed one that changes or disappears,
 * fails the test. Entries with verdict 'calsync bug' are open bugs found by this test (issue 9):
 * whoever fixes one deletes its entry. `DIFFERENTIAL_REPORT=1` prints one line per object.
 */

const root = new URL('../../../../test/fixtures/ics/icalendar/', import.meta.url).pathname;
/** calsync's documented bound per object and query (README "iCalendar"); both sides keep the earliest. */
const LIMIT = 10_000;

/** One occurrence as compared: its start, and the instance it replaces when that differs. */
function label(startMs: number, recurrenceIdMs: number): string {
  const start = new Date(startMs).toISOString();
  return startMs === recurrenceIdMs ? start : `${start} (RECURRENCE-ID ${new Date(recurrenceIdMs).toISOString()})`;
}

interface Case {
  name: string;
  file: string;
  object: FixtureObject;
  calsync: Outcome;
  reference: ReferenceResult;
}

function expandBoth(file: string, object: FixtureObject, window?: { fromMs: number; toMs: number }): Case {
  const reference = referenceExpand(object, {
    beforeMs: WINDOW_BEFORE_MS,
    afterMs: WINDOW_AFTER_MS,
    limit: LIMIT,
    ...window,
  });
  const prepared = prepareObject(object.ics);
  let calsync: Outcome;
  if (!prepared.ok) {
    calsync = { ok: false, reason: prepared.error.message };
  } else {
    // The window's anchor is the reference's DTSTART; calsync's own when the reference failed.
    const anchorMs = reference.ok
      ? reference.anchorMs
      : (prepared.object.master?.startMs ?? prepared.object.overrides[0]?.startMs ?? 0);
    const from = window?.fromMs ?? anchorMs - WINDOW_BEFORE_MS;
    const to = window?.toMs ?? anchorMs + WINDOW_AFTER_MS;
    // expandObject returns what overlaps the window; compare what starts in it, like the reference.
    const occurrences = expandObject(prepared, from, to, { maxOccurrences: LIMIT })
      .filter((o) => o.startMs >= from && o.startMs < to)
      .map((o) => label(o.startMs, o.recurrenceId === undefined ? o.startMs : Date.parse(o.recurrenceId)));
    calsync = { ok: true, occurrences };
  }
  return { name: `${file}#${object.uid}`, file, object, calsync, reference };
}

function difference(calsync: string[], reference: string[]): Difference {
  const inReference = new Set(reference);
  const inCalsync = new Set(calsync);
  return {
    onlyCalsync: calsync.filter((o) => !inReference.has(o)),
    onlyReference: reference.filter((o) => !inCalsync.has(o)),
  };
}

const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ics'))
  .sort();
const cases: Case[] = files.flatMap((file) =>
  fixtureObjects(readFileSync(join(root, file), 'utf8')).map((object) => expandBoth(file, object)),
);

function referenceOutcome(reference: ReferenceResult): Outcome {
  return reference.ok
    ? { ok: true, occurrences: reference.occurrences.map((o) => label(o.startMs, o.recurrenceIdMs)) }
    : reference;
}

function describeCase(c: Case, known: Known | undefined): string {
  const side = (o: Outcome): string => (o.ok ? `${o.occurrences.length}` : `rejects (${o.reason})`);
  const reference = referenceOutcome(c.reference);
  const verdict = known?.verdict ?? (!c.calsync.ok && !reference.ok ? 'equal (both reject)' : 'equal');
  let line = `${c.name} [${c.object.source}] calsync=${side(c.calsync)} reference=${side(reference)} → ${verdict}`;
  if (c.calsync.ok && reference.ok) {
    const { onlyCalsync, onlyReference } = difference(c.calsync.occurrences, reference.occurrences);
    if (onlyCalsync.length > 0)
      line += `\n    only calsync (${onlyCalsync.length}): ${onlyCalsync.slice(0, 6).join(', ')}`;
    if (onlyReference.length > 0) {
      line += `\n    only reference (${onlyReference.length}): ${onlyReference.slice(0, 6).join(', ')}`;
    }
  }
  return line;
}

/** The comparison itself: equal, or exactly the documented difference. */
function check(c: Case, known: Known | undefined): void {
  const { calsync } = c;
  const reference = referenceOutcome(c.reference);
  if (calsync.ok && reference.ok) {
    const actual = difference(calsync.occurrences, reference.occurrences);
    const expected =
      known?.difference === undefined
        ? { onlyCalsync: [], onlyReference: [] }
        : typeof known.difference === 'function'
          ? known.difference(reference.occurrences)
          : known.difference;
    expect(actual, known?.reason ?? 'undocumented difference').toEqual(expected);
    // Something was compared: every object here has at least its DTSTART in the window.
    expect(reference.occurrences.length).toBeGreaterThan(0);
  } else if (!calsync.ok && !reference.ok && known === undefined) {
    // Both read the data as invalid (empty or malformed values, no DTSTART …): agreement.
    expect(calsync.reason).not.toBe('');
  } else {
    expect(known, `undocumented: one side does not expand ${c.name}`).toBeDefined();
    expect(calsync).toEqual(known?.calsync);
    expect(reference.ok ? 'reference expanded' : reference).toEqual(known?.reference);
  }
}

describe('differential expansion: calsync vs rrule.js on the fixtures', () => {
  if (process.env.DIFFERENTIAL_REPORT) console.info(cases.map((c) => describeCase(c, KNOWN[c.name])).join('\n'));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c, KNOWN[c.name]));

  it('documents only differences that occur', () => {
    const names = new Set(cases.map((c) => c.name));
    expect(Object.keys(KNOWN).filter((name) => !names.has(name))).toEqual([]);
  });

  it('compares every recurring fixture object', () => {
    const both = cases.filter((c) => c.calsync.ok && c.reference.ok);
    const rejected = cases.filter((c) => !c.calsync.ok && !c.reference.ok);
    expect({
      files: new Set(cases.map((c) => c.file)).size,
      objects: cases.length,
      expandedByBoth: both.length,
      equal: both.filter((c) => KNOWN[c.name] === undefined).length,
      bothReject: rejected.length,
      documented: Object.keys(KNOWN).length,
    }).toEqual({ files: 37, objects: 49, expandedByBoth: 27, equal: 26, bothReject: 19, documented: 5 });
  });
});

// ---------------------------------------------------------------------------------------------
// Beyond the fixtures: the RFC 5545 §3.8.5.3 examples and edge cases the fixtures lack.

function syntheticIcs(name: string, synthetic: Synthetic): string {
  const events = synthetic.events.map((lines) =>
    vevent(...(lines.some((line) => line.startsWith('UID:')) ? lines : [`UID:${name}`, ...lines])),
  );
  const zones = synthetic.events.flat().some((line) => line.includes('Europe/CUSTOM')) ? [CUSTOM_ZONE] : [];
  return calendar(...zones, ...events);
}

const syntheticCases: Case[] = Object.entries(SYNTHETIC).map(([name, synthetic]) => {
  const [object] = fixtureObjects(syntheticIcs(name, synthetic));
  if (!object) throw new Error(`no recurring object in ${name}`);
  const c = expandBoth('synthetic', object, synthetic.window);
  return { ...c, name, object: { ...object, source: 'synthetic' as const } };
});

describe('differential expansion: calsync vs rrule.js on RFC 5545 examples and edge cases', () => {
  if (process.env.DIFFERENTIAL_REPORT) {
    console.info(syntheticCases.map((c) => describeCase(c, KNOWN_SYNTHETIC[c.name])).join('\n'));
  }

  it.each(syntheticCases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c, KNOWN_SYNTHETIC[c.name]));

  it('documents only differences that occur', () => {
    expect(Object.keys(KNOWN_SYNTHETIC).filter((name) => !(name in SYNTHETIC))).toEqual([]);
  });

  it('counts', () => {
    const verdicts = syntheticCases.map((c) => KNOWN_SYNTHETIC[c.name]?.verdict ?? 'equal');
    const count = (verdict: string) => verdicts.filter((v) => v === verdict).length;
    expect({
      cases: syntheticCases.length,
      equal: count('equal'),
      calsyncBug: count('calsync bug'),
      calsyncBound: count('calsync bound'),
      rfcLeavesOpen: count('RFC leaves open'),
    }).toEqual({ cases: 63, equal: 55, calsyncBug: 6, calsyncBound: 0, rfcLeavesOpen: 2 });
  });
});
