import ICAL from 'ical.js';
import { calendarComponent } from '../time/embedded-zones.ts';
import { registerZonesFor } from '../time/timezones.ts';
import type { JComponent, JProperty } from './document.ts';

/** Properties of `component` called `name` (lower case), in order. */
export function propertiesOf(component: JComponent, name: string): JProperty[] {
  return component[1].filter((property) => property[0] === name);
}

/** The first property called `name`, if any. */
export function firstProperty(component: JComponent, name: string): JProperty | undefined {
  return component[1].find((property) => property[0] === name);
}

/** Removes every property called `name`; returns whether one was there. */
export function removeProperties(component: JComponent, name: string): boolean {
  const before = component[1].length;
  component[1] = component[1].filter((property) => property[0] !== name);
  return component[1].length !== before;
}

/**
 * Puts `property` in place of the first property of the same name (keeping the line's
 * position) and drops the others of that name; appends it when there is none.
 */
export function setProperty(component: JComponent, property: JProperty): void {
  const index = component[1].findIndex((p) => p[0] === property[0]);
  if (index === -1) {
    component[1].push(property);
    return;
  }
  component[1] = component[1].filter((p, i) => i === index || p[0] !== property[0]);
  component[1][index] = property;
}

/** The first value of a text property, when it is a string. */
export function textOf(component: JComponent, name: string): string | undefined {
  const value = firstProperty(component, name)?.[3];
  return typeof value === 'string' ? value : undefined;
}

/** Top-level components that form calendar objects (not VTIMEZONE). */
const OBJECT_COMPONENTS: ReadonlySet<string> = new Set(['vevent', 'vtodo', 'vjournal']);

/** The parts of one calendar object resource: the master and the overrides of its UID. */
export interface ObjectParts {
  uid: string;
  master: JComponent | undefined;
  overrides: JComponent[];
}

/** Finds the object's components the same way `prepareCalendar` does (first UID wins). */
export function objectParts(calendar: JComponent): ObjectParts | undefined {
  const uidOf = (c: JComponent): string => textOf(c, 'uid')?.trim() ?? '';
  const first = calendar[2].find((c) => OBJECT_COMPONENTS.has(c[0]) && uidOf(c) !== '');
  if (first === undefined) return undefined;
  const uid = uidOf(first);
  const related = calendar[2].filter((c) => c[0] === first[0] && uidOf(c) === uid);
  return {
    uid,
    master: related.find((c) => firstProperty(c, 'recurrence-id') === undefined),
    overrides: related.filter((c) => firstProperty(c, 'recurrence-id') !== undefined),
  };
}

/**
 * Decodes property values with ical.js, resolving TZIDs against the usable VTIMEZONEs of
 * the calendar (then the registered IANA zones). Build one per calendar version: ical.js caches
 * decoded zones on the root.
 */
export class ValueReader {
  private readonly root: ICAL.Component;

  constructor(calendar: JComponent) {
    this.root = calendarComponent(calendar);
    registerZonesFor(this.root);
  }

  /** The ical.js view of `property`, which belongs to `component`. */
  property(component: JComponent, property: JProperty): ICAL.Property {
    return new ICAL.Property(property, new ICAL.Component(component, this.root));
  }

  /** The first value of the first `name` property as a time, if it is one. */
  time(component: JComponent, name: string): ICAL.Time | undefined {
    const property = firstProperty(component, name);
    if (property === undefined) return undefined;
    const value = this.property(component, property).getFirstValue();
    return value instanceof ICAL.Time ? value : undefined;
  }
}
