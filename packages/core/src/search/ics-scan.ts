/**
 * A small, strict line scanner that reads the searchable texts of one stored object straight
 * from its ICS, without ical.js (a full parse costs far more than search needs, ×20,000 on
 * start). It reads RFC 5545 content lines (§3.1: unfolding, quoted parameter values, RFC 6868
 * `^` escapes in parameters, §3.3.11 text escapes) of every VEVENT, VTODO and VJOURNAL —
 * the master and its RECURRENCE-ID overrides alike; nested components (VALARM: its
 * DESCRIPTION is a reminder text, its ATTENDEEs mail recipients) are skipped.
 *
 * Hostile input is bounded, never thrown on: text per field is capped (see {@link TEXT_CAPS},
 * 64 Ki UTF-16 units per object in all), so are unfolded lines ({@link MAX_LINE}) and component
 * nesting; lines that are not content lines (binary junk, an unclosed quote) are skipped, and
 * scanning stops once every field is full.
 */

/** The texts found, per field, unescaped, each value once, in file order. */
export interface ScannedTexts {
  readonly summaries: readonly string[];
  readonly locations: readonly string[];
  readonly descriptions: readonly string[];
  /** CN of ORGANIZER and ATTENDEE properties (names only; addresses are not searched). */
  readonly attendees: readonly string[];
  /** CATEGORIES values, one per category. */
  readonly categories: readonly string[];
}

/**
 * UTF-16 units of text kept per field and object, a separator counted per value (64 Ki in
 * all). Descriptions get most; a value that does not fit is cut, later ones dropped.
 */
export const TEXT_CAPS = {
  summaries: 4_096,
  locations: 4_096,
  categories: 4_096,
  attendees: 16_384,
  descriptions: 36_864,
} as const satisfies Record<keyof ScannedTexts, number>;

/** An unfolded line is cut to this many UTF-16 units (a cut value still fits its field's cap). */
export const MAX_LINE = 65_536;
/** Components nested deeper than this are skipped whole. */
const MAX_DEPTH = 32;
const ITEMS: ReadonlySet<string> = new Set(['VEVENT', 'VTODO', 'VJOURNAL']);
const FIELD_OF: Readonly<Record<string, keyof ScannedTexts>> = {
  SUMMARY: 'summaries',
  LOCATION: 'locations',
  DESCRIPTION: 'descriptions',
  ATTENDEE: 'attendees',
  ORGANIZER: 'attendees',
  CATEGORIES: 'categories',
};
/** Names of the lines read. */
const NAMES: ReadonlySet<string> = new Set(['BEGIN', 'END', ...Object.keys(FIELD_OF)]);
/** Longest name worth reading: a line whose name is longer is none of ours. */
const MAX_NAME = 'DESCRIPTION'.length;

/** Reads the searchable texts of `ics` (any text: never throws). */
export function scanTexts(ics: string): ScannedTexts {
  const state: ScanState = { texts: new Texts(), stack: [], overflow: 0 };
  const texts = state.texts;
  let parts: string[] | undefined;
  let length = 0;
  let pos = 0;
  while (pos < ics.length && !texts.full()) {
    const newline = ics.indexOf('\n', pos);
    const next = newline === -1 ? ics.length : newline + 1;
    const end =
      newline === -1 ? ics.length : newline > pos && ics.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    const first = ics.charCodeAt(pos);
    if (first === 32 || first === 9) {
      // A continuation (§3.1): its first character is the fold, the rest joins the line.
      if (parts !== undefined && length < MAX_LINE) {
        const piece = ics.slice(pos + 1, Math.min(end, pos + 1 + MAX_LINE - length));
        parts.push(piece);
        length += piece.length;
      }
    } else {
      if (parts !== undefined) handle(state, parts.join(''));
      parts = undefined;
      if (wanted(ics, pos, end)) {
        const piece = ics.slice(pos, Math.min(end, pos + MAX_LINE));
        parts = [piece];
        length = piece.length;
      }
    }
    pos = next;
  }
  if (parts !== undefined && !texts.full()) handle(state, parts.join(''));
  return texts.result();
}

interface ScanState {
  readonly texts: Texts;
  /** Open components, upper-cased names. */
  readonly stack: string[];
  /** Components opened beyond MAX_DEPTH, closed by END lines before the stack is popped. */
  overflow: number;
}

/** One unfolded line: a component opens or closes, or a property of an item is read. */
function handle(state: ScanState, line: string): void {
  const parsed = parseLine(line);
  if (parsed === undefined) return;
  const { name } = parsed;
  const { stack } = state;
  if (name === 'BEGIN') {
    if (stack.length < MAX_DEPTH && state.overflow === 0) stack.push(parsed.value.toUpperCase());
    else state.overflow++;
  } else if (name === 'END') {
    if (state.overflow > 0) state.overflow--;
    else {
      const at = stack.lastIndexOf(parsed.value.toUpperCase());
      if (at >= 0) stack.length = at;
    }
  } else if (state.overflow === 0 && ITEMS.has(stack[stack.length - 1] ?? '')) {
    collect(state.texts, name, parsed);
  }
}

