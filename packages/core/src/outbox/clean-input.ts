import { CalsyncError } from '../api/errors.ts';
import type { EventInput, EventPatch } from '../api/types.ts';

/**
 * Characters neither iCalendar TEXT (RFC 5545 §3.3.11: no CONTROL but TAB) nor XML 1.0
 * (in which servers hand objects back) can carry: C0 controls but TAB/LF/CR, DEL,
 * U+FFFE/U+FFFF and unpaired surrogates. One such character pushed to a server makes
 * every later answer listing that object unparseable — on every device.
 */
// With the `u` flag a surrogate pair is one code point: the range matches only unpaired ones.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNCARRIABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/**
 * User text made writable: line breaks become `\n` (CRLF and lone CR alike; ical.js
 * escapes them), and characters no calendar can carry are removed. Text pasted from a PDF
 * or a terminal (`\u000b`, `\u0001`, …) is kept otherwise as typed.
 */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNCARRIABLE, '');
}

/** The free-text fields of an event, cleaned (see {@link cleanText}); UIDs must already be clean. */
export function cleanEventInput<T extends EventInput | EventPatch>(input: T): T {
  const out: T = { ...input };
  for (const key of ['summary', 'location', 'description'] as const) {
    const value = input[key];
    if (typeof value === 'string') (out as Record<string, unknown>)[key] = cleanText(value);
  }
  if ('uid' in input && typeof input.uid === 'string') assertCarriable(input.uid, 'The UID');
  return out;
}

/**
 * Refuses ICS a server could not hand back as XML (see {@link UNCARRIABLE}, plus a CR that
 * ends no line). Every local write passes here before anything is stored or queued.
 */
export function assertWritableIcs(ics: string): void {
  assertCarriable(ics, 'The event');
  if (/\r(?!\n)/.test(ics)) {
    throw new CalsyncError('invalid-input', 'The event holds a carriage return that ends no line.', {
      retryable: false,
    });
  }
}

function assertCarriable(text: string, what: string): void {
  UNCARRIABLE.lastIndex = 0;
  const match = UNCARRIABLE.exec(text);
  if (match === null) return;
  const code = match[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
  throw new CalsyncError('invalid-input', `${what} holds a character calendars cannot store (U+${code}).`, {
    retryable: false,
  });
}
