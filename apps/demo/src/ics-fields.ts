/**
 * A tiny, forgiving iCalendar reader for showing conflict versions side by side. It reads
 * the few properties a person compares (title, times, place, notes, repeat rule) of one
 * VEVENT; everything else is ignored. The SDK does the real parsing.
 */

/** A DTSTART/DTEND value: `date` for all-day values, `tzid` when given, `utc` for `…Z`. */
export interface IcsTime {
  readonly value: string;
  readonly date: boolean;
  readonly utc: boolean;
  readonly tzid?: string;
}

/** The readable fields of a VEVENT. */
export interface IcsEventFields {
  readonly summary?: string;
  readonly start?: IcsTime;
  readonly end?: IcsTime;
  readonly location?: string;
  readonly description?: string;
  readonly rrule?: string;
}

interface ParsedEvent {
  readonly fields: { -readonly [K in keyof IcsEventFields]: IcsEventFields[K] };
  override: boolean;
}

interface ContentLine {
  readonly name: string;
  readonly params: ReadonlyMap<string, string>;
  readonly value: string;
}

/** Joins folded lines: a line starting with a space or tab continues the previous one. */
export function unfoldLines(ics: string): string[] {
  const lines: string[] = [];
  for (const raw of ics.split(/\r\n|\n|\r/)) {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && lines.length > 0) {
      lines[lines.length - 1] += raw.slice(1);
    } else if (raw !== '') {
      lines.push(raw);
    }
  }
  return lines;
}

/** Splits `NAME;PARAM=x;PARAM="a:b":value` at the first colon outside quotes. */
function parseLine(line: string): ContentLine | undefined {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return undefined;
  const [name = '', ...rawParams] = line.slice(0, colon).split(';');
  const params = new Map<string, string>();
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    if (eq > 0) params.set(param.slice(0, eq).toUpperCase(), param.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  return { name: name.toUpperCase(), params, value: line.slice(colon + 1) };
}

function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}

function timeOf(line: ContentLine): IcsTime {
  const tzid = line.params.get('TZID');
  const date = line.params.get('VALUE') === 'DATE' || /^\d{8}$/.test(line.value);
  return { value: line.value, date, utc: line.value.endsWith('Z'), ...(tzid === undefined ? {} : { tzid }) };
}

/**
 * Reads the main VEVENT of an ICS text (the one without RECURRENCE-ID, else the first).
 * Properties of nested components (VALARM) and of VTIMEZONE are not mixed in.
 * Returns `undefined` when there is no VEVENT.
 */
export function readEventFields(ics: string): IcsEventFields | undefined {
  const events: ParsedEvent[] = [];
  const stack: string[] = [];
  let current: ParsedEvent | undefined;
  for (const raw of unfoldLines(ics)) {
    const line = parseLine(raw);
    if (!line) continue;
    if (line.name === 'BEGIN') {
      stack.push(line.value.toUpperCase());
      if (stack.at(-1) === 'VEVENT') current = { fields: {}, override: false };
      continue;
    }
    if (line.name === 'END') {
      if (stack.pop() === 'VEVENT' && current) {
        events.push(current);
        current = undefined;
      }
      continue;
    }
    if (!current || stack.at(-1) !== 'VEVENT') continue;
    switch (line.name) {
      case 'SUMMARY':
        current.fields.summary = unescapeText(line.value);
        break;
      case 'LOCATION':
        current.fields.location = unescapeText(line.value);
        break;
      case 'DESCRIPTION':
        current.fields.description = unescapeText(line.value);
        break;
      case 'DTSTART':
        current.fields.start = timeOf(line);
        break;
      case 'DTEND':
        current.fields.end = timeOf(line);
        break;
      case 'RRULE':
        current.fields.rrule = line.value;
        break;
      case 'RECURRENCE-ID':
        current.override = true;
        break;
    }
  }
  const main = events.find((e) => !e.override) ?? events[0];
  return main?.fields;
}

function digits(value: string): number[] {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?/.exec(value);
  return m ? m.slice(1).map((d) => Number(d ?? 0)) : [];
}

/**
 * A DTSTART/DTEND in words: UTC times in the browser's zone, zoned times as written with
 * their zone, all-day dates as dates. All-day ends are exclusive in iCalendar; with
 * `end: true` the last day is shown, as the event form does.
 */
export function formatIcsTime(time: IcsTime, options: { end?: boolean } = {}): string {
  const [y, mo, d, h = 0, mi = 0, s = 0] = digits(time.value);
  if (y === undefined || mo === undefined || d === undefined) return time.value;
  if (time.date) {
    const day = new Date(Date.UTC(y, mo - 1, d - (options.end ? 1 : 0)));
    const text = day.toLocaleDateString(undefined, { timeZone: 'UTC', dateStyle: 'full' });
    return options.end ? `${text} (last day)` : `${text} (all day)`;
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (time.utc) return new Date(ms).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });
  const text = new Date(ms).toLocaleString(undefined, { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'short' });
  return time.tzid ? `${text} (${time.tzid})` : text;
}
