import { CalsyncError } from '../api/errors.ts';
import type { EventsListener, OccurrenceChange } from '../api/live.ts';
import type { Visibility } from '../platform/visibility.ts';
import { type PackedOccurrences, packEventOccurrences } from '../query/packed.ts';
import type { LiveQueries, LiveWindow } from './live-queries.ts';
import { VisibleDelivery } from './visible-delivery.ts';
import { deltaOf, type PackedDelta } from './window-delta.ts';

/** A page that is always shown (Workers, Node). */
export const ALWAYS_SHOWN: Visibility = { hidden: () => false, onVisible: () => () => undefined };

/** `watchEvents` in the page's thread: results go to `listener`, held while the page is hidden. */
export async function openWatch(
  live: LiveQueries,
  window: LiveWindow,
  listener: EventsListener,
  visibility: Visibility,
  onListenerError: (error: unknown) => void,
): Promise<() => void> {
  const delivery = new VisibleDelivery(listener, visibility, onListenerError);
  const close = await live.open(window, (result, change, first) => delivery.push(result, change, first));
  return () => {
    close();
    delivery.stop();
  };
}

/** The first result of a packed watch and its close. */
export interface PackedWatch {
  readonly first: { readonly packed: PackedOccurrences; readonly change: OccurrenceChange };
  readonly close: () => void;
}

/**
 * `watchEvents` for the Worker: the first result packed whole (query/packed.ts) and
 * returned (a listener call through another message port could arrive after the answer);
 * later ones go to `listener` as deltas of the previous one (window-delta.ts) — the page
 * rebuilds each result and holds them while it is hidden.
 */
export async function openPackedWatch(
  live: LiveQueries,
  window: LiveWindow,
  listener: (delta: PackedDelta, change: OccurrenceChange) => void,
  onListenerError: (error: unknown) => void,
): Promise<PackedWatch> {
  let first: PackedWatch['first'] | undefined;
  const close = await live.open(window, (result, change, isFirst) => {
    if (isFirst) {
      first = { packed: packEventOccurrences(result.occurrences), change };
      return;
    }
    try {
      listener(deltaOf(result, change), change);
    } catch (error) {
      onListenerError(error);
    }
  });
  if (!first) throw new CalsyncError('internal', 'A live query started without its first result.');
  return { first, close };
}
