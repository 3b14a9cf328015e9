import { type CalendarSync, type Conflict, isCalsyncError } from '@calsync/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DavTestClient } from '../helpers/dav-client.ts';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { duplicateIdentities, type Harness, openDevice } from './setup.ts';

// Model-based property test (issue 11): random sequences of creates, updates and deletes
// (single events and weekly series; whole series, one occurrence, this-and-following),
// offline/online, sync and reopen on two devices of one account against a real server.
// Afterwards both devices go online and sync (A, B, A, B …) until nothing is pending and the
// server stops changing, and
//   1. both replicas and a fresh third device show exactly what the server holds (same
//      occurrences and summaries; same objects: UID, rule, EXDATEs, summary per component);
//   2. nothing is duplicated: each UID once on the server, no UID + RECURRENCE-ID twice in a
//      replica, and no occurrence of a series (lineage + original start) shown twice, also
//      across the objects a split makes — except in a series with a recorded conflict;
//   3. no edit is silently lost: every summary a device wrote and that nobody overwrote
//      after seeing it is still shown where it was written, or kept in a listed conflict, or
//      displaced there by a more specific concurrent write of the other device; and an
//      occurrence deleted after being seen stays deleted unless a concurrent edit kept it or
//      the delete became a conflict;
//   4. nothing is pending;
// then every conflict is resolved with 'local' (A's, converge, B's, converge) and 1, 2 and 4
// hold again.
//
// The model tracks *obligations*: per occurrence (lineage UID + original start) and device,
// the last summary that device wrote there, and how specific that write was. A device that
// changes or removes an occurrence whose replica showed another device's obligated summary
// discharges it (it saw it). Every summary is unique, so "showed it" is an equality test.
// "More specific" (see `Level`): an occurrence's override beats a series-wide title, a
// split ("this and following") beats the title of the series it splits; equal levels must
// not silently replace each other (the merge lists a conflict).
//
// Budget: the EXAMPLES, then NUM_RUNS random sequences of ≤ MAX_COMMANDS commands per server,
// each after a fixed prefix (A creates a weekly series ×4 and a single event; A and B sync).
// On failure fast-check prints the seed and the shrunk command list; replay with
// CALSYNC_MODEL_SEED=<seed>; CALSYNC_MODEL_RUNS=<n> runs more.

const NUM_RUNS = Number(process.env.CALSYNC_MODEL_RUNS ?? 20);
const MAX_COMMANDS = 12;
const WINDOW = { start: '2026-11-01T00:00:00Z', end: '2027-04-01T00:00:00Z' };
const SEED = process.env.CALSYNC_MODEL_SEED === undefined ? undefined : Number(process.env.CALSYNC_MODEL_SEED);

/** The lineage of an object: its UID without the `-R<recurrence-id>` suffixes of splits. */
const lineage = (uid: string) => uid.replace(/(-R\d{8}(T\d{6}Z?)?)+$/, '');

type Dev = 'A' | 'B';
type Scope = 'all' | 'this' | 'future';
/**
 * How specific a write is. A whole object at split depth k (its UID has k `-R…` suffixes) is k;
 * "this and following" there is k + 1 (the object it makes is at depth k + 1); one occurrence
 * is above every depth.
 */
type Level = number;
const ONE_OCCURRENCE: Level = 100;
const depth = (uid: string) => (uid.slice(lineage(uid).length).match(/-R/g) ?? []).length;
type Command =
  | { op: 'create'; dev: Dev; day: number; count: number }
  | { op: 'update'; dev: Dev; pick: number; scope: Scope }
  | { op: 'delete'; dev: Dev; pick: number; scope: Scope }
  | { op: 'offline' | 'online' | 'sync' | 'reopen'; dev: Dev };

/**
 * Sequences checked before the random ones (defects this test found). Picks index the device's
 * occurrences sorted by UID and start: after the prefix, 0–3 are the series (7, 14, 21 and
 * 28 Dec), 4 the single event.
 */
