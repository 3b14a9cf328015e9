import ICAL from 'ical.js';
import { failData, type Result } from '../result.ts';
import { parseCalendar } from './parse.ts';

/** A jCal property: `[name, params, type, ...values]`, name and param names in lower case. */
export type JProperty = [string, Record<string, unknown>, string, ...unknown[]];
/** A jCal component: `[name, properties, subcomponents]`, name in lower case. */
export type JComponent = [string, JProperty[], JComponent[]];

/** Outcome of {@link readDocument}. */
export type DocumentResult = Result<{ calendar: JComponent }>;

/** Text a property had in the source, and its jCal at parse time (to tell whether it changed). */
interface RawProperty {
  readonly text: string;
  readonly json: string;
}
interface RawComponent {
  name: string;
  begin: string;
  end: string;
  properties: Array<{ name: string; text: string }>;
  components: RawComponent[];
}

// Keyed by the jCal arrays themselves: a property moved into another tree (a merge, a split)
// keeps its source text for as long as nobody changes it.
const rawProperties = new WeakMap<object, RawProperty>();
const rawComponents = new WeakMap<object, { begin: string; end: string }>();

/**
 * Splits ICS text into logical lines exactly as `ICAL.parse` does (same unfolding, same
 * skipped blank lines), keeping each line's physical lines, so that the n-th property ical.js
 * reports is the n-th line found here.
 */
function logicalLines(text: string): Array<{ line: string; physical: string[] }> {
  const result: Array<{ line: string; physical: string[] }> = [];
  let current: { line: string; physical: string[] } | undefined;
  let lastPos = text.search(/[^ \t]/);
  if (lastPos < 0) return result;
  let pos: number;
  do {
    pos = text.indexOf('\n', lastPos) + 1;
    let eol = pos > 1 && text[pos - 2] === '\r' ? 2 : 1;
    if (pos === 0) {
      pos = text.length;
      eol = 0;
    }
    const physical = text.slice(lastPos, pos - eol);
    const first = text[lastPos];
    if ((first === ' ' || first === '\t') && current !== undefined) {
      current.line += physical.slice(1);
      current.physical.push(physical);
    } else {
      if (current !== undefined && current.line !== '') result.push(current);
      current = { line: physical, physical: [physical] };
    }
    lastPos = pos;
  } while (pos !== text.length);
  if (current !== undefined && current.line.trim() !== '') {
    current.line = current.line.trim();
    result.push(current);
  }
  return result;
}

/** Builds the component tree of the source text with the text of every line. */
function rawTree(text: string): RawComponent[] {
  const roots: RawComponent[] = [];
  const stack: RawComponent[] = [];
  for (const { line, physical } of logicalLines(text)) {
    const valuePos = line.indexOf(':');
    let paramPos = line.indexOf(';');
    if (paramPos > valuePos && valuePos !== -1) paramPos = -1;
    const name = line.slice(0, paramPos === -1 ? Math.max(0, valuePos) : paramPos).toLowerCase();
    const joined = physical.join('\r\n');
    if (paramPos === -1 && name === 'begin') {
      const component: RawComponent = {
        name: line.slice(valuePos + 1).toLowerCase(),
        begin: joined,
        end: '',
        properties: [],
        components: [],
      };
      (stack.at(-1)?.components ?? roots).push(component);
      stack.push(component);
    } else if (paramPos === -1 && name === 'end') {
      const closed = stack.pop();
      if (closed !== undefined) closed.end = joined;
    } else {
      stack.at(-1)?.properties.push({ name, text: joined });
    }
  }
  return roots;
}

/** Remembers the source text of every line of `jcal`, where the two trees agree. */
function attach(jcal: JComponent, raw: RawComponent): void {
  if (jcal[0] !== raw.name || jcal[2].length !== raw.components.length) return;
  rawComponents.set(jcal, { begin: raw.begin, end: raw.end });
  const sameProperties =
    jcal[1].length === raw.properties.length && jcal[1].every((p, i) => p[0] === raw.properties[i]?.name);
  if (sameProperties) {
    jcal[1].forEach((property, i) => {
      const text = raw.properties[i]?.text;
      if (text !== undefined) rawProperties.set(property, { text, json: JSON.stringify(property) });
    });
  }
  jcal[2].forEach((child, i) => {
    const rawChild = raw.components[i];
    if (rawChild !== undefined) attach(child, rawChild);
  });
}

