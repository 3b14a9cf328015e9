import type { JComponent, JProperty } from './document.ts';
import { readDocument } from './document.ts';

/**
 * A property as a comparable string: name, parameters sorted by name, value type and the
 * decoded values. Folding, parameter order and quoting, escaping and `VALUE=` of the default
 * type make no difference.
 */
export function propertyKey(property: JProperty): string {
  const [name, params, type, ...values] = property;
  const sorted = Object.keys(params)
    .sort()
    .map((key) => [key, params[key]]);
  return JSON.stringify([name, sorted, type, ...values]);
}

/** A component as a comparable string, ignoring property order and the `ignore`d names. */
export function componentKey(component: JComponent, ignore: ReadonlySet<string> = new Set()): string {
  const properties = component[1]
    .filter((p) => !ignore.has(p[0]))
    .map(propertyKey)
    .sort();
  const children = component[2].map((child) => componentKey(child, ignore)).sort();
  return JSON.stringify([component[0], properties, children]);
}

/** Properties that change on every write without changing what the object says. */
const VOLATILE: ReadonlySet<string> = new Set(['dtstamp', 'last-modified', 'prodid']);

/**
 * Whether two calendar objects say the same thing: equal components and properties,
 * ignoring DTSTAMP, LAST-MODIFIED, PRODID, the order of properties and components, line
 * folding, parameter quoting and escaping. VTIMEZONEs count by TZID only (servers may rewrite
 * their rules). Unreadable text equals nothing. Used to recognise that the server already
 * holds exactly what we sent (a create whose response was lost). Never throws.
 */
export function sameContent(a: string, b: string): boolean {
  const left = readDocument(a);
  const right = readDocument(b);
  if (!left.ok || !right.ok) return false;
  try {
    return canonical(left.calendar) === canonical(right.calendar);
  } catch {
    return false;
  }
}

function canonical(calendar: JComponent): string {
  const children = calendar[2].map((child) =>
    child[0] === 'vtimezone'
      ? JSON.stringify(['vtimezone', child[1].filter((p) => p[0] === 'tzid').map(propertyKey)])
      : componentKey(child, VOLATILE),
  );
  return componentKey([calendar[0], calendar[1].filter((p) => !VOLATILE.has(p[0])), []]) + children.sort().join('');
}
