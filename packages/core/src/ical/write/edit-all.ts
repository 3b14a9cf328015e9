import ICAL from 'ical.js';
import type { EventPatch } from '../../api/types.ts';
import { clockOfStyle, instanceMs } from '../expand/recurrence-id.ts';
import { parseRuleText, ruleJcal } from '../expand/rrule-text.ts';
import { isMasterInstance, mapDates, prepared, recurrenceMs, seriesClock, setTime } from '../expand/series.ts';
import type { JComponent } from '../read/document.ts';
import { firstProperty, objectParts, propertiesOf, removeProperties, setProperty, ValueReader } from '../read/jcal.ts';
import { failInput, type Result } from '../result.ts';
import { msToWall, nominalMsToWall, sameStyle, wallToMs, wallToNominalMs } from './event-time.ts';
import { applyPatch, currentTimes, type StartChange } from './patch-event.ts';

function removeComponents(calendar: JComponent, doomed: ReadonlySet<JComponent>): void {
  if (doomed.size > 0) calendar[2] = calendar[2].filter((c) => !doomed.has(c));
}

/**
 * After a series moved only its time of day (same start date, still timed or still all-day),
 * moves RECURRENCE-IDs, EXDATEs and RDATEs the same way on the wall clock, so that overrides
 * and exclusions keep naming "the same" instances (what Google Calendar does). Overrides that
 * had not moved their instance move with it. Returns false when the start date changed or the
 * event switched between all-day and timed: then nothing is shifted.
 */
function shiftExceptions(
  reader: ValueReader,
  master: JComponent,
  overrides: JComponent[],
  change: StartChange,
): boolean {
  const { before, after } = change;
  if ((before.style.kind === 'date') !== (after.style.kind === 'date')) return false;
  const sameDate =
    before.wall.year === after.wall.year &&
    before.wall.month === after.wall.month &&
    before.wall.day === after.wall.day;
  if (!sameDate) return false;
  const delta = wallToNominalMs(after.wall) - wallToNominalMs(before.wall);
  if (delta === 0 && sameStyle(before.style, after.style)) return true;
  const map = (ms: number) =>
    nominalMsToWall(wallToNominalMs(msToWall(ms, before.style)) + delta, after.style.kind === 'date');
  const series = clockOfStyle(before.style);
  for (const override of overrides) {
    const rid = recurrenceMs(reader, override, series);
    if (Number.isNaN(rid)) continue;
    const read = currentTimes(reader, override);
    setTime(override, 'recurrence-id', map(rid), after.style);
    if (!read.ok || read.times.startMs !== rid) continue;
    const { times } = read;
    const start = map(rid);
    setTime(override, 'dtstart', start, after.style);
    if (times.endKind === 'dtend') {
      const endMs = wallToMs(start, after.style) + (times.endMs - times.startMs);
      setTime(override, 'dtend', msToWall(endMs, after.style), after.style);
    }
  }
  mapDates(reader, master, series, after.style, map);
  return true;
}

/**
 * Drops what no longer names an instance after the series changed shape: overrides whose
 * RECURRENCE-ID is not an instance, and EXDATEs (of the master's value type) that exclude
 * nothing. RFC 5545 gives such leftovers no meaning; clients show them inconsistently.
 * RECURRENCE-IDs name instances whatever their value type (an Exchange all-day series'
 * `RECURRENCE-ID;TZID=…:20200416T000000` keeps its override), but when the series itself
 * switched between all-day and timed (`switched`), overrides still written in the old type
 * go: they were made for the other kind of series.
 */
function dropOrphans(calendar: JComponent, switched: boolean): void {
  const object = prepared(calendar);
  const parts = objectParts(calendar);
  const master = object?.master;
  if (master === undefined || parts?.master === undefined) return;
  const reader = new ValueReader(calendar);
  const unexcluded = { ...master, exdateMs: new Set<number>(), exdateDays: new Set<string>() };
  const series = seriesClock(master);
  const orphan = (override: JComponent): boolean => {
    if (switched && reader.time(override, 'recurrence-id')?.isDate !== master.allDay) return true;
    return !isMasterInstance(unexcluded, recurrenceMs(reader, override, series));
  };
  const doomed = new Set(parts.overrides.filter(orphan));
  removeComponents(calendar, doomed);
  const component = parts.master;
  component[1] = component[1].flatMap((property) => {
    if (property[0] !== 'exdate') return [property];
    const values = reader.property(component, property).getValues();
    const kept = property.slice(3).filter((_, i) => {
      const value = values[i];
      if (!(value instanceof ICAL.Time) || value.isDate !== master.allDay) return true;
      return isMasterInstance(unexcluded, instanceMs(value, series));
    });
    if (kept.length === property.length - 3) return [property];
    return kept.length === 0 ? [] : [[property[0], property[1], property[2], ...kept]];
  });
}

/**
 * Applies a patch to a whole object in place: the master's texts and times, and `rrule`
 * (`null` makes the event single: RRULE, RDATE, EXDATE and every override go). Moving only
 * the time of day of a series shifts its exceptions along (see `shiftExceptions`); moving
 * its start date, switching all-day/timed or changing the rule drops overrides and EXDATEs
 * that no longer match an instance. Fails with `invalid-input` for invalid input; the
 * calendar may then be half-edited and must be discarded.
 */
export function editAll(calendar: JComponent, patch: EventPatch): Result {
  const parts = objectParts(calendar);
  const master = parts?.master;
  if (parts === undefined || master === undefined) return failInput('The object has no master component to edit.');
  const reader = new ValueReader(calendar);
  let rule: ICAL.Recur | null | undefined;
  if (patch.rrule === null) rule = null;
  else if (patch.rrule !== undefined) {
    const parsed = parseRuleText(patch.rrule);
    if (!parsed.ok) return parsed;
    rule = parsed.rule;
  }
  const result = applyPatch(reader, master, patch);
  if (!result.ok) return result;
  const wasRecurring = firstProperty(master, 'rrule') !== undefined || firstProperty(master, 'rdate') !== undefined;
  if (rule === null) {
    for (const name of ['rrule', 'rdate', 'exdate']) removeProperties(master, name);
    removeComponents(calendar, new Set(parts.overrides));
    return { ok: true };
  }
  let ruleChanged = false;
  if (rule !== undefined) {
    const anchor = reader.time(master, 'dtstart');
    const checked = parseRuleText(patch.rrule, anchor);
    if (!checked.ok) return checked;
    const existing = propertiesOf(master, 'rrule').map((p) => reader.property(master, p).getFirstValue());
    const same =
      existing.length === 1 && existing[0] instanceof ICAL.Recur && existing[0].toString() === rule.toString();
    if (!same) {
      removeProperties(master, 'rrule');
      setProperty(master, ['rrule', {}, 'recur', ruleJcal(rule)]);
      ruleChanged = true;
    }
  }
  if (!wasRecurring && parts.overrides.length === 0) return { ok: true };
  const shifted = result.start === undefined || shiftExceptions(reader, master, parts.overrides, result.start);
  const start = result.start;
  const switched = start !== undefined && (start.before.style.kind === 'date') !== (start.after.style.kind === 'date');
  if (ruleChanged || !shifted) dropOrphans(calendar, switched);
  return { ok: true };
}