const EXAMPLES: Command[][] = [
  // One device edits the 14 Dec occurrence, the other splits the series there ("this and following").
  [
    { op: 'update', dev: 'A', pick: 1, scope: 'this' },
    { op: 'update', dev: 'B', pick: 1, scope: 'future' },
    { op: 'sync', dev: 'A' },
    { op: 'sync', dev: 'B' },
  ],
  // Both devices split the series ("this and following"), at 14 and at 21 Dec.
  [
    { op: 'update', dev: 'B', pick: 1, scope: 'future' },
    { op: 'update', dev: 'A', pick: 2, scope: 'future' },
    { op: 'sync', dev: 'A' },
    { op: 'sync', dev: 'B' },
  ],
  // One device splits the series at 21 Dec and deletes what is left of it; the other renames the series.
  [
    { op: 'update', dev: 'A', pick: 2, scope: 'future' },
    { op: 'delete', dev: 'A', pick: 0, scope: 'all' },
    { op: 'update', dev: 'B', pick: 0, scope: 'all' },
    { op: 'sync', dev: 'B' },
    { op: 'sync', dev: 'A' },
  ],
  // One device edits the 14 Dec occurrence, the other deletes it.
  [
    { op: 'update', dev: 'A', pick: 1, scope: 'this' },
    { op: 'delete', dev: 'B', pick: 1, scope: 'this' },
    { op: 'sync', dev: 'A' },
    { op: 'sync', dev: 'B' },
  ],
];

const dev = fc.constantFrom<Dev>('A', 'B');
const scope = fc.constantFrom<Scope>('all', 'this', 'future');
const command: fc.Arbitrary<Command> = fc.oneof(
  // count 1 = a single event, else a weekly series with COUNT.
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('create'),
      dev,
      day: fc.integer({ min: 1, max: 20 }),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('update'), dev, pick: fc.nat(15), scope }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete'), dev, pick: fc.nat(15), scope }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('sync'), dev }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('offline'), dev }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('online'), dev }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reopen'), dev }) },
) as fc.Arbitrary<Command>;

interface Occurrence {
  readonly eventId: string;
  readonly uid: string;
  readonly recurrenceId?: string;
  readonly start: string;
  readonly summary: string;
}

/** What a replica shows: occurrences keyed by lineage + original start. */
interface View {
  /** The summaries shown at each key (more than one only when an occurrence is shown twice). */
  readonly byKey: Map<string, string[]>;
  readonly occurrences: Occurrence[];
  readonly duplicateKeys: string[];
}

const keyOf = (o: Occurrence) => `${lineage(o.uid)} ${o.recurrenceId ?? o.start}`;

async function viewOf(sdk: CalendarSync, calendarId: string): Promise<View> {
  const occurrences = (await sdk.listEvents({ ...WINDOW, calendarIds: [calendarId] }))
    .map((o) => ({
      eventId: o.eventId,
      uid: o.uid,
      start: o.start,
      summary: o.summary,
      ...(o.recurrenceId === undefined ? {} : { recurrenceId: o.recurrenceId }),
    }))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const byKey = new Map<string, string[]>();
  const duplicateKeys: string[] = [];
  for (const o of occurrences) {
    const shown = byKey.get(keyOf(o));
    if (shown) duplicateKeys.push(keyOf(o));
    byKey.set(keyOf(o), [...(shown ?? []), o.summary].sort());
  }
  return { byKey, occurrences, duplicateKeys };
}

const describeView = (view: View) => view.occurrences.map((o) => `${keyOf(o)} ${o.uid} ${o.summary}`);

/** Unfolded content lines of the VEVENTs of an object, grouped per component. */
function vevents(ics: string): Array<Map<string, string[]>> {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const result: Array<Map<string, string[]>> = [];
  let current: Map<string, string[]> | undefined;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = new Map();
    else if (line === 'END:VEVENT' && current) {
      result.push(current);
      current = undefined;
    } else if (current) {
      const match = /^([A-Z-]+)(;[^:]*)?:(.*)$/.exec(line);
      if (!match) continue;
      const [, name = '', , value = ''] = match;
      current.set(name, [...(current.get(name) ?? []), value]);
    }
  }
  return result;
}

/** What must agree between the server and a replica for one object: UID, rule, exclusions, summaries per component. */
function signature(ics: string): { uid: string; text: string } {
  const components = vevents(ics);
  const master = components.find((c) => !c.has('RECURRENCE-ID')) ?? components[0];
  const uid = master?.get('UID')?.[0] ?? '';
  const parts = components
    .map((c) => `${c.get('RECURRENCE-ID')?.[0] ?? 'master'} ${c.get('SUMMARY')?.[0] ?? ''}`)
    .sort();
  const exdates = [...new Set((master?.get('EXDATE') ?? []).flatMap((v) => v.split(',')))].sort();
  return {
    uid,
    text: [`UID ${uid}`, `RRULE ${master?.get('RRULE')?.[0] ?? ''}`, `EXDATE ${exdates}`, ...parts].join('\n'),
  };
}

const hasSummary = (ics: string | undefined, summary: string) =>
  ics !== undefined && vevents(ics).some((c) => c.get('SUMMARY')?.includes(summary));

