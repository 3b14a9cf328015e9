/**
 * Calendar objects for the differential test: the recurring objects of a fixture file, one
 * UID each, with the ICS text handed to calsync for each of them.
 *
 * Test-only: part of the independent implementation `differential.test.ts` compares calsync
 * with; it must never import calsync's own ical code, and nothing but that test imports it.
 */
import { type Component, type ContentLine, first, parseLine, readComponents, serialize } from './lines.ts';

// ---------------------------------------------------------------------------------------------
// Calendar objects: one UID each, as a CalDAV server stores them (RFC 4791 §4.1)

const CALENDAR_COMPONENTS = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY']);

/** One UID's components from a fixture file, with the text handed to calsync for it. */
export interface FixtureObject {
  /** The UID, or a synthetic `x-differential-<n>` one injected where the file had none. */
  uid: string;
  /** True when the UID was injected. */
  syntheticUid: boolean;
  /** The VCALENDAR the components came from (synthetic for bare fragments). */
  calendar: Component;
  components: Component[];
  /** ICS text for calsync: the file unchanged when it already is one object, else rebuilt. */
  ics: string;
  /** How `ics` was obtained (`synthetic`: built by a test, not read from a file). */
  source: 'file' | 'split' | 'wrapped' | 'synthetic';
}

function isRecurring(components: Component[]): boolean {
  return components.some((c) => c.name === 'VEVENT' && c.lines.some((l) => l.name === 'RRULE' || l.name === 'RDATE'));
}

/**
 * The calendar objects of a fixture file that hold a recurring VEVENT (RRULE or RDATE). A
 * file that is one VCALENDAR with one UID is used as it is; a file with several UIDs is split
 * into one object per UID (VTIMEZONEs and calendar properties copied to each); a bare
 * VEVENT fragment is wrapped in a VCALENDAR; a component without UID gets `x-differential-<n>`.
 */
export function fixtureObjects(text: string): FixtureObject[] {
  const top = readComponents(text);
  const calendars = top.filter((c) => c.name === 'VCALENDAR');
  const wrapped = calendars.length === 0;
  const roots: Component[] = wrapped
    ? [
        {
          name: 'VCALENDAR',
          lines: ['VERSION:2.0', 'PRODID:-//calsync//differential test//EN'].map(
            (raw) => parseLine(raw) as ContentLine,
          ),
          children: top,
        },
      ]
    : calendars;
  const result: FixtureObject[] = [];
  let synthetic = 0;
  for (const calendar of roots) {
    const groups = new Map<string, Component[]>();
    const injected = new Set<string>();
    for (const child of calendar.children) {
      if (!CALENDAR_COMPONENTS.has(child.name)) continue;
      let uid = first(child, 'UID')?.value.trim() ?? '';
      if (uid === '') {
        uid = `x-differential-${synthetic++}`;
        injected.add(uid);
      }
      const group = groups.get(uid) ?? [];
      group.push(child);
      groups.set(uid, group);
    }
    const single = groups.size === 1 && injected.size === 0 && calendars.length === 1;
    for (const [uid, components] of groups) {
      if (!isRecurring(components)) continue;
      const syntheticUid = injected.has(uid);
      let ics: string;
      let source: FixtureObject['source'];
      if (single && !wrapped) {
        ics = text;
        source = 'file';
      } else {
        const body = components.map((c) =>
          syntheticUid ? { ...c, lines: [parseLine(`UID:${uid}`) as ContentLine, ...c.lines] } : c,
        );
        const zones = calendar.children.filter((c) => c.name === 'VTIMEZONE');
        const rebuilt: Component = { name: 'VCALENDAR', lines: calendar.lines, children: [...zones, ...body] };
        ics = `${serialize(rebuilt).join('\r\n')}\r\n`;
        source = wrapped ? 'wrapped' : 'split';
      }
      result.push({ uid, syntheticUid, calendar, components, ics, source });
    }
  }
  return result;
}
