/**
 * Child-process entry of `zone-guard.test.ts`: runs the named cases of
 * `zone-guard-cases.ts` one after another and writes one JSON line when each starts and
 * ends, so that the test can tell which case hung when it has to kill this process.
 */
import { ZONE_GUARD_CASES } from './zone-guard-cases.ts';

for (const name of process.argv.slice(2)) {
  process.stdout.write(`${JSON.stringify({ start: name })}\n`);
  const run = ZONE_GUARD_CASES[name];
  const started = performance.now();
  const observed = run === undefined ? { unknownCase: true } : run();
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify({ done: name, ms, observed })}\n`);
}
