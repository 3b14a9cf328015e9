import { CalsyncError } from '../api/errors.ts';
import type { EditOptions, EditScope, EventInput, EventPatch } from '../api/types.ts';
import { createEventIcs, deleteFromEventIcs, updateEventIcs } from '../ical/index.ts';
import { eventIdOf, parseEventId } from '../model/ids.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { LocalChange } from '../model/outbox.ts';
import type { CalendarRecord, ConflictRecord, ObjectRecord } from '../model/records.ts';
import type { ReplicaStore } from '../store/port.ts';
import { canonicalCollection, canonicalHref } from '../transport/href.ts';
import { toEpochMs } from '../util/dates.ts';
import { assertWritableIcs, cleanEventInput } from './clean-input.ts';
import { coalesce, type LocalEdit } from './coalesce.ts';
import { assertReadableIcs } from './resolve.ts';

/** What local edits need. */
export interface EditDeps {
  readonly store: ReplicaStore;
  readonly now: () => number;
  readonly newId: () => string;
  /** Whether a stored object of the calendar already has this UID (the engine's query index). */
  readonly uidInUse: (calendarId: string, uid: string) => Promise<boolean>;
}

/** Result of an edit: the ids of the objects it touched (for events and the return value). */
export interface EditResult {
  readonly eventId: string | undefined;
  readonly calendarId: string;
  readonly accountId: string;
  /** Objects whose rows changed. */
  readonly hrefs: readonly string[];
  /**
   * Per href, the row exactly as this edit stored it (`null`: removed), when it is known
   * without reading it back — the query index is patched with it at once.
   */
  readonly rows?: ReadonlyArray<ObjectRecord | null>;
}

/**
 * Creates an event locally: validated and written as ICS first (nothing is stored on
 * invalid input), then the row and its outbox entry in one strict transaction.
 */
export async function createLocal(deps: EditDeps, calendarId: string, raw: EventInput): Promise<EditResult> {
  const input = cleanEventInput(raw);
  const calendar = await writableCalendar(deps, calendarId);
  const written = createEventIcs(input, { now: deps.now(), ...(input.uid === undefined ? {} : { uid: input.uid }) });
  if (!written.ok) throw written.error;
  const href = hrefFor(calendar, written.uid, deps.newId);
  if ((await deps.uidInUse(calendar.id, written.uid)) || (await deps.store.getObject(calendar.id, href))) {
    throw new CalsyncError('invalid-input', 'An event with this UID already exists in the calendar.', {
      retryable: false,
    });
  }
  const change = localChange(deps, calendar, href, undefined, { kind: 'create', ics: written.ics }, undefined);
  await deps.store.outbox.recordChanges([change]);
  return {
    eventId: eventIdOf(calendar.id, href),
    calendarId: calendar.id,
    accountId: calendar.accountId,
    hrefs: [href],
    rows: [change.row],
  };
}

/** Changes an event, one occurrence, this and the following, or the whole series. */
export async function updateLocal(
  deps: EditDeps,
  eventId: string,
  raw: EventPatch,
  options: EditOptions = {},
): Promise<EditResult> {
  const patch = cleanEventInput(raw);
  const { calendar, row } = await editableRow(deps, eventId);
  const { scope, occurrence } = editTarget(options);
  const updated = updateEventIcs(row.ics, patch, {
    scope,
    now: deps.now(),
    ...(occurrence === undefined ? {} : { occurrence }),
  });
  if (!updated.ok) throw updated.error;
  const changes = [await changeFor(deps, calendar, row, { kind: 'update', ics: updated.ics })];
  if (updated.split) {
    const href = hrefFor(calendar, updated.split.uid, deps.newId);
    const created = localChange(deps, calendar, href, undefined, { kind: 'create', ics: updated.split.ics }, undefined);
    changes.push({ ...created, entry: created.entry && { ...created.entry, splitFrom: row.href } });
  }
  await deps.store.outbox.recordChanges(changes);
  return {
    eventId: eventIdOf(calendar.id, row.href),
    calendarId: calendar.id,
    accountId: calendar.accountId,
    hrefs: changes.map((c) => c.href),
    rows: changes.map((c) => c.row),
  };
}

