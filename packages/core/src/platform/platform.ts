import { type Clock, systemClock } from './clock.ts';
import { browserRoundLock, type RoundLock } from './lock.ts';
import { browserOnlineSignal, type OnlineSignal } from './online.ts';
import { browserTabChannel, type OpenTabChannel } from './tab-channel.ts';
import { browserVisibility, type Visibility } from './visibility.ts';

/**
 * What the engine takes from its runtime, each behind a port: time, the `online` hint, the
 * sync lock and the line to other tabs. Browsers (and Workers) get the defaults; tests pass
 * doubles (`test-platform.ts`) to drive time, connectivity, tabs and locks themselves.
 */
export interface Platform {
  readonly clock: Clock;
  readonly online: OnlineSignal;
  readonly lock: RoundLock;
  readonly tabs: OpenTabChannel;
  /** Whether the page is shown (live queries hold updates while it is not); optional: always shown. */
  readonly visibility?: Visibility;
}

/** The runtime's own: Date.now and timers, `online` events, Web Locks, BroadcastChannel. */
export function browserPlatform(): Platform {
  return {
    clock: systemClock,
    online: browserOnlineSignal,
    lock: browserRoundLock(),
    tabs: browserTabChannel,
    visibility: browserVisibility(),
  };
}
