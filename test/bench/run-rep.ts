/**
 * One repetition on one calendar size, in a fixed order so that every client sees the same
 * server state: limit (Node), tsdav, calsync in Node, calsync in Chromium (with the
 * Chromium limit from its page), then the other client's 10 changes and every incremental
 * figure, `listEvents` on the largest size, and the outbox replay against the bare PUT loop.
 */

import { openCalsyncBrowser } from './calsync-browser.ts';
import { openCalsyncNode } from './calsync-node.ts';
import { barePutsOf, REMOTE_CHANGE_COUNT, type RemoteEditor } from './changes.ts';
import { type BenchCalendar, basicAuth, currentToken } from './dav.ts';
import { measureChangesSince, measureLimit, nodeSender } from './limit.ts';
import { openPeer } from './peer.ts';
import { barePuts } from './report-request.ts';
import type { QueryRep, RepResult } from './results.ts';
import type { CalsyncSession } from './session.ts';
import { monthAt, spreadWindows } from './windows.ts';

/** What one repetition needs to know. */
export interface RepContext {
  readonly calendar: BenchCalendar;
  readonly rep: number;
  readonly anchor: Date;
  readonly pageUrl: string;
  readonly editor: RemoteEditor;
  /** Run calsync in Node at this size. */
  readonly node: boolean;
  /** Time `listEvents` in Node / in Chromium at this size (the largest of each runtime). */
  readonly queriesNode: boolean;
  readonly queriesChromium: boolean;
  readonly queries: number;
  /** Outbox edits at this size, 0 for none. */
  readonly outboxEdits: number;
  readonly log: (message: string) => void;
}

async function queries(session: Pick<CalsyncSession, 'listEvents'>, anchor: Date, count: number): Promise<QueryRep> {
  return {
    month: await session.listEvents(spreadWindows(anchor, count, 'month')),
    week: await session.listEvents(spreadWindows(anchor, count, 'week')),
  };
}

/**
 * Peak memory of page + Worker during a first sync, in a session of its own (sampling
 * slows the sync, so this run's time is not used).
 */
export async function measureChromiumMemory(pageUrl: string, calendar: BenchCalendar, anchor: Date) {
  const browser = await openCalsyncBrowser(pageUrl, calendar);
  try {
    return await browser.firstWithMemory(monthAt(anchor));
  } finally {
    await browser.close();
  }
}

/** Runs the repetition; every session it opens is closed, also on failure. */
export async function runRep(ctx: RepContext): Promise<RepResult> {
  const { calendar, anchor, log } = ctx;
  const month = monthAt(anchor);
  const limitNode = await measureLimit(nodeSender, calendar);
  log(`limit (Node) ${limitNode.calendarQuery.ms.toFixed(0)} ms`);

  const peer = await openPeer(calendar);
  const peerInitial = await peer.initial();
  const peerNoChange = await peer.noChange();
  log(`tsdav initial ${peerInitial.ms.toFixed(0)} ms`);

  const node = ctx.node ? await openCalsyncNode(calendar) : undefined;
  const browser = await openCalsyncBrowser(ctx.pageUrl, calendar).catch(async (error: unknown) => {
    await node?.close();
    throw error;
  });
  try {
    const nodeFirst = await node?.first(month);
    const nodeNoChange = await node?.sync();
    if (nodeFirst) log(`calsync Node first ${nodeFirst.ms.toFixed(0)} ms`);

    const limitChromium = await measureLimit(browser.limit, calendar);
    const chromiumFirst = await browser.first(month);
    const chromiumNoChange = await browser.sync();
    log(`calsync Chromium first ${chromiumFirst.ms.toFixed(0)} ms`);

    // Everyone is at the same token now; another client changes 10 objects.
    const before = await currentToken(calendar);
    await ctx.editor.round();
    const incrementalNode = await measureChangesSince(nodeSender, calendar, before, REMOTE_CHANGE_COUNT);
    const incrementalChromium = await measureChangesSince(browser.limit, calendar, before, REMOTE_CHANGE_COUNT);
    const peerIncremental = await peer.sinceInitial();
    const nodeIncremental = await node?.sync();
    const chromiumIncremental = await browser.sync();

    // Chromium first: queries leave series warm-up running in the background of the Node
    // process, which would share the two cores with Chromium's queries.
    const listChromium = ctx.queriesChromium ? await queries(browser, anchor, ctx.queries) : undefined;
    const listNode = node && ctx.queriesNode ? await queries(node, anchor, ctx.queries) : undefined;

    let nodeOutbox: Awaited<ReturnType<CalsyncSession['outbox']>> | undefined;
    let chromiumOutbox: typeof nodeOutbox;
    let barePut: RepResult['barePut'];
    let barePutChromium: RepResult['barePutChromium'];
    if (ctx.outboxEdits > 0) {
      nodeOutbox = await node?.outbox(ctx.outboxEdits, `node r${ctx.rep}`, anchor);
      chromiumOutbox = await browser.outbox(ctx.outboxEdits, `chromium r${ctx.rep}`, anchor);
      const targets = ctx.editor.live.filter((o) => !o.recurring);
      const step = Math.max(1, Math.floor(targets.length / ctx.outboxEdits));
      const picked = targets.filter((_, i) => i % step === 0).slice(0, ctx.outboxEdits);
      const authorization = basicAuth(calendar.username, calendar.password);
      barePut = {
        puts: picked.length,
        ms: await barePuts(barePutsOf(calendar, picked, `node r${ctx.rep}`), authorization),
      };
      barePutChromium = {
        puts: picked.length,
        ms: await browser.barePuts(barePutsOf(calendar, picked, `chromium r${ctx.rep}`), authorization),
      };
      log(
        `outbox Chromium ${chromiumOutbox.replayMs.toFixed(0)} ms, bare PUT loop Node ${barePut.ms.toFixed(0)} ms, Chromium ${barePutChromium.ms.toFixed(0)} ms`,
      );
    }

    // Last: a new tab on the replica this session left (Node's engine closed first: its
    // background series expansion would share the cores).
    await node?.close();
    const coldStart = await browser.coldStart(month);
    log(`cold start ${coldStart.ms.toFixed(0)} ms, bare getAll ${coldStart.floorMs.toFixed(0)} ms`);

    return {
      size: calendar.size,
      rep: ctx.rep,
      coldStart,
      limit: { node: limitNode, chromium: limitChromium, incrementalNode, incrementalChromium },
      peer: { initial: peerInitial, noChange: peerNoChange, incremental: peerIncremental },
      ...(nodeFirst && nodeNoChange && nodeIncremental
        ? {
            calsyncNode: {
              first: nodeFirst,
              noChange: nodeNoChange,
              incremental: nodeIncremental,
              ...(nodeOutbox ? { outbox: nodeOutbox } : {}),
            },
          }
        : {}),
      calsyncChromium: {
        first: chromiumFirst,
        noChange: chromiumNoChange,
        incremental: chromiumIncremental,
        ...(chromiumOutbox ? { outbox: chromiumOutbox } : {}),
      },
      ...(barePut ? { barePut } : {}),
      ...(barePutChromium ? { barePutChromium } : {}),
      ...(listNode || listChromium
        ? {
            listEvents: {
              ...(listNode ? { node: listNode } : {}),
              ...(listChromium ? { chromium: listChromium } : {}),
            },
          }
        : {}),
    };
  } finally {
    await browser.close();
    await node?.close();
  }
}