/** Deletes an event, one occurrence (EXDATE), this and the following, or the whole series. */
export async function deleteLocal(deps: EditDeps, eventId: string, options: EditOptions = {}): Promise<EditResult> {
  const discarded = await discardInDeletedCalendar(deps, eventId, options);
  if (discarded) return discarded;
  const { calendar, row } = await editableRow(deps, eventId);
  const { scope, occurrence } = editTarget(options);
  const result = deleteFromEventIcs(row.ics, {
    scope,
    now: deps.now(),
    ...(occurrence === undefined ? {} : { occurrence }),
  });
  if (!result.ok) throw result.error;
  const edit: LocalEdit = result.ics === null ? { kind: 'delete' } : { kind: 'update', ics: result.ics };
  const change = await changeFor(deps, calendar, row, edit);
  await deps.store.outbox.recordChanges([change]);
  return {
    eventId: undefined,
    calendarId: calendar.id,
    accountId: calendar.accountId,
    hrefs: [row.href],
    rows: [change.row],
  };
}

/**
 * Settles a conflict: the chosen content becomes a normal local edit against what the
 * replica holds now (so it is pushed with the current ETag), or nothing when the replica
 * already shows it.
 */
export async function resolveLocal(
  deps: EditDeps,
  conflict: ConflictRecord,
  resolution: 'local' | 'server' | { ics: string },
): Promise<EditResult> {
  const deleted = await deps.store.getCalendar(conflict.calendarId);
  if (deleted?.deletedOnServer) {
    if (resolution !== 'server') {
      throw new CalsyncError(
        'invalid-input',
        `The calendar "${deleted.displayName}" was deleted on the server, so this version cannot go back there. ` +
          "To keep it, create it in another calendar (createEvent, or its ICS), then resolve this conflict with 'server'.",
        { retryable: false },
      );
    }
    // The server's side is "gone with its calendar": settling drops what is held here.
    await deps.store.outbox.discard(conflict.calendarId, conflict.href);
    return { eventId: undefined, calendarId: deleted.id, accountId: deleted.accountId, hrefs: [conflict.href] };
  }
  const calendar = await writableCalendar(deps, conflict.calendarId);
  const wanted =
    typeof resolution === 'object' ? resolution.ics : resolution === 'local' ? conflict.local : conflict.server;
  if (typeof resolution === 'object') assertReadableIcs(resolution.ics);
  const row = await deps.store.getObject(calendar.id, conflict.href);
  const result = {
    eventId: eventIdOf(calendar.id, conflict.href),
    calendarId: calendar.id,
    accountId: calendar.accountId,
    hrefs: [conflict.href],
  };
  if ((row?.ics ?? undefined) === wanted) {
    await deps.store.outbox.settleConflict(conflict, undefined);
    return result;
  }
  let edit: LocalEdit;
  if (wanted === undefined) edit = { kind: 'delete' };
  else if (row) edit = { kind: 'update', ics: wanted };
  else edit = { kind: 'create', ics: wanted };
  const change = row
    ? await changeFor(deps, calendar, row, edit)
    : localChange(deps, calendar, conflict.href, undefined, edit, undefined);
  await deps.store.outbox.settleConflict(conflict, change);
  return result;
}

async function changeFor(
  deps: EditDeps,
  calendar: CalendarRecord,
  row: ObjectRecord,
  edit: LocalEdit,
): Promise<LocalChange> {
  const existing = await deps.store.outbox.get(calendar.id, row.href);
  return localChange(deps, calendar, row.href, row, edit, existing);
}

function localChange(
  deps: EditDeps,
  calendar: CalendarRecord,
  href: string,
  row: ObjectRecord | undefined,
  edit: LocalEdit,
  existing: Awaited<ReturnType<ReplicaStore['outbox']['get']>>,
): LocalChange {
  const ics = edit.kind === 'delete' ? undefined : edit.ics;
  if (ics !== undefined) assertWritableIcs(ics);
  const newRow =
    ics === undefined
      ? null
      : { ...toObjectRecord(calendar.id, href, row?.etag, ics), pending: true, conflict: row?.conflict ?? false };
  const entry = coalesce(existing, edit, {
    id: existing?.id ?? deps.newId(),
    calendarId: calendar.id,
    accountId: calendar.accountId,
    href,
    uid: newRow?.uid ?? row?.uid,
    summary: newRow?.summary ?? row?.summary,
    // The row is the server's version unless a pending edit already replaced it (then the
    // entry keeps the original base).
    serverEtag: row?.pending ? undefined : row?.etag,
    serverIcs: row?.pending ? undefined : row?.ics,
    now: deps.now(),
  });
  // create + delete cancel out: the row disappears and nothing is queued.
  return { calendarId: calendar.id, href, row: entry === null ? null : newRow, entry };
}

