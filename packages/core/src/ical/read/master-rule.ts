import { propertyText, readDocument } from './document.ts';
import { firstProperty, objectParts } from './jcal.ts';

/**
 * The RRULE of an object's master component, as written (`FREQ=WEEKLY;BYDAY=MO`), or
 * `undefined` when it has none or the data cannot be read. Only the first RRULE counts
 * (RFC 5545 §3.8.5.3 allows one; a second is ignored the same way the expansion does).
 */
export function masterRule(ics: string): string | undefined {
  const document = readDocument(ics);
  if (!document.ok) return undefined;
  const master = objectParts(document.calendar)?.master;
  const rule = master === undefined ? undefined : firstProperty(master, 'rrule');
  if (rule === undefined) return undefined;
  const line = propertyText(rule).replace(/\r?\n[ \t]/g, '');
  const colon = line.indexOf(':');
  const value = colon < 0 ? '' : line.slice(colon + 1).trim();
  return value === '' ? undefined : value;
}
