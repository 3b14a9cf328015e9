import { CalsyncError } from '../../api/errors.ts';
import {
  endRulesBefore,
  exdateValues,
  hasAnyInstance,
  hasInstanceBefore,
  isMasterInstance,
  partitionDates,
  prepared,
  recurrenceMs,
  replaceDates,
  seriesClock,
  startStyle,
} from '../expand/series.ts';
import { objectParts } from '../read/jcal.ts';
import { fail, failInput, type Result } from '../result.ts';
import { type EditIcsOptions, finish, type LoadedObject, loadObject, overrideAt } from './edit-recurrence.ts';
import { msToWall, timeProperty } from './event-time.ts';

/** Outcome of {@link deleteFromEventIcs}: the remaining object, or `null` when nothing remains. */
export type DeleteEventResult = Result<{ ics: string | null }>;

/** Whether the object still shows anything: an instance of the master, or an override. */
function anythingLeft(loaded: LoadedObject): boolean {
  const parts = objectParts(loaded.calendar);
  if (parts === undefined) return false;
  if (parts.overrides.length > 0) return true;
  const master = prepared(loaded.calendar)?.master;
  return master !== undefined && hasAnyInstance(master);
}

/**
 * Removes what `options` names from the loaded object, in place. `empty`: nothing remains,
 * so the whole resource goes.
 */
function remove(loaded: LoadedObject, options: EditIcsOptions): Result<{ empty: boolean }> {
  const { parts, reader } = loaded;
  const master = loaded.object.master;
  const ms = options.occurrence;
  if (parts.master === undefined || master === undefined) {
    // Only overrides: remove the one named; the object goes with its last override.
    const target = ms === undefined ? undefined : overrideAt(loaded, ms);
    if (target === undefined) return failInput('The occurrence is not an instance of the object.');
    loaded.calendar[2] = loaded.calendar[2].filter((c) => c !== target);
    return { ok: true, empty: parts.overrides.length === 1 };
  }
  if (!master.recurring) return { ok: true, empty: true };
  if (ms === undefined) return failInput(`occurrence is required for scope "${options.scope}".`);
  if (overrideAt(loaded, ms) === undefined && !isMasterInstance(master, ms)) {
    return failInput('The occurrence is not an instance of the series.');
  }
  const style = startStyle(reader, parts.master);
  if (style === undefined) return failInput('The event has no usable DTSTART.');
  const series = seriesClock(master);
  if (options.scope === 'this') {
    const overrides = new Set(parts.overrides.filter((o) => recurrenceMs(reader, o, series) === ms));
    loaded.calendar[2] = loaded.calendar[2].filter((c) => !overrides.has(c));
    if (!exdateValues(reader, parts.master, series).includes(ms)) {
      parts.master[1].push(timeProperty('exdate', [msToWall(ms, style)], style));
    }
    return { ok: true, empty: !anythingLeft(loaded) };
  }
  if (!hasInstanceBefore(master, ms)) return { ok: true, empty: true };
  const later = new Set(parts.overrides.filter((o) => recurrenceMs(reader, o, series) >= ms));
  loaded.calendar[2] = loaded.calendar[2].filter((c) => !later.has(c));
  replaceDates(parts.master, partitionDates(reader, parts.master, series, ms).before);
  endRulesBefore(reader, parts.master, style, ms);
  return { ok: true, empty: false };
}

/**
 * Deletes from a stored object and returns what remains (`null`: delete the whole resource).
 *
 * - `'all'` (or a single event): `null`.
 * - `'this'`: adds an EXDATE for the occurrence (in the type and TZID of DTSTART) and drops
 *   its override; `null` when no instance is left.
 * - `'future'`: ends the rules before the occurrence and drops later overrides, EXDATEs and
 *   RDATEs; from the first instance on, `null`.
 *
 * The master's DTSTAMP/LAST-MODIFIED are renewed and SEQUENCE goes up. An occurrence that is
 * not an instance is `invalid-input`, unreadable ICS `bad-data` (except for `'all'`, which
 * needs no reading). Never throws.
 */
export function deleteFromEventIcs(ics: string, options: EditIcsOptions): DeleteEventResult {
  try {
    if (options?.scope === 'all') return { ok: true, ics: null };
    const load = loadObject(ics, options);
    if (!load.ok) return load;
    const outcome = remove(load.loaded, options);
    if (!outcome.ok) return outcome;
    if (outcome.empty) return { ok: true, ics: null };
    return { ok: true, ics: finish(load.loaded, options.now) };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return fail(new CalsyncError('internal', `Could not delete from the event: ${message}`, { cause }));
  }
}
