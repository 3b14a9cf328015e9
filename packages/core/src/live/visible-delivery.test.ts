import { describe, expect, it } from 'vitest';
import type { EventOccurrence } from '../api/types.ts';
import type { Visibility } from '../platform/visibility.ts';
import { applyChange, diffOccurrences, EMPTY_RESULT, type WindowResult } from './occurrence-diff.ts';
import { VisibleDelivery } from './visible-delivery.ts';

function occurrence(id: string, summary: string): EventOccurrence {
  return {
    occurrenceId: id,
    eventId: id,
    calendarId: 'c',
    uid: id,
    summary,
    start: '2026-12-02T10:00:00.000Z',
    end: '2026-12-02T11:00:00.000Z',
    allDay: false,
    pending: false,
    conflict: false,
  };
}

class FakeVisibility implements Visibility {
  isHidden = false;
  readonly #listeners = new Set<() => void>();
  hidden = () => this.isHidden;
  onVisible(listener: () => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  show() {
    this.isHidden = false;
    for (const listener of [...this.#listeners]) listener();
  }
}

describe('diffOccurrences / applyChange', () => {
  it('keeps unchanged objects, reports added, removed and updated', () => {
    const first = diffOccurrences(EMPTY_RESULT, [occurrence('a', 'A'), occurrence('b', 'B')]);
    expect(first.change).toEqual({ added: ['a', 'b'], removed: [], updated: [] });
    const second = diffOccurrences(first.result, [occurrence('a', 'A'), occurrence('c', 'C'), occurrence('b', 'B2')]);
    expect(second.change).toEqual({ added: ['c'], removed: [], updated: ['b'] });
    expect(second.result.occurrences[0]).toBe(first.result.occurrences[0]);
    const third = diffOccurrences(second.result, [occurrence('c', 'C')]);
    expect(third.change).toEqual({ added: [], removed: ['a', 'b'], updated: [] });
  });

  it('applyChange rebuilds the same identities on the other side of the Worker boundary', () => {
    const page = applyChange(EMPTY_RESULT, [occurrence('a', 'A'), occurrence('b', 'B')], {
      added: ['a', 'b'],
      removed: [],
      updated: [],
    });
    const next = applyChange(page, [occurrence('a', 'A'), occurrence('b', 'B2')], {
      added: [],
      removed: [],
      updated: ['b'],
    });
    expect(next.occurrences[0]).toBe(page.occurrences[0]);
    expect(next.occurrences[1]).not.toBe(page.occurrences[1]);
    expect(next.occurrences[1]?.summary).toBe('B2');
  });
});

describe('VisibleDelivery', () => {
  function setUp() {
    const visibility = new FakeVisibility();
    const calls: Array<{ summaries: string[]; change: unknown; occurrences: readonly EventOccurrence[] }> = [];
    const delivery = new VisibleDelivery(
      (occurrences, change) => calls.push({ summaries: occurrences.map((o) => o.summary), change, occurrences }),
      visibility,
      () => undefined,
    );
    let result: WindowResult = EMPTY_RESULT;
    const push = (list: EventOccurrence[], first = false) => {
      const diff = diffOccurrences(result, list);
      result = diff.result;
      delivery.push(diff.result, diff.change, first);
    };
    return { visibility, calls, delivery, push };
  }

  it('delivers at once while the page is shown', () => {
    const { calls, push } = setUp();
    push([occurrence('a', 'A')], true);
    push([occurrence('a', 'A2')]);
    expect(calls.map((c) => c.summaries)).toEqual([['A'], ['A2']]);
  });

  it('while hidden keeps only the latest result and delivers the net change when shown', () => {
    const { visibility, calls, push } = setUp();
    push([occurrence('a', 'A'), occurrence('b', 'B')], true);
    visibility.isHidden = true;
    push([occurrence('a', 'A'), occurrence('b', 'B2')]);
    push([occurrence('a', 'A'), occurrence('b', 'B3'), occurrence('c', 'C')]);
    push([occurrence('b', 'B3'), occurrence('c', 'C')]);
    expect(calls).toHaveLength(1);
    visibility.show();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.summaries).toEqual(['B3', 'C']);
    expect(calls[1]?.change).toEqual({ added: ['c'], removed: ['a'], updated: ['b'] });
  });

  it('changes that cancel out while hidden deliver nothing', () => {
    const { visibility, calls, push } = setUp();
    push([occurrence('a', 'A')], true);
    visibility.isHidden = true;
    push([occurrence('a', 'A'), occurrence('b', 'B')]);
    push([occurrence('a', 'A')]);
    visibility.show();
    expect(calls).toHaveLength(1);
  });

  it('the first result is delivered even while hidden; nothing after stop', () => {
    const { visibility, calls, push, delivery } = setUp();
    visibility.isHidden = true;
    push([occurrence('a', 'A')], true);
    expect(calls).toHaveLength(1);
    push([occurrence('a', 'A2')]);
    delivery.stop();
    visibility.show();
    expect(calls).toHaveLength(1);
  });
});