/**
 * `deleteEvent` in a calendar deleted on the server (kept for its local state): drops this
 * device's pending change, conflicts and copy of the whole object — there is nothing left to
 * send it to. Undefined when the calendar is not such a one.
 */
async function discardInDeletedCalendar(
  deps: EditDeps,
  eventId: string,
  options: EditOptions,
): Promise<EditResult | undefined> {
  const parsed = parseEventId(eventId);
  const calendar = parsed ? await deps.store.getCalendar(parsed.calendarId) : undefined;
  if (!parsed || !calendar?.deletedOnServer) return undefined;
  if (options.occurrence !== undefined) {
    throw new CalsyncError(
      'invalid-input',
      'The calendar was deleted on the server: only whole events can be discarded.',
    );
  }
  await deps.store.outbox.discard(calendar.id, parsed.href);
  return { eventId: undefined, calendarId: calendar.id, accountId: calendar.accountId, hrefs: [parsed.href] };
}

async function writableCalendar(deps: EditDeps, calendarId: string): Promise<CalendarRecord> {
  const calendar = await deps.store.getCalendar(calendarId);
  if (!calendar) throw new CalsyncError('not-found', `No calendar ${calendarId}.`, { retryable: false });
  if (calendar.deletedOnServer) {
    throw new CalsyncError(
      'invalid-input',
      `The calendar "${calendar.displayName}" was deleted on the server; its events are kept read-only until their local changes are settled.`,
      { retryable: false },
    );
  }
  if (calendar.readOnly)
    throw new CalsyncError('invalid-input', `The calendar "${calendar.displayName}" is read-only.`);
  return calendar;
}

async function editableRow(deps: EditDeps, eventId: string): Promise<{ calendar: CalendarRecord; row: ObjectRecord }> {
  const parsed = parseEventId(eventId);
  if (!parsed) throw new CalsyncError('invalid-input', `Not an event id: ${eventId}`);
  const calendar = await writableCalendar(deps, parsed.calendarId);
  const row = await deps.store.getObject(calendar.id, parsed.href);
  if (!row) throw new CalsyncError('not-found', 'This event does not exist (any more).', { retryable: false });
  if (row.state === 'bad')
    throw new CalsyncError('invalid-input', 'This event could not be read, so it cannot be edited.');
  return { calendar, row };
}

function editTarget(options: EditOptions): { scope: EditScope; occurrence: number | undefined } {
  const occurrence = options.occurrence === undefined ? undefined : toEpochMs(options.occurrence, 'occurrence');
  const scope = options.scope ?? (occurrence === undefined ? 'all' : 'this');
  if (scope !== 'all' && occurrence === undefined) {
    throw new CalsyncError('invalid-input', `Scope '${scope}' needs the occurrence to edit.`);
  }
  return { scope, occurrence };
}

/** A UID that can be its own file name: short, plain, not hidden (`.Radicale.props`). */
const FILE_NAME_UID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

/**
 * The href of a new object. A UID that is a short, plain file name is used as the name
 * (readable on the server, and what other clients do); any other UID — with `/`, `?`, `#`,
 * spaces, 100+ characters — gets a fresh UUID name instead: such UIDs made Radicale answer
 * 403 (`%2F`), and truncating long ones merged UIDs that differed late or split a `%XX`
 * escape. The UID inside the object stays exactly as given. Canonical, like every href
 * pulls compare.
 */
export function hrefFor(calendar: CalendarRecord, uid: string, newId: () => string): string {
  const name = FILE_NAME_UID.test(uid) ? uid : newId();
  return canonicalHref(`${name}.ics`, canonicalCollection(calendar.url));
}
