import ICAL from 'ical.js';
import { failInput, type Result } from '../result.ts';

/** Rule parts of RFC 5545 3.3.10; anything else is refused rather than silently dropped by ical.js. */
const RULE_PARTS: ReadonlySet<string> = new Set([
  'FREQ',
  'UNTIL',
  'COUNT',
  'INTERVAL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);

/**
 * Reads RRULE text (an optional `RRULE:` prefix is allowed) into an ical.js rule, checking
 * what ical.js lets through: a missing or unknown FREQ, unknown or repeated parts, a COUNT
 * or INTERVAL that is not a positive integer, COUNT together with UNTIL. When `anchor` (the
 * DTSTART) is given, the rule must also accept it as a start, which is where ical.js checks
 * some BY parts. Fails with `invalid-input` instead of throwing.
 */
export function parseRuleText(text: unknown, anchor?: ICAL.Time): Result<{ rule: ICAL.Recur }> {
  if (typeof text !== 'string') return failInput('rrule must be a string.');
  const body = text.trim().replace(/^RRULE:/i, '');
  const seen = new Set<string>();
  for (const part of body.split(';')) {
    if (part === '') continue;
    const [key = '', value, ...rest] = part.split('=');
    const name = key.toUpperCase();
    if (!RULE_PARTS.has(name) || value === undefined || value === '' || rest.length > 0) {
      return failInput(`rrule has an invalid part "${part}".`);
    }
    if (seen.has(name)) return failInput(`rrule repeats ${name}.`);
    seen.add(name);
    if ((name === 'COUNT' || name === 'INTERVAL') && !/^0*[1-9]\d{0,8}$/.test(value)) {
      return failInput(`rrule ${name} must be a positive integer.`);
    }
  }
  if (!seen.has('FREQ')) return failInput('rrule needs a FREQ.');
  if (seen.has('COUNT') && seen.has('UNTIL')) return failInput('rrule cannot have both COUNT and UNTIL.');
  try {
    const rule = ICAL.Recur.fromString(body);
    if (rule.freq === null || rule.freq === undefined) return failInput('rrule needs a FREQ.');
    if (anchor !== undefined) rule.iterator(anchor.clone());
    return { ok: true, rule };
  } catch (cause) {
    return failInput(`rrule is invalid: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** The jCal value of a rule, as ical.js stores it in an RRULE property. */
export function ruleJcal(rule: ICAL.Recur): unknown {
  const property = new ICAL.Property('rrule');
  property.setValue(rule);
  return property.jCal[3];
}
