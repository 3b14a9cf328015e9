import type { JComponent } from '../read/document.ts';
import { textOf } from '../read/jcal.ts';
import { ensureZone } from './timezones.ts';

/** TZIDs referenced by properties of `component` and its subcomponents. */
function collectTzids(component: JComponent, into: Set<string>): void {
  for (const property of component[1]) {
    const tzid = property[1].tzid;
    if (typeof tzid === 'string' && tzid !== '') into.add(tzid);
  }
  for (const child of component[2]) collectTzids(child, into);
}

/** TZIDs used outside VTIMEZONEs of a calendar. */
export function usedTzids(calendar: JComponent): Set<string> {
  const used = new Set<string>();
  for (const child of calendar[2]) if (child[0] !== 'vtimezone') collectTzids(child, used);
  return used;
}

/**
 * Adds a VTIMEZONE (from timezones-ical-library, via `ensureZone`) for every TZID used in
 * the calendar that has none, after the existing VTIMEZONEs; those stay untouched. A zone
 * found under another name (a Windows name, an alias) is written with the TZID as used.
 * TZIDs that match no zone are left as they are. Returns the TZIDs added.
 */
export function addMissingVtimezones(calendar: JComponent): string[] {
  const defined = new Set(calendar[2].filter((c) => c[0] === 'vtimezone').map((c) => textOf(c, 'tzid') ?? ''));
  const added: string[] = [];
  for (const tzid of usedTzids(calendar)) {
    if (defined.has(tzid)) continue;
    const source = ensureZone(tzid)?.component;
    if (source === undefined || source === null) continue;
    const vtimezone = structuredClone(source.jCal) as JComponent;
    vtimezone[1] = vtimezone[1].map((p) => (p[0] === 'tzid' ? ['tzid', p[1], p[2], tzid] : p));
    const at = calendar[2].findLastIndex((c) => c[0] === 'vtimezone') + 1;
    calendar[2].splice(at, 0, vtimezone);
    defined.add(tzid);
    added.push(tzid);
  }
  return added;
}
