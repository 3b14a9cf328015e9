/**
 * Content lines of iCalendar text walked in place, for the plain-event scanner
 * (plain-index.ts): logical lines unfolded as ical.js's `_eachLine` unfolds them, without
 * splitting the text into an array of lines or making substrings of lines nobody reads.
 */

/** One content line: upper-cased name, raw parameter text (after the name), raw value. */
export interface Line {
  readonly name: string;
  readonly params: string;
  readonly value: string;
}

/** One unfolded line split into name, parameters and value; `undefined` without a name and colon. */
export function splitLine(line: string): Line | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const semicolon = line.indexOf(';');
  const nameEnd = semicolon >= 0 && semicolon < colon ? semicolon : colon;
  return {
    name: line.slice(0, nameEnd).toUpperCase(),
    params: line.slice(nameEnd, colon),
    value: line.slice(colon + 1),
  };
}

const LONE_CR = /\r(?!\n)/;

/** Whether every CR in `ics` ends a line (ical.js reads a lone CR otherwise). */
export function crsEndLines(ics: string): boolean {
  // One native pass: an indexOf per CR cost Chromium ~5 µs per object.
  return !LONE_CR.test(ics);
}

const SPACE = 32;
const TAB = 9;
const SEMICOLON = 59;

/**
 * Walks the content lines of `ics` once, as ical.js's `_eachLine` unfolds them, without
 * splitting the text: `line(from, to, unfolded)` gets each logical line's span in `ics`
 * (its line break excluded) and, only for a folded one, its unfolded text. Stops when
 * `line` answers false. A continuation at the very start is read as a line of its own
 * (ical.js fails on it; it is not BEGIN:VCALENDAR).
 */
export function eachLine(ics: string, line: (from: number, to: number, unfolded: string | undefined) => boolean): void {
  const length = ics.length;
  let from = 0;
  while (from < length) {
    let lineEnd = ics.indexOf('\n', from);
    if (lineEnd < 0) lineEnd = length;
    let next = lineEnd + 1;
    let parts: string[] | undefined;
    while (next < length && (ics.charCodeAt(next) === SPACE || ics.charCodeAt(next) === TAB)) {
      parts ??= [ics.slice(from, withoutCr(ics, from, lineEnd))];
      let end = ics.indexOf('\n', next);
      if (end < 0) end = length;
      parts.push(ics.slice(next + 1, withoutCr(ics, next + 1, end)));
      lineEnd = end;
      next = end + 1;
    }
    if (!line(from, withoutCr(ics, from, lineEnd), parts?.join(''))) return;
    from = next;
  }
}

/** The end of a line ending at `end` (its `\n`), without the CR before it. */
function withoutCr(ics: string, from: number, end: number): number {
  return end > from && ics.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/** A line the scanner has no use for (read no further than its name). */
export const SKIPPED: Line = { name: '', params: '', value: '' };

/** The upper-case names of the lines a reader wants, and the longest of them. */
export interface LineNames {
  readonly names: ReadonlySet<string>;
  readonly longest: number;
}

export function lineNames(names: readonly string[]): LineNames {
  return { names: new Set(names), longest: Math.max(0, ...names.map((name) => name.length)) };
}

/**
 * {@link splitLine} of the unfolded line `ics[from, to)`, or {@link SKIPPED} for a line
 * whose name is not wanted (its name only is looked at: no substrings are made of it).
 */
export function lineAt(ics: string, from: number, to: number, wanted: LineNames): Line | undefined {
  const colon = ics.indexOf(':', from);
  if (colon <= from || colon >= to) return undefined;
  let nameEnd = from;
  let lower = false;
  for (; nameEnd < colon; nameEnd++) {
    const c = ics.charCodeAt(nameEnd);
    if (c === SEMICOLON) break;
    if (c >= 97 && c <= 122) lower = true;
  }
  if (nameEnd - from > wanted.longest) return SKIPPED;
  const raw = ics.slice(from, nameEnd);
  const name = lower ? raw.toUpperCase() : raw;
  if (!wanted.names.has(name)) return SKIPPED;
  return { name, params: ics.slice(nameEnd, colon), value: ics.slice(colon + 1, to) };
}
