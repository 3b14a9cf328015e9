import { CalsyncError } from '../../api/errors.ts';
import type { EditScope, EventPatch } from '../../api/types.ts';
import {
  hasInstanceBefore,
  isMasterInstance,
  recurrenceMs,
  seriesClock,
  setTime,
  startStyle,
} from '../expand/series.ts';
import { cloneComponent, type JComponent, readDocument, writeDocument } from '../read/document.ts';
import { type ObjectParts, objectParts, removeProperties, ValueReader } from '../read/jcal.ts';
import { type MasterData, type PreparedObject, prepareCalendar } from '../read/prepare.ts';
import { fail, failData, failInput, type Result } from '../result.ts';
import { calendarComponent } from '../time/embedded-zones.ts';
import { addMissingVtimezones } from '../time/vtimezone.ts';
import { editAll } from './edit-all.ts';
import { msToWall } from './event-time.ts';
import { applyPatch, rebasePatch } from './patch-event.ts';
import { moveToInstance, type SplitResult, splitSeries } from './split-series.ts';
import { type Snapshot, snapshot, stampChanges, touch } from './stamps.ts';

/** Options of {@link updateEventIcs} and `deleteFromEventIcs`. */
export interface EditIcsOptions {
  scope: EditScope;
  /** The occurrence's original start (its RECURRENCE-ID) as epoch ms; required for `'this'`/`'future'` on a series. */
  occurrence?: number;
  /** Time of the edit (epoch ms), for DTSTAMP/LAST-MODIFIED/CREATED. */
  now: number;
}

/** Outcome of {@link updateEventIcs}: the edited object, and a new one when a series was split. */
export type UpdateEventResult = Result<{ ics: string; split?: SplitResult }>;

/** A loaded object: its calendar, components and decoded recurrence data. */
export interface LoadedObject {
  calendar: JComponent;
  parts: ObjectParts;
  object: PreparedObject;
  reader: ValueReader;
  baselines: Map<JComponent, Snapshot>;
}

const SCOPES: ReadonlySet<unknown> = new Set(['this', 'future', 'all']);

/** Reads and checks an object and its edit options; errors are `bad-data` or `invalid-input`. */
export function loadObject(ics: string, options: EditIcsOptions): Result<{ loaded: LoadedObject }> {
  if (typeof options !== 'object' || options === null || !SCOPES.has(options.scope)) {
    return failInput('scope must be "this", "future" or "all".');
  }
  if (options.occurrence !== undefined && !Number.isFinite(options.occurrence)) {
    return failInput('occurrence must be an epoch-ms number.');
  }
  const document = readDocument(ics);
  if (!document.ok) return document;
  const calendar = document.calendar;
  const prepared = prepareCalendar(calendarComponent(calendar));
  if (!prepared.ok) return prepared;
  const parts = objectParts(calendar);
  if (parts === undefined) return failData('The calendar holds no component with a UID.');
  const baselines = new Map<JComponent, Snapshot>();
  for (const component of [...(parts.master === undefined ? [] : [parts.master]), ...parts.overrides]) {
    baselines.set(component, snapshot(component));
  }
  return {
    ok: true,
    loaded: { calendar, parts, object: prepared.object, reader: new ValueReader(calendar), baselines },
  };
}

/**
 * The override for the instance at `ms`, if any: the one whose RECURRENCE-ID names that
 * instance, whatever its value type or zone (see `instanceMs`).
 */
export function overrideAt(loaded: LoadedObject, ms: number): JComponent | undefined {
  const series = seriesClock(loaded.object.master);
  return loaded.parts.overrides.find((o) => recurrenceMs(loaded.reader, o, series) === ms);
}

/** Stamps every changed component of the object (new ones always) and writes the calendar. */
export function finish(loaded: LoadedObject, now: number, fresh: ReadonlySet<JComponent> = new Set()): string {
  const parts = objectParts(loaded.calendar);
  const components = parts === undefined ? [] : [...(parts.master ? [parts.master] : []), ...parts.overrides];
  for (const component of components) {
    const baseline = loaded.baselines.get(component);
    const changed = baseline !== undefined && stampChanges(component, baseline, now);
    if (!changed && fresh.has(component)) touch(component, now);
  }
  addMissingVtimezones(loaded.calendar);
  return writeDocument(loaded.calendar);
}

/** A new override for the instance at `ms`: the master's properties minus RRULE/RDATE/EXDATE. */
function createOverride(loaded: LoadedObject, master: JComponent, ms: number): Result<{ override: JComponent }> {
  const style = startStyle(loaded.reader, master);
  if (style === undefined) return failInput('The event has no usable DTSTART.');
  const override = cloneComponent(master);
  for (const name of ['rrule', 'rdate', 'exdate']) removeProperties(override, name);
  const moved = moveToInstance(loaded.reader, master, override, ms);
  if (!moved.ok) return moved;
  setTime(override, 'recurrence-id', msToWall(ms, style), style);
  const last = loaded.calendar[2].findLastIndex((c) => c === master || loaded.parts.overrides.includes(c));
  loaded.calendar[2].splice(last + 1, 0, override);
  loaded.baselines.set(override, snapshot(override));
  return { ok: true, override };
}

