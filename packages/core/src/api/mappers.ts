import { indexObject } from '../ical/index.ts';
import { masterRule } from '../ical/read/master-rule.ts';
import { eventIdOf } from '../model/ids.ts';
import type { AccountRecord, CalendarRecord, ConflictRecord, ObjectRecord, OutboxRecord } from '../model/records.ts';
import { toIso } from '../util/dates.ts';
import { storedErrorCode } from './errors.ts';
import type { Account, Calendar, CalendarEvent, Conflict, EventDetails, PendingChange } from './types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Public shape of an outbox entry. */
export function toPendingChange(entry: OutboxRecord, accountPaused: boolean): PendingChange {
  return {
    id: entry.id,
    eventId: eventIdOf(entry.calendarId, entry.href),
    calendarId: entry.calendarId,
    accountId: entry.accountId,
    operation: entry.op,
    createdAt: iso(entry.createdAt),
    updatedAt: iso(entry.updatedAt),
    attempts: entry.attempts,
    state: entry.state === 'quarantined' ? 'quarantined' : accountPaused ? 'paused' : 'pending',
    ...(entry.summary === undefined ? {} : { summary: entry.summary }),
    ...(entry.nextAttemptAt === undefined ? {} : { nextAttemptAt: iso(entry.nextAttemptAt) }),
    ...(entry.lastError === undefined
      ? {}
      : {
          lastError: {
            code: storedErrorCode(entry.lastError.code),
            message: entry.lastError.message,
            ...(entry.lastError.status === undefined ? {} : { status: entry.lastError.status }),
            ...(entry.lastError.serverMessage === undefined ? {} : { serverMessage: entry.lastError.serverMessage }),
          },
        }),
  };
}

/** Public shape of a stored conflict. */
export function toConflict(record: ConflictRecord): Conflict {
  return {
    id: record.id,
    eventId: eventIdOf(record.calendarId, record.href),
    calendarId: record.calendarId,
    kind: record.kind,
    current: record.current,
    properties: record.properties,
    createdAt: iso(record.createdAt),
    ...(record.uid === undefined ? {} : { uid: record.uid }),
    ...(record.summary === undefined ? {} : { summary: record.summary }),
    ...(record.base === undefined ? {} : { base: record.base }),
    ...(record.local === undefined ? {} : { local: record.local }),
    ...(record.server === undefined ? {} : { server: record.server }),
    ...detailsOf('localEvent', record.local),
    ...detailsOf('serverEvent', record.server),
  };
}

/** The readable fields of one version's ICS, under `key`; nothing when absent or unreadable. */
function detailsOf<K extends string>(key: K, ics: string | undefined): { [P in K]?: EventDetails } {
  if (ics === undefined) return {};
  const indexed = indexObject(ics);
  if (!indexed.ok) return {};
  const f = indexed.fields;
  const details: EventDetails = definedOnly({
    summary: f.summary,
    start: toIso(f.start, f.allDay),
    end: toIso(f.end, f.allDay),
    allDay: f.allDay,
    timezone: f.timezone,
    location: f.location,
    description: f.description,
    rrule: f.recurring ? masterRule(ics) : undefined,
  });
  return { [key]: details } as { [P in K]?: EventDetails };
}

/** Public shape of an account row (no secrets are stored in it). */
export function toAccount(record: AccountRecord): Account {
  return {
    id: record.id,
    name: record.name,
    serverUrl: record.serverUrl,
    username: record.username,
    homeUrl: record.homeUrl,
    ...(record.lastSyncAt === undefined ? {} : { lastSyncAt: iso(record.lastSyncAt) }),
    ...(record.lastError === undefined
      ? {}
      : { lastError: { code: storedErrorCode(record.lastError.code), message: record.lastError.message } }),
  };
}

/** Public shape of a calendar row. */
export function toCalendar(record: CalendarRecord, objectCount: number): Calendar {
  return {
    id: record.id,
    accountId: record.accountId,
    url: record.url,
    name: record.displayName,
    readOnly: record.readOnly || record.deletedOnServer === true,
    deletedOnServer: record.deletedOnServer === true,
    objectCount,
    ...(record.color === undefined ? {} : { color: record.color }),
  };
}

/** Public shape of a stored object. */
export function toCalendarEvent(record: ObjectRecord): CalendarEvent {
  const allDay = record.allDay ?? false;
  return {
    eventId: eventIdOf(record.calendarId, record.href),
    calendarId: record.calendarId,
    href: record.href,
    ics: record.ics,
    invalid: record.state === 'bad',
    pending: record.pending ?? false,
    conflict: record.conflict ?? false,
    ...definedOnly({
      etag: record.etag,
      uid: record.uid,
      summary: record.summary,
      start: record.start === undefined ? undefined : toIso(record.start, allDay),
      end: record.end === undefined ? undefined : toIso(record.end, allDay),
      allDay: record.state === 'ok' ? allDay : undefined,
      timezone: record.timezone,
      floating: record.floating === true ? (true as const) : undefined,
      location: record.location,
      description: record.description,
      recurring: record.recurring,
      rrule: record.recurring ? masterRule(record.ics) : undefined,
      invalidReason: record.badReason,
    }),
  };
}

function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
