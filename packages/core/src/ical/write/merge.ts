import { CalsyncError } from '../../api/errors.ts';
import { clockOfTime, instanceMs, type SeriesClock } from '../expand/recurrence-id.ts';
import { isMasterInstance, prepared, recurrenceMs, seriesClock } from '../expand/series.ts';
import { componentKey, propertyKey } from '../read/compare.ts';
import { type JComponent, type JProperty, readDocument, writeDocument } from '../read/document.ts';
import { objectParts, textOf, ValueReader } from '../read/jcal.ts';
import { fail, failData, type Result } from '../result.ts';
import { addMissingVtimezones } from '../time/vtimezone.ts';
import { sequenceOf, setSequence } from './stamps.ts';

/** Outcome of {@link mergeIcs}. */
export type MergeResult = Result<{ ics: string; conflicts: string[] }>;

/** Bookkeeping that never conflicts: the newest stamp wins, SEQUENCE is recomputed. */
const STAMPS: ReadonlySet<string> = new Set(['dtstamp', 'last-modified']);
const BOOKKEEPING: ReadonlySet<string> = new Set(['dtstamp', 'last-modified', 'sequence']);
/** Calendar properties a server may rewrite; the server's are kept without conflict. */
const SERVER_OWNED: ReadonlySet<string> = new Set(['prodid', 'version']);

type Side = JComponent | undefined;

/** What one side has under a name: the lines (or subcomponents) and a comparable key. */
interface Group<T> {
  items: T[];
  key: string;
}

function groups<T>(items: readonly T[], nameOf: (item: T) => string, keyOf: (item: T) => string) {
  const result = new Map<string, Group<T>>();
  for (const item of items) {
    const group = result.get(nameOf(item)) ?? { items: [], key: '' };
    group.items.push(item);
    result.set(nameOf(item), group);
  }
  for (const group of result.values()) group.key = group.items.map(keyOf).sort().join('\n');
  return result;
}

/**
 * Three-way choice for one unit: equal sides or a change on one side only give the obvious
 * answer; different changes on both sides give the server's version and a conflict.
 */
function choose<T>(base: Group<T> | undefined, local: Group<T> | undefined, server: Group<T> | undefined) {
  const key = (g: Group<T> | undefined): string => g?.key ?? '';
  if (key(local) === key(server) || key(local) === key(base)) return { pick: server, conflict: false };
  if (key(server) === key(base)) return { pick: local, conflict: false };
  return { pick: server, conflict: true };
}

function orderedNames<T>(...maps: Array<Map<string, Group<T>>>): string[] {
  return [...new Set(maps.flatMap((map) => [...map.keys()]))];
}

function newest(local: Group<JProperty> | undefined, server: Group<JProperty> | undefined) {
  const value = (g: Group<JProperty> | undefined): string => String(g?.items[0]?.[3] ?? '');
  return value(local) > value(server) ? local : server;
}

/** Merges two versions of one component against its base, property name by property name. */
function mergeComponent(
  base: Side,
  local: JComponent,
  server: JComponent,
  label: string,
  conflicts: string[],
): JComponent {
  const props = (c: Side) => groups(c?.[1] ?? [], (p) => p[0], propertyKey);
  const [bp, lp, sp] = [props(base), props(local), props(server)];
  const properties: JProperty[] = [];
  for (const name of orderedNames(sp, lp)) {
    if (name === 'sequence') continue;
    if (STAMPS.has(name)) {
      properties.push(...(newest(lp.get(name), sp.get(name))?.items ?? []));
      continue;
    }
    const { pick, conflict } = choose(bp.get(name), lp.get(name), sp.get(name));
    const serverOwned = server[0] === 'vcalendar' && SERVER_OWNED.has(name);
    if (conflict && !serverOwned) conflicts.push(`${label}${name.toUpperCase()}`);
    properties.push(...((serverOwned ? sp.get(name) : pick)?.items ?? []));
  }
  const children = (c: Side) =>
    groups(
      c?.[2] ?? [],
      (child) => child[0],
      (child) => componentKey(child),
    );
  const [bc, lc, sc] = [children(base), children(local), children(server)];
  const components: JComponent[] = [];
  for (const name of orderedNames(sc, lc)) {
    const { pick, conflict } = choose(bc.get(name), lc.get(name), sc.get(name));
    if (conflict) conflicts.push(`${label}${name.toUpperCase()}`);
    components.push(...(pick?.items ?? []));
  }
  const merged: JComponent = [server[0], properties, components];
  if (lp.has('sequence') || sp.has('sequence')) {
    const differs = (c: JComponent) => componentKey(c, BOOKKEEPING) !== componentKey(merged, BOOKKEEPING);
    const bump = differs(local) && differs(server) ? 1 : 0;
    setSequence(merged, Math.max(sequenceOf(local), sequenceOf(server)) + bump);
  }
  return merged;
}

