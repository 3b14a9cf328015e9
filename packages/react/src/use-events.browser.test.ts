import { type CalendarSync, CalsyncError, type EventQuery } from '@calsync/core';
import { useEvents } from '@calsync/react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { change, FakeCalendarSync, occurrence } from './test-fake-sync.ts';

const WEEK_1: EventQuery = { start: '2030-01-07T00:00:00Z', end: '2030-01-14T00:00:00Z' };
const WEEK_2: EventQuery = { start: '2030-01-14T00:00:00Z', end: '2030-01-21T00:00:00Z' };
const standup = occurrence('standup', '2030-01-08T09:00:00Z', '2030-01-08T09:15:00Z', 'Standup');
const review = occurrence('review', '2030-01-09T14:00:00Z', '2030-01-09T15:00:00Z', 'Review');
const retro = occurrence('retro', '2030-01-15T16:00:00Z', '2030-01-15T17:00:00Z', 'Retro');

function fakeWith(...occurrences: ReturnType<typeof occurrence>[]): FakeCalendarSync {
  const fake = new FakeCalendarSync();
  fake.occurrences = occurrences;
  return fake;
}

describe('useEvents', () => {
  it('is loading, then shows the first result with every occurrence as added', async () => {
    const fake = fakeWith(standup, review, retro);
    const { result } = renderHook(() => useEvents(fake, WEEK_1));
    expect(result.current).toEqual({ occurrences: [], change: undefined, loading: true, error: undefined });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.occurrences).toEqual([standup, review]);
    expect(result.current.change).toEqual(change(['standup', 'review']));
    expect(result.current.error).toBeUndefined();
    expect(fake.eventWatches.map((w) => w.query)).toEqual([WEEK_1]);
  });

  it('passes updates through: unchanged occurrences keep their identity, the change is reported', async () => {
    const fake = fakeWith(standup, review);
    const { result } = renderHook(() => useEvents(fake, WEEK_1));
    await waitFor(() => expect(result.current.loading).toBe(false));
    const renamed = { ...review, summary: 'Design review' };
    const [watch] = fake.eventWatches;
    act(() => watch?.push([standup, renamed], change([], [], ['review'])));
    expect(result.current.occurrences[0]).toBe(standup);
    expect(result.current.occurrences[1]).toBe(renamed);
    expect(result.current.change).toEqual(change([], [], ['review']));
  });

  it('keeps its watch when the query is an equal literal made anew on every render (Date or ISO string)', async () => {
    const fake = fakeWith(standup);
    const { result, rerender } = renderHook(({ start }) => useEvents(fake, { start, end: new Date(WEEK_1.end) }), {
      initialProps: { start: new Date(WEEK_1.start) as string | Date },
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    rerender({ start: new Date(WEEK_1.start) });
    rerender({ start: '2030-01-07T01:00:00+01:00' });
    expect(fake.eventWatches).toHaveLength(1);
    expect(fake.liveEventWatches()).toHaveLength(1);
    expect(result.current.occurrences).toEqual([standup]);
  });

  it('keeps its watch for the same calendars in another order, and resubscribes for other calendars', async () => {
    const fake = fakeWith(standup);
    const { result, rerender } = renderHook(
      ({ calendarIds }) => useEvents(fake, calendarIds === undefined ? WEEK_1 : { ...WEEK_1, calendarIds }),
      { initialProps: { calendarIds: ['a', 'b'] as string[] | undefined } },
    );
    await waitFor(() => expect(result.current.loading).toBe(false));
    rerender({ calendarIds: ['b', 'a'] });
    expect(fake.eventWatches).toHaveLength(1);
    rerender({ calendarIds: undefined });
    await waitFor(() => expect(fake.eventWatches).toHaveLength(2));
    expect(fake.eventWatches[1]?.query.calendarIds).toBeUndefined();
    await waitFor(() => expect(fake.eventWatches[0]?.unsubscribed).toBe(true));
  });

  it('watches a new window when the query changes, and stops watching the old one', async () => {
    const fake = fakeWith(standup, review, retro);
    const { result, rerender } = renderHook(({ query }) => useEvents(fake, query), {
      initialProps: { query: WEEK_1 },
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    rerender({ query: WEEK_2 });
    expect(result.current.loading).toBe(true);
    expect(result.current.occurrences).toEqual([]);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.occurrences).toEqual([retro]);
    expect(fake.eventWatches.map((w) => w.query)).toEqual([WEEK_1, WEEK_2]);
    expect(fake.eventWatches[0]?.unsubscribed).toBe(true);
    expect(fake.liveEventWatches()).toEqual([fake.eventWatches[1]]);
  });

  it('watches anew when the CalendarSync changes, and stops watching the old one', async () => {
    const first = fakeWith(standup);
    const second = fakeWith(review);
    const { result, rerender } = renderHook(({ sync }) => useEvents(sync, WEEK_1), {
      initialProps: { sync: first },
    });
    await waitFor(() => expect(result.current.occurrences).toEqual([standup]));
    rerender({ sync: second });
    await waitFor(() => expect(result.current.occurrences).toEqual([review]));
    expect(first.liveEventWatches()).toEqual([]);
    expect(second.liveEventWatches()).toHaveLength(1);
  });

  it('stops watching on unmount', async () => {
    const fake = fakeWith(standup);
    const { result, unmount } = renderHook(() => useEvents(fake, WEEK_1));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(fake.liveEventWatches()).toHaveLength(1);
    unmount();
    expect(fake.liveEventWatches()).toEqual([]);
  });

  it('unsubscribes at once a watch that answers only after unmount, and renders nothing more', async () => {
    const fake = fakeWith(standup);
    fake.hold = true;
    let renders = 0;
    const { result, unmount } = renderHook(() => {
      renders++;
      return useEvents(fake, WEEK_1);
    });
    unmount();
    const rendersBefore = renders;
    const [watch] = fake.eventWatches;
    await act(async () => {
      watch?.resolve();
      await watch?.promise;
    });
    await waitFor(() => expect(watch?.unsubscribed).toBe(true));
    expect(renders).toBe(rendersBefore);
    expect(result.current.loading).toBe(true);
  });

  it('never shows the result of a previous window that answers after the new one', async () => {
    const fake = fakeWith(standup, retro);
    fake.hold = true;
    const { result, rerender } = renderHook(({ query }) => useEvents(fake, query), {
      initialProps: { query: WEEK_1 },
    });
    rerender({ query: WEEK_2 });
    const [old, current] = fake.eventWatches;
    act(() => current?.resolve());
    expect(result.current.occurrences).toEqual([retro]);
    await act(async () => {
      old?.resolve();
      await old?.promise;
    });
    await waitFor(() => expect(old?.unsubscribed).toBe(true));
    expect(result.current.occurrences).toEqual([retro]);
    expect(result.current.change).toEqual(change(['retro']));
    expect(fake.liveEventWatches()).toEqual([current]);
  });

  it('reports a CalsyncError of the watch (end before start) and stops loading', async () => {
    const fake = fakeWith(standup);
    const invalid = new CalsyncError('invalid-input', 'The window end must be after its start.');
    fake.failWith = invalid;
    const { result, rerender } = renderHook(({ query }) => useEvents(fake, query), {
      initialProps: { query: { start: WEEK_1.end, end: WEEK_1.start } },
    });
    await waitFor(() => expect(result.current.error).toBe(invalid));
    expect(result.current.loading).toBe(false);
    expect(result.current.occurrences).toEqual([]);
    fake.failWith = undefined;
    rerender({ query: WEEK_1 });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.error).toBeUndefined();
    expect(result.current.occurrences).toEqual([standup]);
  });

  it('wraps a rejection that is not a CalsyncError as code internal, keeping it as the cause', async () => {
    const fake = fakeWith();
    const bug = new TypeError('listener is not a function');
    fake.failWith = bug;
    const { result } = renderHook(() => useEvents(fake, WEEK_1));
    await waitFor(() => expect(result.current.error).toBeDefined());
    expect(result.current.error).toBeInstanceOf(CalsyncError);
    expect(result.current.error?.code).toBe('internal');
    expect(result.current.error?.message).toBe('listener is not a function');
    expect(result.current.error?.cause).toBe(bug);
    expect(result.current.loading).toBe(false);
  });

  it('is loading and watches nothing while the CalendarSync or the query is undefined', async () => {
    const fake = fakeWith(standup);
    const { result, rerender } = renderHook(({ sync, query }) => useEvents(sync, query), {
      initialProps: { sync: undefined as CalendarSync | undefined, query: WEEK_1 as EventQuery | undefined },
    });
    expect(result.current).toEqual({ occurrences: [], change: undefined, loading: true, error: undefined });
    rerender({ sync: fake, query: undefined });
    expect(result.current.loading).toBe(true);
    expect(fake.eventWatches).toEqual([]);
    rerender({ sync: fake, query: WEEK_1 });
    await waitFor(() => expect(result.current.occurrences).toEqual([standup]));
    rerender({ sync: fake, query: undefined });
    expect(result.current.loading).toBe(true);
    expect(result.current.occurrences).toEqual([]);
    expect(fake.liveEventWatches()).toEqual([]);
  });

  it('leaks no watch under StrictMode (double mount), across a window change and unmount', async () => {
    const fake = fakeWith(standup, retro);
    const { result, rerender, unmount } = renderHook(({ query }) => useEvents(fake, query), {
      initialProps: { query: WEEK_1 },
      // At the root: React double-invokes effects only of a mounted tree inside StrictMode.
      reactStrictMode: true,
    });
    await waitFor(() => expect(result.current.occurrences).toEqual([standup]));
    // StrictMode subscribed, unsubscribed and subscribed again (else this test proves nothing).
    expect(fake.eventWatches.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => expect(fake.liveEventWatches()).toHaveLength(1));
    rerender({ query: WEEK_2 });
    await waitFor(() => expect(result.current.occurrences).toEqual([retro]));
    await waitFor(() => expect(fake.liveEventWatches().map((w) => w.query)).toEqual([WEEK_2]));
    unmount();
    await waitFor(() => expect(fake.liveEventWatches()).toEqual([]));
  });

  it('re-renders a component list live, keyed by occurrenceId', async () => {
    const fake = fakeWith(standup);
    function Week({ calendars }: { calendars: CalendarSync }) {
      const { occurrences, loading } = useEvents(calendars, { start: WEEK_1.start, end: WEEK_1.end });
      if (loading) return createElement('p', null, 'Loading…');
      return createElement(
        'ul',
        null,
        occurrences.map((o) => createElement('li', { key: o.occurrenceId }, o.summary)),
      );
    }
    render(createElement(Week, { calendars: fake }));
    expect(screen.getByText('Loading…')).toBeTruthy();
    const first = await screen.findByText('Standup');
    act(() => fake.eventWatches[0]?.push([standup, review], change(['review'])));
    expect(screen.getByText('Review')).toBeTruthy();
    expect(screen.getByText('Standup')).toBe(first);
    expect(fake.eventWatches).toHaveLength(1);
  });
});
