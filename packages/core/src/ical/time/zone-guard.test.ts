import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { utc } from '../test-ics.ts';
import { type Observed, ZONE_GUARD_CASES } from './zone-guard-cases.ts';

/*
 * Time-zone rules that used to make ical.js expand a zone for seconds or forever (see
 * zone-guard-cases.ts). Vitest cannot interrupt synchronous code, so a regression run in
 * this process would hang the whole test run rather than fail. The cases therefore run in
 * a child process (zone-guard-probe.ts, loaded through tsx), with a small heap so that a
 * runaway expansion dies of memory quickly. The probe reports each case as it starts and
 * ends; when one takes longer than CASE_TIMEOUT_MS it is killed, that case fails as hung
 * and the cases after it fail as not run — a few seconds, not a hang.
 */

/** Longest a case may run before the probe is killed (each takes < 0.6 s). */
const CASE_TIMEOUT_MS = 10_000;
/** Longest a case may take and pass: generous for a loaded machine. */
const CASE_MAX_MS = 3_000;

const NAMES = Object.keys(ZONE_GUARD_CASES);
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PROBE = fileURLToPath(new URL('./zone-guard-probe.ts', import.meta.url));

interface ProbeRun {
  results: Map<string, { ms: number; observed: Observed }>;
  /** The case running when the probe was killed or died. */
  stuck: string | undefined;
  exit: string;
  stderr: string;
}

function runProbe(names: string[]): Promise<ProbeRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', '--import', TSX, PROBE, ...names], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const results: ProbeRun['results'] = new Map();
    let stuck: string | undefined;
    let pending = '';
    let stderr = '';
    let killed = false;
    const kill = (): void => {
      killed = true;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(kill, CASE_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const message = JSON.parse(pending.slice(0, end)) as {
          start?: string;
          done?: string;
          ms: number;
          observed: Observed;
        };
        pending = pending.slice(end + 1);
        if (message.start !== undefined) {
          stuck = message.start;
          clearTimeout(timer);
          timer = setTimeout(kill, CASE_TIMEOUT_MS);
        } else if (message.done !== undefined) {
          results.set(message.done, { ms: message.ms, observed: message.observed });
          stuck = undefined;
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exit = killed ? `killed after ${CASE_TIMEOUT_MS} ms` : `exit ${code ?? signal}`;
      resolve({ results, stuck, exit, stderr });
    });
  });
}

/** Tuesday 10 March 2026, 09:00 read as floating (UTC), and in Berlin (UTC+1). */
const FLOATING = utc(2026, 3, 10, 9);
const UTC_PLUS_1 = utc(2026, 3, 10, 8);

/** A refused zone whose TZID is no known name: the event is read as floating, and flagged. */
const REFUSED: Observed = {
  index: { start: FLOATING, timezone: null, unresolved: true },
  occurrences: 10,
  firstStart: FLOATING,
  edited: true,
  editedStart: 'DTSTART;TZID=Bad/Zone:20260310T110000',
  zoneKept: true,
};

const EXPECTED: Readonly<Record<string, Observed>> = {
  'FREQ=SECONDLY': REFUSED,
  'FREQ=MINUTELY': REFUSED,
  'FREQ=HOURLY': REFUSED,
  'FREQ=DAILY': REFUSED,
  'FREQ=DAILY;INTERVAL=0': REFUSED,
  'FREQ=YEARLY with every month, day and hour': REFUSED,
  'a day that never occurs (31 April)': REFUSED,
  'BYSETPOS=9': REFUSED,
  'an observance from year 1': REFUSED,
  'an observance from year 9999': REFUSED,
  '5,000 RDATE lines': REFUSED,
  'one RDATE line with 100,000 values': REFUSED,
  '1,000 observances with rules': REFUSED,
  '60 open-ended rules from 1601': REFUSED,
  'FREQ=YEARLY;INTERVAL=0': {
    ...REFUSED,
    index: { start: UTC_PLUS_1, timezone: 'Bad/Zone', unresolved: false },
    firstStart: UTC_PLUS_1,
  },
  'FREQ=MINUTELY under a Windows zone name': {
    ...REFUSED,
    index: { start: UTC_PLUS_1, timezone: 'Europe/Berlin', unresolved: false },
    firstStart: UTC_PLUS_1,
    editedStart: 'DTSTART;TZID=W. Europe Standard Time:20260310T110000',
  },
  'a refused Europe/Berlin does not affect other objects': {
    broken: { start: UTC_PLUS_1, timezone: 'Europe/Berlin', unresolved: false },
    own: utc(2026, 3, 10, 6),
    plain: UTC_PLUS_1,
    registeredMinutely: false,
  },
  '200 RDATEs from 3000 to 4194 in Europe/Berlin': { indexed: true, last: utc(4194, 1, 1, 9) },
  'DTSTART in 9999 in Europe/Berlin': { start: utc(9999, 7, 1, 8) },
  'a yearly Europe/Berlin series expanded to 3000': { count: 974, last: utc(2999, 7, 1, 8) },
  'an offset asked for the year NaN': { offset: 0 },
  'a rule turned SECONDLY after the check': { built: true, offset: 3600, far: 3600, withinBudget: true },
};

describe('time zones that used to hang ical.js (run in a child process)', () => {
  let run: ProbeRun;

  beforeAll(async () => {
    run = await runProbe(NAMES);
  }, 60_000);

  it('has an expected outcome for every case', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('%s: returns promptly with the defined outcome', (name) => {
    const result = run.results.get(name);
    if (result === undefined) {
      const why = run.stuck === name ? 'hung or crashed' : `did not run (the probe stopped at "${run.stuck}")`;
      throw new Error(`${name} ${why}: ${run.exit}\n${run.stderr.slice(0, 2_000)}`);
    }
    expect(result.observed).toEqual(EXPECTED[name]);
    expect(result.ms).toBeLessThan(CASE_MAX_MS);
  });
});
