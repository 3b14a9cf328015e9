/**
 * Test doubles of the platform ports (not shipped: `test-*.ts` files are left out of the
 * package): a manual clock, a scriptable `online` signal and an in-memory tab hub.
 */
import type { Clock, TimerHandle } from './clock.ts';
import { realmLock } from './lock.ts';
import type { OnlineSignal } from './online.ts';
import type { Platform } from './platform.ts';
import type { OpenTabChannel, TabMessage } from './tab-channel.ts';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** A clock that moves only when told; timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 5, 9)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** Timers waiting, soonest first (for assertions). */
  get pending(): number[] {
    return this.#timers.map((t) => t.at - this.#now).sort((a, b) => a - b);
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due (also ones set by timers
   * that fired), and lets the promise jobs they start run between firings.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets pending promise jobs (and the I/O callbacks of fake-indexeddb) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** An `online` signal the test fires. */
export class ManualOnline implements OnlineSignal {
  readonly #listeners = new Set<() => void>();

  onOnline(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  fire(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Tabs in one process: every channel of a database hears the others' posts, never its own. */
export class TabHub {
  readonly posted: TabMessage[] = [];
  readonly #members = new Map<string, Set<(message: TabMessage) => void>>();

  readonly open: OpenTabChannel = (dbName, onMessage) => {
    const members = this.#members.get(dbName) ?? new Set();
    this.#members.set(dbName, members);
    members.add(onMessage);
    return {
      post: (message) => {
        this.posted.push(message);
        for (const other of [...members]) if (other !== onMessage) other(structuredClone(message));
      },
      close: () => members.delete(onMessage),
    };
  };
}

/** A platform of doubles; pass parts to override. */
export function testPlatform(parts: Partial<Platform> = {}): Platform & { clock: Clock } {
  return {
    clock: parts.clock ?? new ManualClock(),
    online: parts.online ?? new ManualOnline(),
    lock: parts.lock ?? realmLock(),
    tabs: parts.tabs ?? new TabHub().open,
  };
}