/**
 * Top-level components by identity: name, UID and the instance a RECURRENCE-ID names (see
 * `instanceMs`: an Exchange `RECURRENCE-ID;TZID=…:20200416T000000` and calsync's own
 * `RECURRENCE-ID;VALUE=DATE:20200416` are one override of an all-day series).
 */
function keyed(calendar: JComponent): Map<string, { component: JComponent; label: string }> {
  const reader = new ValueReader(calendar);
  const result = new Map<string, { component: JComponent; label: string }>();
  const clocks = new Map<string, SeriesClock>();
  for (const component of calendar[2]) {
    if (component[0] === 'vtimezone' || reader.time(component, 'recurrence-id') !== undefined) continue;
    const start = reader.time(component, 'dtstart');
    if (start !== undefined) clocks.set(`${component[0]}|${textOf(component, 'uid') ?? ''}`, clockOfTime(start));
  }
  for (const component of calendar[2]) {
    if (component[0] === 'vtimezone') continue;
    const rid = reader.time(component, 'recurrence-id');
    let label = '';
    if (rid !== undefined) {
      const clock = clocks.get(`${component[0]}|${textOf(component, 'uid') ?? ''}`);
      const iso = new Date(instanceMs(rid, clock)).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
      const date = clock === undefined ? rid.isDate : clock.kind === 'date';
      label = `RECURRENCE-ID=${date ? iso.slice(0, 8) : iso}:`;
    }
    let key = `${component[0]}|${textOf(component, 'uid') ?? ''}|${label}`;
    while (result.has(key)) key += '+';
    result.set(key, { component, label });
  }
  return result;
}

/** The overrides of `calendar` whose RECURRENCE-ID is no instance of its master (rule, RDATEs, minus EXDATEs). */
function orphans(calendar: JComponent): Set<JComponent> {
  const master = prepared(calendar)?.master;
  const parts = objectParts(calendar);
  if (master === undefined || parts === undefined) return new Set();
  const reader = new ValueReader(calendar);
  const series = seriesClock(master);
  return new Set(parts.overrides.filter((o) => !isMasterInstance(master, recurrenceMs(reader, o, series))));
}

/**
 * An override kept from one side while the other side removed its instance (an EXDATE, a
 * rule ended by UNTIL/COUNT when a series was split) names nothing in the merge: hidden
 * (EXDATE) or shown beside the split-off series (twice). Both sides changed the fate of that
 * instance: the override goes and the instance is listed as a conflict, so the version that
 * held it is kept. Overrides that were already orphans on the side they come from are left.
 */
function dropMergedOrphans(calendar: JComponent, local: JComponent, server: JComponent, conflicts: string[]): void {
  const merged = orphans(calendar);
  if (merged.size === 0) return;
  const sides = [local, server].map((side) => ({ keys: keyed(side), orphans: orphans(side) }));
  const doomed = new Set<JComponent>();
  for (const [key, { component, label }] of keyed(calendar)) {
    if (!merged.has(component)) continue;
    const fromSide = sides.some((side) => {
      const there = side.keys.get(key)?.component;
      return there !== undefined && !side.orphans.has(there);
    });
    if (!fromSide) continue;
    doomed.add(component);
    conflicts.push(label.slice(0, -1));
  }
  calendar[2] = calendar[2].filter((c) => !doomed.has(c));
}

