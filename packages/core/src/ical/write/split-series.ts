import ICAL from 'ical.js';
import type { EventPatch } from '../../api/types.ts';
import { ruleJcal } from '../expand/rrule-text.ts';
import {
  endRulesBefore,
  partitionDates,
  recurrenceMs,
  replaceDates,
  ruleInstancesBefore,
  seriesClock,
  setTime,
  startStyle,
} from '../expand/series.ts';
import { cloneComponent, cloneProperty, type JComponent, writeDocument } from '../read/document.ts';
import { type ObjectParts, setProperty, textOf, type ValueReader } from '../read/jcal.ts';
import type { MasterData } from '../read/prepare.ts';
import { failInput, type Result } from '../result.ts';
import { addMissingVtimezones, usedTzids } from '../time/vtimezone.ts';
import { editAll } from './edit-all.ts';
import { icalValue, msToWall, stampProperty } from './event-time.ts';
import { currentTimes } from './patch-event.ts';
import { type Snapshot, setSequence, snapshot, stampChanges, touch } from './stamps.ts';

/** The new object a "this and future" edit splits off. */
export interface SplitResult {
  ics: string;
  uid: string;
}

/**
 * Sets DTSTART (and DTEND, keeping the length) of a copy of the master to the instance at
 * `ms`. DURATION, when used, stays as it is. Fails with `invalid-input` when the master's
 * DTSTART is unusable.
 */
export function moveToInstance(reader: ValueReader, master: JComponent, copy: JComponent, ms: number): Result {
  const style = startStyle(reader, master);
  const read = currentTimes(reader, master);
  if (style === undefined || !read.ok) return failInput('The event has no usable DTSTART.');
  const { times } = read;
  setTime(copy, 'dtstart', msToWall(ms, style), style);
  if (times.endKind === 'dtend') {
    const endStyle = startStyle(reader, master, 'dtend') ?? style;
    setTime(copy, 'dtend', msToWall(ms + (times.endMs - times.startMs), endStyle), endStyle);
  }
  return { ok: true };
}

/** COUNT of the remaining rule: instances the old part of the series already used are taken off. */
function reduceCounts(reader: ValueReader, data: MasterData, copy: JComponent, ms: number): void {
  copy[1] = copy[1].flatMap((property) => {
    if (property[0] !== 'rrule') return [property];
    const rule = reader.property(copy, property).getFirstValue();
    if (!(rule instanceof ICAL.Recur) || rule.count === null) return [property];
    const remaining = rule.count - ruleInstancesBefore(data, rule, ms);
    if (remaining <= 0) return [];
    const reduced = rule.clone();
    reduced.count = remaining;
    return [['rrule', property[1], 'recur', ruleJcal(reduced)]];
  });
}

/**
 * Splits a series at the instance `ms` ("this and future"), in place for the old object:
 * its rules end before the instance (see `endRulesBefore`), and the EXDATEs, RDATEs and
 * overrides at or after it move to a new object. The new object gets the UID
 * `${uid}-R${recurrence-id}` (deterministic, so a retried edit makes the same object),
 * DTSTART at the instance, the rest of the rule (COUNT reduced by the instances before),
 * SEQUENCE 0 and CREATED now; then the patch applies to it as to a whole series.
 * Returns the new object as `split`; invalid input is `invalid-input`.
 */
export function splitSeries(
  calendar: JComponent,
  parts: ObjectParts & { master: JComponent },
  data: MasterData,
  reader: ValueReader,
  patch: EventPatch,
  ms: number,
  now: number,
): Result<{ split: SplitResult }> {
  const master = parts.master;
  const style = startStyle(reader, master);
  if (style === undefined) return failInput('The event has no usable DTSTART.');
  const uid = `${parts.uid}-R${icalValue(msToWall(ms, style), style)}`;
  const fresh = cloneComponent(master);
  setProperty(fresh, ['uid', {}, 'text', uid]);
  const placed = moveToInstance(reader, master, fresh, ms);
  if (!placed.ok) return placed;
  reduceCounts(reader, data, fresh, ms);
  const series = seriesClock(data);
  const { before, after } = partitionDates(reader, master, series, ms);
  replaceDates(master, before);
  replaceDates(fresh, after);
  endRulesBefore(reader, master, style, ms);
  const moved = parts.overrides.filter((o) => recurrenceMs(reader, o, series) >= ms);
  calendar[2] = calendar[2].filter((c) => !moved.includes(c));

  const baselines = new Map<JComponent, Snapshot>();
  for (const override of moved) {
    baselines.set(override, snapshot(override));
    setProperty(override, ['uid', {}, 'text', uid]);
  }
  const split: JComponent = ['vcalendar', calendar[1].map(cloneProperty), [fresh, ...moved]];
  const edited = editAll(split, patch);
  if (!edited.ok) return edited;
  setProperty(fresh, stampProperty('created', now));
  setSequence(fresh, 0);
  touch(fresh, now);
  for (const override of moved) {
    const baseline = baselines.get(override);
    if (baseline !== undefined && split[2].includes(override)) stampChanges(override, baseline, now);
  }
  const tzids = usedTzids(split);
  const zones = calendar[2].filter((c) => c[0] === 'vtimezone' && tzids.has(textOf(c, 'tzid') ?? ''));
  split[2] = [...zones.map(cloneComponent), ...split[2]];
  addMissingVtimezones(split);
  return { ok: true, split: { ics: writeDocument(split), uid } };
}
