/**
 * Search figures (issue 12): the cost of the in-memory search index over a calendar of
 * `size` realistic objects — text extraction alone, a whole build (what a rebuild on start
 * costs), 200 typed queries, a patch of 10 changed rows, and the index's heap.
 *
 *   node_modules/.bin/tsx --conditions=source --expose-gc test/bench/search.ts [--size 20000]
 *
 * The data is generated here, not by seed-data.ts: that generator draws descriptions from ten
 * fixed lines and titles from 200 combinations, far too small a vocabulary to time prefix
 * lookups. This one has titles, locations, 20–60-word descriptions, attendees (some quoted
 * `CN="Doe, Jane"`), categories and recurring series with a renamed override, with diacritics
 * throughout; the ICS comes from the shared test builder. The search index is internal to
 * core, hence the import from its source.
 */
import type { ObjectRecord } from '../../packages/core/src/model/records.ts';
import { SearchIndex, type SearchIndexStats, searchableFields } from '../../packages/core/src/search/index.ts';
import { buildIcs, type OverrideSpec } from '../helpers/ics-builder.ts';
import { prng } from '../helpers/prng.ts';
import { type Figure, figure, type Percentiles, percentiles } from './stats.ts';

/** Figures of {@link benchSearch}; times in ms. */
export interface SearchBench {
  readonly size: number;
  /** `searchableFields` over every row (the ICS scan), median of the repetitions. */
  readonly extractMs: Figure;
  /** `setCalendar` of every row into a new index (extraction included). */
  readonly buildMs: Figure;
  /** One `search` each: 1–3 words, each a 1–6-letter prefix of a word of the data. */
  readonly queryMs: Percentiles;
  /** Hits per query: median and max. */
  readonly hits: { readonly median: number; readonly max: number };
  /** `patch` of 10 changed rows (new texts), one sample per repetition. */
  readonly patchMs: Figure;
  /** Heap held by one built index, MB (`undefined` without `--expose-gc`). */
  readonly heapMb: number | undefined;
  readonly stats: SearchIndexStats;
}

/** Options of {@link benchSearch}. */
export interface SearchBenchOptions {
  /** Builds and patches timed (default 5). */
  readonly reps?: number;
  /** Queries timed (default 200). */
  readonly queries?: number;
  readonly seed?: number;
}