function zones(calendar: JComponent): Map<string, JComponent> {
  return new Map(calendar[2].filter((c) => c[0] === 'vtimezone').map((c) => [textOf(c, 'tzid') ?? '', c]));
}

/** Decides one top-level component present on some of the three sides. */
function mergeTop(base: Side, local: Side, server: Side, label: string, conflicts: string[]): Side {
  const same = (a: JComponent, b: JComponent) => componentKey(a, BOOKKEEPING) === componentKey(b, BOOKKEEPING);
  const whole = label === '' ? ((local ?? server)?.[0].toUpperCase() ?? '') : label.slice(0, -1);
  if (local !== undefined && server !== undefined) return mergeComponent(base, local, server, label, conflicts);
  if (base === undefined) return local ?? server;
  if (local === undefined && server === undefined) return undefined;
  // Deleted on one side: gone when the other side left it alone; otherwise the server decides.
  const kept = (local ?? server) as JComponent;
  if (same(kept, base)) return undefined;
  conflicts.push(whole);
  return server;
}

/**
 * Three-way merge of two versions of a calendar object against `base`, the last version
 * both sides had (the last synced one).
 *
 * Per component (the master and each override, keyed by RECURRENCE-ID; VTIMEZONEs are
 * united) and per property name (all lines of a name as one unit, so CATEGORIES or ATTENDEE
 * lists merge whole; subcomponents such as VALARM as one unit per name and parent): equal
 * sides are kept, a change on one side wins, and different changes on both sides take the
 * server's value and are listed in `conflicts` (`SUMMARY`,
 * `RECURRENCE-ID=20261210T090000Z:DTSTART`, or the whole component: `RECURRENCE-ID=…`,
 * `VEVENT`). Adding and removing components follow the same rule. DTSTAMP/LAST-MODIFIED take
 * the newest value and SEQUENCE the larger one (+1 when the result differs from both sides);
 * neither is a conflict. Lines taken from a side keep their text. Unreadable input is
 * `bad-data`. Never throws.
 */
export function mergeIcs(base: string, local: string, server: string): MergeResult {
  try {
    const docs = [readDocument(base), readDocument(local), readDocument(server)] as const;
    const [b, l, s] = docs;
    for (const [doc, which] of [
      [b, 'base'],
      [l, 'local'],
      [s, 'server'],
    ] as const) {
      if (!doc.ok) return failData(`The ${which} version: ${doc.error.message}`);
    }
    if (!b.ok || !l.ok || !s.ok) return fail(new CalsyncError('internal', 'Unreachable.'));
    const conflicts: string[] = [];
    const calendar = mergeComponent(
      [b.calendar[0], b.calendar[1], []],
      [l.calendar[0], l.calendar[1], []],
      [s.calendar[0], s.calendar[1], []],
      'VCALENDAR:',
      conflicts,
    );
    const serverZones = zones(s.calendar);
    const localZones = [...zones(l.calendar)].filter(([tzid]) => !serverZones.has(tzid)).map(([, c]) => c);
    calendar[2].push(...serverZones.values(), ...localZones);
    const [bk, lk, sk] = [keyed(b.calendar), keyed(l.calendar), keyed(s.calendar)];
    for (const key of new Set([...sk.keys(), ...lk.keys(), ...bk.keys()])) {
      const label = (sk.get(key) ?? lk.get(key) ?? bk.get(key))?.label ?? '';
      const merged = mergeTop(bk.get(key)?.component, lk.get(key)?.component, sk.get(key)?.component, label, conflicts);
      if (merged !== undefined) calendar[2].push(merged);
    }
    addMissingVtimezones(calendar);
    dropMergedOrphans(calendar, l.calendar, s.calendar, conflicts);
    return { ok: true, ics: writeDocument(calendar), conflicts };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return fail(new CalsyncError('internal', `Could not merge: ${message}`, { cause }));
  }
}
