/**
 * RRULE values for the differential test's reference (RFC 5545 §3.3.10): an rrule.js `RRule`
 * on a wall clock, with UNTIL converted to that clock.
 *
 * Test-only: part of the independent implementation `differential.test.ts` compares calsync
 * with; it must never import calsync's own ical code, and nothing but that test imports it.
 */
import { RRule } from 'rrule';
import { fail, parseValue, type Value } from './values.ts';

// ---------------------------------------------------------------------------------------------
// Rules (§3.3.10)

/** RRULE parts rrule.js accepts. Others (RFC 7529 RSCALE/SKIP …) make the rule unsupported. */
const RRULE_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'WKST',
  'BYSETPOS',
  'BYMONTH',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
]);

/** An RRule on the wall clock from `dtstartWall`; `untilWall` converts UNTIL to that clock. */
export function buildRule(text: string, dtstartWall: number, untilWall: (until: Value) => number): RRule {
  const kept: string[] = [];
  let until: number | undefined;
  for (const part of text.split(';')) {
    if (part.trim() === '') continue; // a trailing ';' (tests/events/issue_157…)
    const [key = '', value = ''] = part.split('=');
    const name = key.trim().toUpperCase();
    if (name === 'UNTIL') {
      until = untilWall(parseValue(value, undefined, 'UNTIL'));
    } else if (RRULE_PARTS.has(name)) {
      kept.push(`${name}=${value.trim()}`);
    } else {
      fail(`RRULE part ${name} is not supported by the reference`);
    }
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(kept.join(';'));
  } catch (cause) {
    fail(`RRULE rejected by rrule.js: ${(cause as Error).message}`);
  }
  if (options.freq === undefined) fail('RRULE without FREQ');
  const rule = new RRule({
    ...options,
    dtstart: new Date(dtstartWall),
    until: until === undefined ? null : new Date(until),
  });
  return rule;
}