/**
 * Parses ICS text into a jCal VCALENDAR that remembers the source text of each line:
 * {@link writeDocument} writes untouched lines back byte for byte (only line endings become
 * CRLF). Unreadable text is `bad-data`. Never throws.
 *
 * Why not `ICAL.Component#toString()`: on the collective/icalendar fixtures it rewrites
 * untouched lines in most files. It re-folds lines at 75 characters where the source folded
 * elsewhere; drops quotes around parameter values (`CN="Ann"` → `CN=Ann`,
 * `TZID="Western/Central Europe"`); drops `VALUE=` of the default type (`VALUE=DATE-TIME`)
 * and moves other `VALUE=` to the end of the parameters; escapes commas in TEXT values
 * (`LOCATION:aka bild, wien` → `aka bild\, wien`); turns a literal `\n` in a quoted
 * parameter into RFC 6868 `^n` and doubles stray `^` (X-APPLE-STRUCTURED-LOCATION, changing
 * its meaning); rewrites numbers (`GEO:38.90` → `38.9`); and garbles backslash-escaped
 * parameter values. With this layer, 104 of the 105 readable fixture calendars round-trip
 * byte for byte; the other holds two VCALENDARs, of which only the first is kept.
 */
export function readDocument(ics: string): DocumentResult {
  const parsed = parseCalendar(ics);
  if (!parsed.ok) return parsed;
  const calendar = parsed.calendar.jCal as JComponent;
  try {
    const text = ics.charCodeAt(0) === 0xfeff ? ics.slice(1) : ics;
    const raw = rawTree(text).find((component) => component.name === 'vcalendar');
    if (raw !== undefined) attach(calendar, raw);
  } catch (cause) {
    return failData('The calendar data cannot be read.', cause);
  }
  return { ok: true, calendar };
}

/** The text of one property: its source text when unchanged, else ical.js's serialization. */
export function propertyText(property: JProperty): string {
  const raw = rawProperties.get(property);
  if (raw !== undefined && raw.json === JSON.stringify(property)) return raw.text;
  return ICAL.stringify.property(property, ICAL.design.icalendar, false);
}

function writeComponent(component: JComponent, out: string[]): void {
  const raw = rawComponents.get(component);
  const name = component[0].toUpperCase();
  out.push(raw?.begin ?? `BEGIN:${name}`);
  for (const property of component[1]) out.push(propertyText(property));
  for (const child of component[2]) writeComponent(child, out);
  out.push(raw?.end || `END:${name}`);
}

/**
 * Serializes a jCal component to ICS text with CRLF line endings. Unchanged lines keep their
 * source text (folding, parameter quoting, escaping); new or changed ones are written by
 * ical.js and folded at 75 octets. Properties come before subcomponents.
 */
export function writeDocument(calendar: JComponent): string {
  const out: string[] = [];
  writeComponent(calendar, out);
  return `${out.join('\r\n')}\r\n`;
}

/** A deep copy of a jCal tree whose untouched lines still write as their source text. */
export function cloneComponent(component: JComponent): JComponent {
  const copy = structuredClone(component);
  const link = (from: JComponent, to: JComponent): void => {
    const raw = rawComponents.get(from);
    if (raw !== undefined) rawComponents.set(to, raw);
    from[1].forEach((property, i) => {
      const rawProperty = rawProperties.get(property);
      const target = to[1][i];
      if (rawProperty !== undefined && target !== undefined) rawProperties.set(target, rawProperty);
    });
    from[2].forEach((child, i) => {
      const target = to[2][i];
      if (target !== undefined) link(child, target);
    });
  };
  link(component, copy);
  return copy;
}

/** A copy of one property that still writes as its source text while unchanged. */
export function cloneProperty(property: JProperty): JProperty {
  const copy = structuredClone(property);
  const raw = rawProperties.get(property);
  if (raw !== undefined) rawProperties.set(copy, raw);
  return copy;
}
