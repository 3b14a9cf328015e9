import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendar, vevent } from '../ical/test-ics.ts';
import { type ScannedTexts, scanTexts } from './ics-scan.ts';

/**
 * The scanner against ical.js on every real-world fixture (collective/icalendar, see
 * test/fixtures/ics/README.md): for each file ical.js can parse, both must find the same
 * attendees' and organizers' names, categories, summaries, locations and descriptions of its
 * VEVENT/VTODO/VJOURNAL components (as sets: nested components may interleave lines).
 * Files ical.js rejects must still be scanned without throwing. The fixtures hold few
 * CATEGORIES, so SYNTHETIC adds the shapes exporters write, compared the same way.
 */

const root = new URL('../../../../test/fixtures/ics/', import.meta.url).pathname;
const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ics'))
  .sort();
const ITEMS = new Set(['vevent', 'vtodo', 'vjournal']);

/** What ical.js reads for the same fields, or `undefined` when it cannot parse the file. */
function reference(ics: string): Record<keyof ScannedTexts, string[]> | undefined {
  let parsed: unknown[];
  try {
    parsed = ICAL.parse(ics) as unknown[];
  } catch {
    return undefined;
  }
  // Several top-level components come as a list of jCal arrays, one as the array itself.
  const tops = Array.isArray(parsed[0]) ? parsed : [parsed];
  const found: Record<keyof ScannedTexts, string[]> = {
    summaries: [],
    locations: [],
    descriptions: [],
    attendees: [],
    categories: [],
  };
  const texts = (component: ICAL.Component, name: string): string[] =>
    component
      .getAllProperties(name)
      .flatMap((property) => property.getValues())
      .filter((value): value is string => typeof value === 'string');
  const visit = (component: ICAL.Component): void => {
    if (ITEMS.has(component.name)) {
      found.summaries.push(...texts(component, 'summary'));
      found.locations.push(...texts(component, 'location'));
      found.descriptions.push(...texts(component, 'description'));
      found.categories.push(...texts(component, 'categories'));
      for (const name of ['organizer', 'attendee']) {
        for (const property of component.getAllProperties(name)) {
          const cn = property.getParameter('cn');
          if (typeof cn === 'string') found.attendees.push(cn);
        }
      }
    }
    for (const child of component.getAllSubcomponents()) visit(child);
  };
  for (const top of tops) visit(new ICAL.Component(top as unknown[]));
  return found;
}

/** Values as compared: each once, blank ones dropped (the scanner does not keep them), sorted. */
const normalized = (values: readonly string[]): string[] =>
  [...new Set(values.filter((value) => value.trim() !== ''))].sort();

describe('scanTexts agrees with ical.js on the fixtures', () => {
  const compared: string[] = [];
  const withField = { attendees: 0, categories: 0 };

  it.each(files)('%s', (name) => {
    const ics = readFileSync(join(root, name), 'utf8');
    const scanned = scanTexts(ics);
    const expected = reference(ics);
    if (expected === undefined) return;
    for (const field of Object.keys(expected) as (keyof ScannedTexts)[]) {
      expect(normalized(scanned[field]), field).toEqual(normalized(expected[field]));
    }
    compared.push(name);
    if (expected.attendees.length > 0) withField.attendees++;
    if (expected.categories.length > 0) withField.categories++;
  });

  it('compared most files, some with attendees and categories', () => {
    expect(compared.length).toBeGreaterThan(100);
    expect(withField.attendees).toBeGreaterThan(10);
    expect(withField.categories).toBeGreaterThan(3);
  });
});

const SYNTHETIC: Record<string, string> = {
  'quoted CN with comma and colon, folded': calendar(
    vevent('UID:1', 'ATTENDEE;CN="Doe, Jane: PM";ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:jane.doe@exam\r\n ple.com'),
  ),
  'CN folded mid-word with a tab, RFC 6868 quote': calendar(
    vevent(
      'UID:1',
      'ORGANIZER;CN="Ren\r\n\té ^\'Q^\' Müll":mailto:r@x.com',
      'ATTENDEE;CN=Bare Name;RSVP=TRUE:mailto:b@x.com',
    ),
  ),
  'CATEGORIES escapes over several lines': calendar(
    vevent('UID:1', 'CATEGORIES:Work\\,Travel,Family\\;Friends', 'CATEGORIES:Ärzte,Work\\,Travel', 'categories:lower'),
  ),
  'LF line ends, lowercase names': calendar(vevent('UID:1', 'summary:Café', 'location:Room\\, 2')).replace(
    /\r\n/g,
    '\n',
  ),
  'overrides and a VTODO': calendar(
    vevent('UID:1', 'SUMMARY:Yoga', 'CATEGORIES:Sport'),
    vevent('UID:1', 'RECURRENCE-ID:20260112T100000Z', 'SUMMARY:Yoga (moved)', 'CATEGORIES:Sport,Moved'),
    'BEGIN:VTODO\r\nUID:2\r\nSUMMARY:Mats\r\nATTENDEE;CN="Coach, The":mailto:c@x.com\r\nEND:VTODO',
  ),
};

describe('scanTexts agrees with ical.js on synthetic exporter shapes', () => {
  it.each(Object.entries(SYNTHETIC))('%s', (_, ics) => {
    const expected = reference(ics);
    expect(expected).toBeDefined();
    const scanned = scanTexts(ics);
    for (const field of Object.keys(expected ?? {}) as (keyof ScannedTexts)[]) {
      expect(normalized(scanned[field]), field).toEqual(normalized(expected?.[field] ?? []));
    }
    expect(Object.values(scanned).flat().length).toBeGreaterThan(0);
  });
});
