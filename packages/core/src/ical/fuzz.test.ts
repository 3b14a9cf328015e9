import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../../../test/helpers/prng.ts';
import { CalsyncError } from '../api/errors.ts';
import { toObjectRecord } from '../model/object-record.ts';
import { expandObject } from './expand/expand.ts';
import { indexObject } from './read/index-object.ts';
import { prepareObject } from './read/prepare.ts';

// Fuzzing (issue 11's fault matrix): every fixture calendar, mutated the ways broken
// exporters and transports mangle files — lines lost, repeated or swapped, a cut-off
// end, a stray character (control characters included), a stray BEGIN/END, a digit changed
// in a date — is either indexed or reported as bad-data; nothing throws, nothing hangs, and
// what indexes also expands. Seeded, so a failure names a reproducible case.

const root = new URL('../../../../test/fixtures/ics/', import.meta.url).pathname;
const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ics'))
  .sort();
const MUTANTS_PER_FILE = 6;

type Mutation = (lines: string[], random: () => number) => string[];
const at = (lines: readonly string[], random: () => number) => Math.floor(random() * Math.max(1, lines.length));
const MUTATIONS: Record<string, Mutation> = {
  'drop a line': (lines, r) => lines.filter((_, i) => i !== at(lines, r)),
  'repeat a line': (lines, r) => {
    const i = at(lines, r);
    return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)];
  },
  'swap two lines': (lines, r) => {
    const out = [...lines];
    const [i, j] = [at(lines, r), at(lines, r)];
    [out[i], out[j]] = [out[j] ?? '', out[i] ?? ''];
    return out;
  },
  'cut off the end': (lines, r) => {
    const text = lines.join('\r\n');
    return text.slice(0, Math.floor(r() * text.length)).split('\r\n');
  },
  'a stray character': (lines, r) => {
    const i = at(lines, r);
    const line = lines[i] ?? '';
    const pos = Math.floor(r() * (line.length + 1));
    const ch = String.fromCharCode(Math.floor(r() * 128));
    return [...lines.slice(0, i), line.slice(0, pos) + ch + line.slice(pos), ...lines.slice(i + 1)];
  },
  'a stray BEGIN or END': (lines, r) => {
    const i = at(lines, r);
    const stray =
      ['BEGIN:VEVENT', 'END:VEVENT', 'BEGIN:VCALENDAR', 'END:VTIMEZONE', 'BEGIN:DAYLIGHT'][Math.floor(r() * 5)] ?? '';
    return [...lines.slice(0, i), stray, ...lines.slice(i)];
  },
  'a digit changed in a date': (lines, r) => {
    const dated = lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => /^(DTSTART|DTEND|RRULE|EXDATE|RDATE|RECURRENCE-ID|DUE)/.test(l));
    const [line, i] = dated[Math.floor(r() * dated.length)] ?? ['', -1];
    if (i < 0) return lines;
    const digits = [...line.matchAll(/\d/g)];
    const d = digits[Math.floor(r() * digits.length)];
    if (!d || d.index === undefined) return lines;
    const changed = line.slice(0, d.index) + String(Math.floor(r() * 10)) + line.slice(d.index + 1);
    return [...lines.slice(0, i), changed, ...lines.slice(i + 1)];
  },
};

describe('mutated fixture calendars', () => {
  it.each(files)('%s: every mutant is indexed or bad-data, and expands', (name) => {
    const original = readFileSync(join(root, name), 'utf8').split(/\r?\n/);
    const random = prng(name.length * 7919 + original.length);
    const kinds = Object.entries(MUTATIONS);
    for (let m = 0; m < MUTANTS_PER_FILE; m++) {
      const [kind, mutate] = kinds[Math.floor(random() * kinds.length)] as [string, Mutation];
      const ics = mutate(original, random).join('\r\n');
      const started = performance.now();
      const label = `${name} mutant ${m} (${kind})`;
      const result = indexObject(ics);
      if (result.ok) {
        const prepared = prepareObject(ics);
        expect(prepared.ok, label).toBe(true);
        expect(() => expandObject(prepared, Date.UTC(2025, 0, 1), Date.UTC(2027, 0, 1)), label).not.toThrow();
      } else {
        expect(result.error, label).toBeInstanceOf(CalsyncError);
        expect(result.error.code, label).toBe('bad-data');
      }
      // Stored either way: flagged, never thrown away.
      const record = toObjectRecord('c', `https://dav.example/c/${m}.ics`, '"1"', ics);
      expect(record.ics, label).toBe(ics);
      expect(record.state, label).toBe(result.ok ? 'ok' : 'bad');
      expect(performance.now() - started, label).toBeLessThan(3_000);
    }
  });
});