/** Patches (or first creates) the override of the instance at `ms`; returns it. */
function editThis(
  loaded: LoadedObject,
  master: MasterData,
  patch: EventPatch,
  ms: number,
): Result<{ override: JComponent }> {
  if (patch.rrule !== undefined) return failInput('rrule can only change with scope "all" or "future".');
  const existing = overrideAt(loaded, ms);
  if (existing !== undefined) {
    const result = applyPatch(loaded.reader, existing, patch);
    return result.ok ? { ok: true, override: existing } : result;
  }
  if (loaded.parts.master === undefined || !isMasterInstance(master, ms)) {
    return failInput('The occurrence is not an instance of the series.');
  }
  const created = createOverride(loaded, loaded.parts.master, ms);
  if (!created.ok) return created;
  const result = applyPatch(loaded.reader, created.override, patch);
  return result.ok ? created : result;
}

/** What {@link update} changed: a component it created, and the object a split made. */
type UpdateOutcome = Result<{ fresh?: JComponent; split?: SplitResult }>;

function update(loaded: LoadedObject, patch: EventPatch, options: EditIcsOptions): UpdateOutcome {
  const { parts, object } = loaded;
  const master = object.master;
  const ms = options.occurrence;
  if (parts.master === undefined || master === undefined) {
    // Only overrides (an invitation to single instances): edit the one named, or the only one.
    if (patch.rrule !== undefined) return failInput('rrule cannot be set on an object without master.');
    const target =
      ms === undefined ? (parts.overrides.length === 1 ? parts.overrides[0] : undefined) : overrideAt(loaded, ms);
    if (target === undefined) return failInput('The occurrence is not an instance of the object.');
    const result = applyPatch(loaded.reader, target, patch);
    return result.ok ? { ok: true } : result;
  }
  if (options.scope === 'all' || !master.recurring) {
    const rebased: Result<{ patch: EventPatch }> =
      ms !== undefined && master.recurring ? rebasePatch(loaded.reader, parts.master, patch, ms) : { ok: true, patch };
    return rebased.ok ? editAll(loaded.calendar, rebased.patch) : rebased;
  }
  if (ms === undefined) return failInput(`occurrence is required for scope "${options.scope}".`);
  if (options.scope === 'this') {
    const result = editThis(loaded, master, patch, ms);
    return result.ok ? { ok: true, fresh: result.override } : result;
  }
  if (overrideAt(loaded, ms) === undefined && !isMasterInstance(master, ms)) {
    return failInput('The occurrence is not an instance of the series.');
  }
  if (!hasInstanceBefore(master, ms)) return editAll(loaded.calendar, patch);
  const result = splitSeries(
    loaded.calendar,
    { ...parts, master: parts.master },
    master,
    loaded.reader,
    patch,
    ms,
    options.now,
  );
  return result.ok ? { ok: true, split: result.split } : result;
}

/**
 * Applies `patch` to a stored object and returns the new ICS.
 *
 * - `'all'`, or any scope on a single event: the master is patched in place (see `editAll`
 *   for how a series' exceptions follow a new start or rule). With an `occurrence`,
 *   `start`/`end` are that occurrence's new times and move the whole series the same way
 *   (see `rebasePatch`); without one they are the series' first instance's.
 * - `'this'`: writes (or updates) the RECURRENCE-ID override of that occurrence; a new one
 *   copies the master (ATTENDEE, VALARM, X-… included) without RRULE/RDATE/EXDATE.
 * - `'future'`: splits the series (see `splitSeries`); the patch applies to the new object,
 *   returned as `split`. At the first instance it is the same as `'all'`.
 *
 * Untouched lines keep their source text; changed components get new DTSTAMP/LAST-MODIFIED
 * and, for significant changes (DTSTART, DTEND, DURATION, RRULE, RDATE, EXDATE, STATUS),
 * SEQUENCE + 1. Every TZID used gets a VTIMEZONE. Invalid input (bad times or rule, unknown
 * zone, an occurrence that is not an instance) is `invalid-input`, unreadable ICS `bad-data`.
 * Never throws.
 */
export function updateEventIcs(ics: string, patch: EventPatch, options: EditIcsOptions): UpdateEventResult {
  try {
    if (typeof patch !== 'object' || patch === null) return failInput('No patch given.');
    const load = loadObject(ics, options);
    if (!load.ok) return load;
    const { loaded } = load;
    const outcome = update(loaded, patch, options);
    if (!outcome.ok) return outcome;
    const fresh = new Set(outcome.fresh === undefined ? [] : [outcome.fresh]);
    const result: UpdateEventResult = { ok: true, ics: finish(loaded, options.now, fresh) };
    if (outcome.split !== undefined) result.split = outcome.split;
    return result;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return fail(new CalsyncError('internal', `Could not edit the event: ${message}`, { cause }));
  }
}
