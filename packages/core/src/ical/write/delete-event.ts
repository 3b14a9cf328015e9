import { CalsyncError } from '../../api/errors.ts';
import { type EditIcsOptions, finish, type LoadedObject, loadObject, overrideAt } from './edit-recurrence.ts';
import { msToWall, timeProperty } from './event-time.ts';
import { objectParts } from '../read/jcal.ts';
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
import { invalidInput } from './write-event.ts';

/** Outcome of {@link deleteFromEventIcs}: the remaining object, or `null` when nothing remains. */
export type DeleteEventResult = { ok: true; ics: string | null } | { ok: false; error: CalsyncError };

/** Whether the object still shows anything: an instance of the master, or an override. */
function anythingLeft(loaded: LoadedObject): boolean {
  const parts = objectParts(loaded.calendar);
  if (parts === undefined) return false;
  if (parts.overrides.length > 0) return true;
  const master = prepared(loaded.calendar)?.master;
  return master !== undefined && hasAnyInstance(master);
}

function remove(loaded: LoadedObject, options: EditIcsOptions): string | null | undefined {
  const { parts, reader } = loaded;
  const master = loaded.object.master;
  const ms = options.occurrence;
  if (parts.master === undefined || master === undefined) {
    // Only overrides: remove the one named; the object goes with its last override.
    const target = ms === undefined ? undefined : overrideAt(loaded, ms);
    if (target === undefined) return 'The occurrence is not an instance of the object.';
    loaded.calendar[2] = loaded.calendar[2].filter((c) => c !== target);
    return parts.overrides.length === 1 ? null : undefined;
  }
  if (!master.recurring) return null;
  if (ms === undefined) return `occurrence is required for scope "${options.scope}".`;
  if (overrideAt(loaded, ms) === undefined && !isMasterInstance(master, ms)) {
    return 'The occurrence is not an instance of the series.';
  }
  const style = startStyle(reader, parts.master);
  if (style === undefined) return 'The event has no usable DTSTART.';
  const series = seriesClock(master);
  if (options.scope === 'this') {
    const overrides = new Set(parts.overrides.filter((o) => recurrenceMs(reader, o, series) === ms));
    loaded.calendar[2] = loaded.calendar[2].filter((c) => !overrides.has(c));
    if (!exdateValues(reader, parts.master, series).includes(ms)) {
      parts.master[1].push(timeProperty('exdate', [msToWall(ms, style)], style));
    }
    return anythingLeft(loaded) ? undefined : null;
  }
  if (!hasInstanceBefore(master, ms)) return null;
  const later = new Set(parts.overrides.filter((o) => recurrenceMs(reader, o, series) >= ms));
  loaded.calendar[2] = loaded.calendar[2].filter((c) => !later.has(c));
  replaceDates(parts.master, partitionDates(reader, parts.master, series, ms).before);
  endRulesBefore(reader, parts.master, style, ms);
  return undefined;
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
    const loaded = loadObject(ics, options);
    if (loaded instanceof CalsyncError) return { ok: false, error: loaded };
    const outcome = remove(loaded, options);
    if (typeof outcome === 'string') return { ok: false, error: invalidInput(outcome) };
    if (outcome === null) return { ok: true, ics: null };
    return { ok: true, ics: finish(loaded, options.now) };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: new CalsyncError('internal', `Could not delete from the event: ${message}`, { cause }) };
  }
}