describe.each(SERVERS)('model-based: two devices, random edits, offline, sync, reopen on $name', (kind) => {
  let server: DavServer;
  let dav: DavTestClient;
  let run = 0;
  /** What the runs exercised, printed at the end (to see that the model is not testing nothing). */
  const stats = { commands: 0, edits: 0, offlineSyncs: 0, conflicts: 0, obligations: 0, tombstones: 0 };

  beforeAll(async () => {
    server = await kind.start();
    dav = server.client();
  });

  afterAll(async () => {
    await server?.stop();
    console.info(`model-based on ${kind.name}: ${run} runs, ${JSON.stringify(stats)}`);
  });

  it('replicas and server agree with the model; no edit lost, nothing duplicated or stuck', async () => {
    const property = fc.asyncProperty(
      fc.array(command, { minLength: 3, maxLength: MAX_COMMANDS }),
      async (commands) => {
        run++;
        const path = server.calendar(`model${run}`);
        await dav.makeCalendar(path, `Model ${run}`);
        const devices: Partial<Record<Dev | 'C', Harness>> = {};
        try {
          await runSequence(path, commands, devices);
        } finally {
          for (const h of Object.values(devices)) await h?.sdk.close().catch(() => undefined);
          await dav.request('DELETE', path);
        }
      },
    );
    await fc.assert(property, {
      numRuns: NUM_RUNS,
      examples: EXAMPLES.map((commands) => [commands]),
      ...(SEED === undefined ? {} : { seed: SEED }),
      interruptAfterTimeLimit: 240_000,
      markInterruptAsFailure: true,
    });
  }, 300_000);

  async function runSequence(
    path: string,
    commands: readonly Command[],
    devices: Partial<Record<Dev | 'C', Harness>>,
  ): Promise<void> {
    const a = await openDevice(server);
    devices.A = a;
    const b = await openDevice(server);
    devices.B = b;
    const h = { A: a, B: b };
    const calendarId = (await a.sdk.listCalendars()).find((c) => c.url.endsWith(path))?.id ?? '';
    const calendarIdB = (await b.sdk.listCalendars()).find((c) => c.url.endsWith(path))?.id ?? '';
    expect(calendarId).not.toBe('');
    expect(calendarIdB).not.toBe('');
    const calendarOf = { A: calendarId, B: calendarIdB };
    const offline = { A: false, B: false };

    /**
     * key → device → the last summary that device wrote there (not yet overwritten by someone
     * who saw it), with the specificity of the write that put it there.
     */
    const obligations = new Map<string, Map<Dev, { summary: string; level: Level }>>();
    /** Occurrences a device removed after seeing them. */
    const tombstones: Array<{ key: string; dev: Dev; seen: string; level: Level }> = [];
    const log: string[] = [];

    const record = (d: Dev, before: View, after: View, level: Level) => {
      for (const key of new Set([...before.byKey.keys(), ...after.byKey.keys()])) {
        const was = before.byKey.get(key) ?? [];
        const now = after.byKey.get(key) ?? [];
        if (was.join('|') === now.join('|')) continue;
        const removed = was.filter((x) => !now.includes(x));
        const added = now.filter((x) => !was.includes(x));
        const owed = obligations.get(key) ?? new Map<Dev, { summary: string; level: Level }>();
        // Removed or overwritten after being seen: discharged; and d's own latest action here
        // replaces what d wrote here before.
        for (const [other, o] of owed) if (other === d || removed.includes(o.summary)) owed.delete(other);
        for (const summary of added) owed.set(d, { summary, level });
        if (now.length === 0) tombstones.push({ key, dev: d, seen: was.join(' + '), level });
        obligations.set(key, owed);
      }
    };

    let serial = 0;
    const edit = async (d: Dev, work: (view: View, summary: string) => Promise<{ what: string; level: Level }>) => {
      const sdk = h[d].sdk;
      const before = await viewOf(sdk, calendarOf[d]);
      const summary = `S-${d}-${++serial}`;
      const { what, level } = await work(before, summary);
      stats.edits++;
      const after = await viewOf(sdk, calendarOf[d]);
      log.push(`${d} ${what}`);
      record(d, before, after, level);
    };

    const sync = async (d: Dev) => {
      if (offline[d]) {
        const error = await h[d].sdk.sync().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isCalsyncError(error) && error.code, `${d} sync while offline`).toBe('network');
        stats.offlineSyncs++;
      } else {
        const report = await h[d].sdk.sync();
        expect(
          report.accounts.map((r) => r.error?.message ?? 'ok'),
          `${d} sync online`,
        ).toEqual(['ok']);
      }
      log.push(`${d} sync${offline[d] ? ' (offline)' : ''}`);
    };

    const create = async (d: Dev, day: number, count: number, summary: string) => {
      const date = `2026-12-${String(day).padStart(2, '0')}`;
      const uid = `m${run}n${serial}`;
      await h[d].sdk.createEvent(calendarOf[d], {
        uid,
        summary,
        start: `${date}T09:00:00Z`,
        end: `${date}T10:00:00Z`,
        ...(count > 1 ? { rrule: `FREQ=WEEKLY;COUNT=${count}` } : {}),
      });
      return { what: `create ${uid} ${count > 1 ? `weekly×${count}` : 'single'} ${summary}`, level: 0 };
    };

    // Fixed prefix: shared data on both devices.
    await edit('A', (_, summary) => create('A', 7, 4, summary));
    await edit('A', (_, summary) => create('A', 9, 1, summary));
    await sync('A');
    await sync('B');

    for (const c of commands) {
      const d = c.dev;
      stats.commands++;
      switch (c.op) {
        case 'create':
          await edit(d, (_, summary) => create(d, c.day, c.count, summary));
          break;
        case 'update':
        case 'delete':
          await edit(d, async (view, summary) => {
            const target = view.occurrences[c.pick % Math.max(1, view.occurrences.length)];
            if (target === undefined) return { what: `${c.op}: nothing to edit`, level: 0 };
            const options =
              c.scope === 'all' || target.recurrenceId === undefined
                ? {}
                : { occurrence: target.recurrenceId, scope: c.scope };
            const label = `${c.op} ${keyOf(target)} ${options.scope ?? 'all'}`;
            if (c.op === 'update') await h[d].sdk.updateEvent(target.eventId, { summary }, options);
            else await h[d].sdk.deleteEvent(target.eventId, options);
            let level: Level = options.scope === 'this' ? ONE_OCCURRENCE : depth(target.uid);
            if (options.scope === 'future') {
              // At the first instance 'future' is the whole series: no new object (update), or
              // the object is gone (delete).
              const after = await viewOf(h[d].sdk, calendarOf[d]);
              const objects = (v: View) => new Set(v.occurrences.map((o) => o.uid));
              const [was, now] = [objects(view), objects(after)];
              const split = c.op === 'update' ? [...now].some((uid) => !was.has(uid)) : now.has(target.uid);
              if (split) level++;
            }
            return { what: `${c.op === 'update' ? `${label} → ${summary}` : label} (level ${level})`, level };
          });
          break;
        case 'sync':
          await sync(d);
          break;
        case 'offline':
          offline[d] = true;
          h[d].net.intercept = async () => {
            throw new TypeError('Failed to fetch');
          };
          log.push(`${d} offline`);
          break;
        case 'online':
          offline[d] = false;
          h[d].net.intercept = undefined;
          log.push(`${d} online`);
          break;
        case 'reopen':
          await h[d].reopen();
          log.push(`${d} reopen`);
          break;
      }
    }

    // Both online; sync A, B, … until nothing is pending and the server stopped changing.
    offline.A = offline.B = false;
    a.net.intercept = b.net.intercept = undefined;
    const converge = async (what: string) => {
      let previous: string | undefined;
      for (let round = 0; ; round++) {
        await sync('A');
        await sync('B');
        const pending = [...(await a.sdk.listPending()), ...(await b.sdk.listPending())];
        const snapshot = (await dav.objects(path))
          .map((o) => signature(o.ics).text)
          .sort()
          .join('\n\n');
        if (pending.length === 0 && snapshot === previous) return;
        previous = snapshot;
        expect(round, `${what}: no convergence; pending ${JSON.stringify(pending)}\n${log.join('\n')}`).toBeLessThan(6);
      }
    };

    /** Invariants 1, 2, 4: replicas = a fresh device = the server, no duplicates, nothing pending. */
    const checkConverged = async (what: string, conflicted: ReadonlySet<string>): Promise<View> => {
      const onServer = await dav.objects(path);
      const context = [what, ...log, 'server:', ...onServer.map((o) => signature(o.ics).text)].join('\n');
      devices.C = await openDevice(server);
      const c = devices.C;
      const calendarIdC = (await c.sdk.listCalendars()).find((cal) => cal.url.endsWith(path))?.id ?? '';
      const fresh = await viewOf(c.sdk, calendarIdC);
      await c.sdk.close();
      delete devices.C;
      const serverSignatures = new Map<string, string>();
      for (const object of onServer) {
        const { uid, text } = signature(object.ics);
        expect(serverSignatures.has(uid), `UID ${uid} twice on the server; ${context}`).toBe(false);
        serverSignatures.set(uid, text);
      }
      // One occurrence of a series (lineage + original start) shown once, across split objects
      // too. After conflicts were resolved with 'local' a series may show twice: keeping this
      // device's version of a series another device split (or its own new series when the other
      // split too) writes it beside the other's — the user chose it; `conflicted` is empty before.
      const twice = fresh.duplicateKeys.filter((key) => !conflicted.has(key.split(' ')[0] ?? ''));
      expect(twice, `an occurrence shown twice; ${context}`).toEqual([]);
      for (const [d, harness] of Object.entries(h) as Array<[Dev, Harness]>) {
        const sdk = harness.sdk;
        const view = await viewOf(sdk, calendarOf[d]);
        expect(describeView(view), `${d} vs a fresh replica; ${context}`).toEqual(describeView(fresh));
        expect(await duplicateIdentities(sdk, WINDOW.start, WINDOW.end), context).toEqual([]);
        expect(await sdk.listPending(), `${d} pending; ${context}`).toEqual([]);
        const calendar = (await sdk.listCalendars()).find((cal) => cal.id === calendarOf[d]);
        expect(calendar?.objectCount, `${d} object count; ${context}`).toBe(onServer.length);
        for (const eventId of new Set(view.occurrences.map((o) => o.eventId))) {
          const stored = await sdk.getEvent(eventId);
          const { uid, text } = signature(stored?.ics ?? '');
          expect(text, `${d} object ${uid} vs the server; ${context}`).toBe(serverSignatures.get(uid));
        }
      }
      return fresh;
    };

    await converge('after the sequence');
    const conflicts: Record<Dev, Conflict[]> = { A: await a.sdk.listConflicts(), B: await b.sdk.listConflicts() };
    const conflicted = new Set([...conflicts.A, ...conflicts.B].map((x) => lineage(x.uid ?? '')));
    const final = await checkConverged('after the sequence', new Set());
    const context = [
      ...log,
      'server:',
      ...(await dav.objects(path)).map((o) => signature(o.ics).text),
      'final:',
      ...describeView(final),
      'conflicts:',
      ...(['A', 'B'] as const).flatMap((d) =>
        conflicts[d].map((x) => `${d} ${x.kind} ${x.uid} current=${x.current} [${x.properties}]`),
      ),
    ].join('\n');

    // 3. Every obligation is shown where it was written, or kept in a listed conflict (as its
    // local or server version), or displaced there by a more specific concurrent write of the
    // other device (an occurrence's override over a series-wide title; a split or an
    // occurrence's delete over a series-wide title; an override over a split).
    stats.conflicts += conflicts.A.length + conflicts.B.length;
    stats.tombstones += tombstones.length;
    const inConflict = (summary: string) =>
      [...conflicts.A, ...conflicts.B].some((x) => hasSummary(x.local, summary) || hasSummary(x.server, summary));
    for (const [key, owed] of obligations) {
      for (const [d, { summary, level }] of owed) {
        stats.obligations++;
        const shown = final.byKey.get(key) ?? [];
        const displaced =
          shown.length === 0
            ? tombstones.some((t) => t.key === key && t.dev !== d && t.level > level)
            : [...owed].some(([other, o]) => other !== d && shown.includes(o.summary) && o.level > level);
        const kept = shown.includes(summary) || inConflict(summary) || displaced;
        expect(kept, `${d}'s ${summary} (at ${key}) lost; ${context}`).toBe(true);
      }
    }
    // … and a delete made after seeing an occurrence holds, unless an edit nobody saw kept
    // it there or the delete became a conflict.
    for (const { key, dev: d, seen } of tombstones) {
      if (!final.byKey.has(key)) continue;
      const edited = (obligations.get(key)?.size ?? 0) > 0;
      const conflicted = conflicts[d].some((x) => lineage(x.uid ?? '') === key.split(' ')[0]);
      expect(edited || conflicted, `${d} deleted ${key} (${seen}) but it is back; ${context}`).toBe(true);
    }

    // Then keep 'local' of every conflict, A first, and converge again.
    for (const d of ['A', 'B'] as const) {
      for (const x of await h[d].sdk.listConflicts()) {
        await h[d].sdk.resolveConflict(x.id, 'local');
        conflicted.add(lineage(x.uid ?? ''));
        log.push(`${d} resolve ${x.kind} ${x.uid} local`);
      }
      await converge(`after ${d} resolved its conflicts`);
    }
    for (const x of [...(await a.sdk.listConflicts()), ...(await b.sdk.listConflicts())])
      conflicted.add(lineage(x.uid ?? ''));
    await checkConverged('after resolving conflicts', conflicted);
  }
});