const SUBJECTS = [
  'Design review',
  'Kundentermin',
  'Sprint planning',
  'Réunion d’équipe',
  'Interview',
  'Budget review',
  'Architecture sync',
  'Release retro',
  '1:1',
  'Board prep',
  'Security training',
  'Quarterly business review',
  'Onboarding session',
  'Incident post-mortem',
  'Roadmap workshop',
  'Mittagessen',
  'Café',
  'Zahnarzt',
  'Yoga',
  'Elternabend',
  'Friseur',
  'Physiotherapie',
  'Standup',
  'Übergabe',
  'Jour fixe',
  'Hackathon',
  'Offsite',
  'Steuerberater',
  'Kita-Abholung',
  'Dîner',
] as const;
const TOPICS = [
  'Nordwind GmbH',
  'the mobile app',
  'Q3 hiring',
  'Team München',
  'payments API v2',
  'Café Kranzler launch',
  'EMEA partners',
  'data retention policy',
  'CalDAV sync',
  'frontend guild',
  'Société Générale',
  'Zürich office',
  'Łódź plant',
  'Ærø ferry',
  'São Paulo rollout',
  'Kraków team',
  'Göteborg depot',
  'Straßenfest',
] as const;
const LOCATIONS = [
  'Room Ada',
  'Room Grace',
  'Zoom',
  'Google Meet',
  'Café Kranzler, Unter den Linden 25, Berlin',
  'Dr. Weber, Hauptstr. 12',
  '1 World Trade Center, 85th floor, New York',
  'Studio Mitte',
  'Board room; 3rd floor',
  'Müllerstraße 7, München',
  'Gare de Lyon',
  'Praxis Dr. Öztürk',
  'Rathaus Köln',
  'Teams',
] as const;
const PEOPLE = [
  'Jörg Müller',
  'Doe, Jane',
  'Zoë Çelik',
  'Łukasz Wójcik',
  'Søren Kierkegaard',
  'François Lefèvre',
  'Ana Núñez',
  'Chen Wei',
  'Dana Scully',
  'Emre Yıldız',
  'Farah Haddad',
  'Giulia Rossi',
  'Hiro Tanaka',
  'Ingrid Bergström',
  'José García',
  'Kai Schäfer',
  'Lena Vogel',
  'Mateusz Król',
  'Nadia Petrović',
  'Olivia Brown',
] as const;
const CATEGORIES = ['Work', 'Personal', 'Travel', 'Family', 'Arbeit', 'Privé', 'Gesundheit', 'Sport'] as const;
const WORDS = (
  'agenda status questions risks owners next steps please read document before meeting dial pin bring signed ' +
  'contract notes shared folder parking behind building entrance budget forecast quarter revenue hiring pipeline ' +
  'candidate feedback design mockups prototype release checklist deployment rollback monitoring alerts incident ' +
  'timeline customer escalation priority backlog grooming estimate velocity retro actions improvement workshop ' +
  'roadmap milestones dependencies vendor invoice approval travel booking hotel flight train tickets lunch dinner ' +
  'Besprechung Protokoll Zusammenfassung Entscheidung Verantwortliche Übersicht Präsentation Unterlagen Rückfragen ' +
  'Änderungen Größe Straße Grüße Frühstück Abstimmung Vorbereitung Nachbereitung Ergebnis réunion compte rendu ' +
  'décision équipe présentation prochaine étape déjà très bientôt reçu façon naïve cœur être São Paulo Kraków ' +
  'Zürich Malmö Ærø Øresund Þingvellir Łódź Gdańsk Brno Plzeň Škoda Ålesund Reykjavík 2025 2026 v2 v3 10:30 #4711'
).split(' ');

/** `count` realistic rows of one calendar (deterministic for a seed). */
export function searchRows(count: number, seed = 1, calendarId = 'bench'): ObjectRecord[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const rows: ObjectRecord[] = [];
  for (let i = 0; i < count; i++)
    rows.push(searchRow(calendarId, `/cal/${seed}-${i}.ics`, `${seed}-${i}`, random, pick));
  return rows;
}

function searchRow(
  calendarId: string,
  href: string,
  uid: string,
  random: () => number,
  pick: <T>(list: readonly T[]) => T,
): ObjectRecord {
  const summary = random() < 0.6 ? `${pick(SUBJECTS)}: ${pick(TOPICS)}` : pick(SUBJECTS);
  const location = random() < 0.6 ? pick(LOCATIONS) : undefined;
  const description =
    random() < 0.5 ? Array.from({ length: 20 + Math.floor(random() * 41) }, () => pick(WORDS)).join(' ') : undefined;
  const extra: string[] = [];
  if (random() < 0.4) {
    extra.push(`ORGANIZER;CN="${pick(PEOPLE)}":mailto:organizer@example.com`);
    const attendees = 1 + Math.floor(random() * 8);
    for (let a = 0; a < attendees; a++) {
      extra.push(`ATTENDEE;CN="${pick(PEOPLE)}";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:p${a}@example.com`);
    }
  }
  if (random() < 0.25) extra.push(`CATEGORIES:${pick(CATEGORIES)}${random() < 0.3 ? `,${pick(CATEGORIES)}` : ''}`);
  const recurring = random() < 0.05;
  const overrides: OverrideSpec[] = recurring
    ? [{ recurrenceId: '20260112T100000Z', start: '20260112T120000Z', summary: `${pick(SUBJECTS)} (moved)` }]
    : [];
  const ics = buildIcs(
    {
      uid,
      summary,
      start: '20260105T100000Z',
      end: '20260105T110000Z',
      ...(recurring ? { rrule: 'FREQ=WEEKLY;COUNT=20' } : {}),
      ...(location ? { location } : {}),
      ...(description ? { description } : {}),
      extra,
    },
    overrides,
  );
  const row: ObjectRecord = {
    calendarId,
    href,
    etag: '"1"',
    ics,
    state: 'ok',
    rangeStart: 0,
    rangeEnd: 1,
    summary,
    recurring,
  };
  if (location !== undefined) row.location = location;
  if (description !== undefined) row.description = description;
  return row;
}

