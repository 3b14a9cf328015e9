import { componentKey, propertyKey } from '../read/compare.ts';
import type { JComponent } from '../read/document.ts';
import { firstProperty, setProperty } from '../read/jcal.ts';
import { stampProperty } from './event-time.ts';

/** Changing one of these makes a new revision for attendees (RFC 5546 2.1.4): SEQUENCE goes up. */
const SIGNIFICANT: ReadonlySet<string> = new Set([
  'dtstart',
  'dtend',
  'duration',
  'due',
  'rrule',
  'rdate',
  'exdate',
  'status',
  'recurrence-id',
]);
const BOOKKEEPING: ReadonlySet<string> = new Set(['dtstamp', 'last-modified', 'sequence']);

/** What a component says, per property name (and `#children` for its subcomponents). */
export type Snapshot = ReadonlyMap<string, string>;

/** Records a component's content, to tell later what an edit changed. */
export function snapshot(component: JComponent): Snapshot {
  const byName = new Map<string, string[]>();
  for (const property of component[1]) {
    if (BOOKKEEPING.has(property[0])) continue;
    const list = byName.get(property[0]) ?? [];
    list.push(propertyKey(property));
    byName.set(property[0], list);
  }
  const result = new Map<string, string>();
  for (const [name, keys] of byName) result.set(name, keys.sort().join('\n'));
  result.set(
    '#children',
    component[2]
      .map((child) => componentKey(child))
      .sort()
      .join('\n'),
  );
  return result;
}

/** SEQUENCE of a component (0 when absent or invalid). */
export function sequenceOf(component: JComponent): number {
  const value = firstProperty(component, 'sequence')?.[3];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** Sets DTSTAMP and LAST-MODIFIED to `now`. */
export function touch(component: JComponent, now: number): void {
  setProperty(component, stampProperty('dtstamp', now));
  setProperty(component, stampProperty('last-modified', now));
}

/** Sets SEQUENCE. */
export function setSequence(component: JComponent, sequence: number): void {
  setProperty(component, ['sequence', {}, 'integer', sequence]);
}

/**
 * Updates the bookkeeping of a component after an edit, compared with `before`: when
 * anything changed, DTSTAMP and LAST-MODIFIED become `now`, and SEQUENCE goes up by one when
 * a significant property changed. Returns whether the component changed.
 */
export function stampChanges(component: JComponent, before: Snapshot, now: number): boolean {
  const after = snapshot(component);
  const names = new Set([...before.keys(), ...after.keys()]);
  let changed = false;
  let significant = false;
  for (const name of names) {
    if (before.get(name) === after.get(name)) continue;
    changed = true;
    if (SIGNIFICANT.has(name)) significant = true;
  }
  if (!changed) return false;
  touch(component, now);
  if (significant) setSequence(component, sequenceOf(component) + 1);
  return true;
}
