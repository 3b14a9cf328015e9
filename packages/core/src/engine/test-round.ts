/**
 * A sync round on fakes for the tests of this folder: the real store on fake-indexeddb, the
 * scripted fake transport, a manual clock; everything the round emits is recorded.
 */
import type { SyncEvent } from '../api/types.ts';
import { calendar, vevent } from '../ical/test-ics.ts';
import type { AccountRecord } from '../model/records.ts';
import { type Log, safeLog } from '../platform/logger.ts';
import { ManualClock } from '../platform/test-platform.ts';
import { CalsyncStore } from '../store/store.ts';
import { FakeTransport } from '../transport/fake-transport.ts';
import type { ServerIssue } from '../transport/members.ts';
import type { RoundDeps } from './account-round.ts';

let serial = 0;

export interface RoundFixture {
  readonly store: CalsyncStore;
  readonly server: FakeTransport;
  readonly clock: ManualClock;
  readonly deps: RoundDeps;
  readonly events: SyncEvent[];
  readonly logged: string[];
  readonly issues: ServerIssue[];
  readonly changed: Array<{ accountId: string; calendarIds: readonly string[] }>;
  /** Adds an account on `server` (no calendars stored yet: the first pull finds them). */
  account(id?: string, server?: FakeTransport): Promise<AccountRecord>;
  close(): void;
}

/** One event's ICS. */
export function eventIcs(uid: string, summary: string, day = 5): string {
  const d = String(day).padStart(2, '0');
  return calendar(vevent(`UID:${uid}`, `DTSTART:202601${d}T090000Z`, `DTEND:202601${d}T100000Z`, `SUMMARY:${summary}`));
}

export async function roundFixture(options: { log?: Log } = {}): Promise<RoundFixture> {
  const store = await CalsyncStore.open(indexedDB, `round-${crypto.randomUUID()}-${++serial}`);
  const server = new FakeTransport();
  const clock = new ManualClock();
  const events: SyncEvent[] = [];
  const logged: string[] = [];
  const issues: ServerIssue[] = [];
  const changed: RoundFixture['changed'] = [];
  const servers = new Map<string, FakeTransport>();
  const deps: RoundDeps = {
    store,
    policy: 'merge',
    now: () => clock.now(),
    log: options.log ?? safeLog({ warn: (m) => logged.push(m), error: (m) => logged.push(m) }),
    transport: (account) => servers.get(account.id) ?? server,
    report: (_accountId, issue) => issues.push(issue),
    emit: (event) => events.push(event),
    changed: (accountId, calendarIds) => changed.push({ accountId, calendarIds }),
    takeFreshListing: () => undefined,
    afterPush: async () => undefined,
  };
  return {
    store,
    server,
    clock,
    deps,
    events,
    logged,
    issues,
    changed,
    async account(id = 'acc', on = server) {
      servers.set(id, on);
      const record: AccountRecord = {
        id,
        name: id,
        serverUrl: on.serverUrl,
        username: 'user',
        principalUrl: on.principalUrl,
        homeUrl: on.homeUrl,
        createdAt: clock.now(),
      };
      await store.addAccount(record, 'secret', []);
      return record;
    },
    close: () => store.close(),
  };
}