/** Queries as typed: 1–3 words of the data, each cut to a 1–6-letter prefix. */
function searchQueries(count: number, random: () => number): string[] {
  const words = [...SUBJECTS, ...TOPICS, ...LOCATIONS, ...PEOPLE, ...CATEGORIES, ...WORDS]
    .flatMap((text) => text.split(/[^\p{L}\p{N}]+/u))
    .filter((word) => word.length > 0);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const word = words[Math.floor(random() * words.length)] as string;
      return word.slice(0, 1 + Math.floor(random() * 6));
    }).join(' '),
  );
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Times the search index over `size` generated rows. */
export function benchSearch(size: number, options: SearchBenchOptions = {}): SearchBench {
  const reps = options.reps ?? 5;
  const rows = searchRows(size, options.seed ?? 1);
  const extractMs: number[] = [];
  const buildMs: number[] = [];
  const patchMs: number[] = [];
  let index = new SearchIndex();
  for (let rep = 0; rep < reps; rep++) {
    let started = performance.now();
    let chars = 0;
    for (const row of rows) chars += searchableFields(row).summary.length;
    extractMs.push(performance.now() - started);
    if (chars === 0) throw new Error('no text extracted');

    gc?.();
    started = performance.now();
    index = new SearchIndex();
    index.setCalendar('bench', rows);
    buildMs.push(performance.now() - started);
  }

  let heapMb: number | undefined;
  if (gc !== undefined) {
    index = new SearchIndex();
    gc();
    const before = process.memoryUsage().heapUsed;
    index.setCalendar('bench', rows);
    gc();
    heapMb = Math.round((process.memoryUsage().heapUsed - before) / 104_857.6) / 10;
  }

  const random = prng((options.seed ?? 1) + 1);
  const queries = searchQueries(options.queries ?? 200, random);
  // Warm-up: the first calls compile the search path.
  for (const query of queries.slice(0, 20)) index.search(query);
  const queryMs: number[] = [];
  const hits: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    const found = index.search(query);
    queryMs.push(performance.now() - started);
    hits.push(found.length);
  }

  for (let rep = 0; rep < reps; rep++) {
    const changed = searchRows(10, 1_000 + rep).map((row, i) => ({
      ...row,
      href: (rows[(rep * 997 + i * 1_901) % rows.length] as ObjectRecord).href,
    }));
    const started = performance.now();
    index.patch(
      'bench',
      changed.map((row) => row.href),
      changed,
    );
    patchMs.push(performance.now() - started);
  }

  const sortedHits = [...hits].sort((a, b) => a - b);
  return {
    size,
    extractMs: figure(extractMs),
    buildMs: figure(buildMs),
    queryMs: percentiles(queryMs),
    hits: { median: sortedHits[Math.floor(sortedHits.length / 2)] ?? 0, max: sortedHits[sortedHits.length - 1] ?? 0 },
    patchMs: figure(patchMs),
    heapMb,
    stats: index.stats(),
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--size');
  const size = at === -1 ? 20_000 : Number(process.argv[at + 1]);
  const result = benchSearch(size);
  const line = (name: string, f: Figure) =>
    `${name}: median ${round(f.median)} ms (min ${round(f.min)}, max ${round(f.max)})`;
  process.stdout.write(
    [
      `search index over ${size} objects (${result.stats.tokens} distinct tokens, ${result.stats.entries} entries)`,
      line('extraction (ICS scan)', result.extractMs),
      line('build (setCalendar)', result.buildMs),
      `query (${result.queryMs.count}): p50 ${round(result.queryMs.p50)} ms, p95 ${round(result.queryMs.p95)} ms, max ${round(result.queryMs.max)} ms; hits median ${result.hits.median}, max ${result.hits.max}`,
      line('patch of 10 rows', result.patchMs),
      `heap of one index: ${result.heapMb === undefined ? 'n/a (run with --expose-gc)' : `${result.heapMb} MB`}`,
      '',
    ].join('\n'),
  );
}