/**
 * Whether the line starting at `start` may be one we read: BEGIN, END or a property of
 * FIELD_OF. A name cut by a fold (no delimiter on this physical line) is kept, to be decided
 * once unfolded.
 */
function wanted(ics: string, start: number, end: number): boolean {
  const stop = Math.min(end, start + MAX_NAME + 1);
  for (let i = start; i < stop; i++) {
    const c = ics.charCodeAt(i);
    if (c === 58 || c === 59) {
      const name = ics.slice(start, i);
      return NAMES.has(name) || NAMES.has(name.toUpperCase());
    }
  }
  return stop === end;
}

interface ContentLine {
  /** Upper-cased property name. */
  readonly name: string;
  /** CN parameter (the last one, as ical.js reads it), decoded. */
  readonly cn: string | undefined;
  /** The raw value, escapes still in. */
  readonly value: string;
}

/** One unfolded content line (§3.1), or `undefined` when it is not one. */
function parseLine(line: string): ContentLine | undefined {
  let i = 0;
  while (i < line.length && line[i] !== ';' && line[i] !== ':') i++;
  if (i === 0 || i === line.length) return undefined;
  const name = line.slice(0, i).toUpperCase();
  let cn: string | undefined;
  while (line[i] === ';') {
    let equals = i + 1;
    while (equals < line.length && line[equals] !== '=' && line[equals] !== ';' && line[equals] !== ':') equals++;
    if (line[equals] !== '=') {
      // A bare word where a parameter should be (`CN=Society\; 2014:…`): skipped, as ical.js does.
      i = equals;
      continue;
    }
    const param = line.slice(i + 1, equals).toUpperCase();
    // A parameter value is a list of quoted strings and bare runs ("a","b" or Doe, Jane):
    // kept as written, quotes removed, up to the next unquoted ';' or ':'.
    let value = '';
    i = equals + 1;
    while (i < line.length && line[i] !== ';' && line[i] !== ':') {
      if (line[i] === '"') {
        const close = line.indexOf('"', i + 1);
        if (close === -1) return undefined;
        value += line.slice(i + 1, close);
        i = close + 1;
      } else {
        const start = i;
        while (i < line.length && line[i] !== ';' && line[i] !== ':' && line[i] !== '"') i++;
        value += line.slice(start, i);
      }
    }
    // Backslash escapes are not RFC 5545 in parameters, but exporters write them (`CN=Doe\, J`)
    // and ical.js reads them as TEXT escapes: so does search.
    if (param === 'CN') cn = unescapeText(decodeParameter(value));
  }
  if (line[i] !== ':') return undefined;
  return { name, cn, value: line.slice(i + 1) };
}

/** RFC 6868: `^n` newline, `^'` double quote, `^^` caret. */
function decodeParameter(value: string): string {
  if (!value.includes('^')) return value;
  return value.replace(/\^['n^]/g, (pair) => (pair === '^n' ? '\n' : pair === "^'" ? '"' : '^'));
}

/** §3.3.11 TEXT: `\\ \; \, \n \N`; any other backslash stays as written (as ical.js keeps it). */
function unescapeText(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits a TEXT list on commas not escaped by a backslash, then unescapes each value. */
function splitList(value: string): string[] {
  const values: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === ',') {
      values.push(unescapeText(value.slice(start, i)));
      start = i + 1;
    }
  }
  values.push(unescapeText(value.slice(start)));
  return values;
}

function collect(texts: Texts, name: string, line: ContentLine): void {
  const field = FIELD_OF[name];
  if (field === undefined) return;
  if (field === 'attendees') {
    if (line.cn !== undefined) texts.add(field, line.cn);
  } else if (field === 'categories') {
    for (const category of splitList(line.value)) texts.add(field, category);
  } else {
    texts.add(field, unescapeText(line.value));
  }
}

/** The values collected so far, each field within its cap. */
class Texts {
  readonly #values = {
    summaries: new Set<string>(),
    locations: new Set<string>(),
    descriptions: new Set<string>(),
    attendees: new Set<string>(),
    categories: new Set<string>(),
  };
  readonly #left: Record<keyof ScannedTexts, number> = { ...TEXT_CAPS };
  #open = Object.keys(TEXT_CAPS).length;

  add(field: keyof ScannedTexts, value: string): void {
    const left = this.#left[field];
    const values = this.#values[field];
    if (left <= 0 || value.trim() === '' || values.has(value)) return;
    const kept = value.length > left ? value.slice(0, left) : value;
    values.add(kept);
    this.#left[field] = left - kept.length - 1;
    if (this.#left[field] <= 0) this.#open--;
  }

  full(): boolean {
    return this.#open === 0;
  }

  result(): ScannedTexts {
    const v = this.#values;
    return {
      summaries: [...v.summaries],
      locations: [...v.locations],
      descriptions: [...v.descriptions],
      attendees: [...v.attendees],
      categories: [...v.categories],
    };
  }
}
