import { type CalendarSync, CalsyncError, type SyncStatus } from '@calsync/core';
import { useSyncStatus } from '@calsync/react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeCalendarSync, IDLE_STATUS } from './test-fake-sync.ts';

const PENDING: SyncStatus = { online: false, syncing: false, pendingCount: 2 };
const SYNCED: SyncStatus = { online: true, syncing: false, pendingCount: 0, lastSyncAt: '2030-01-08T10:00:00.000Z' };

describe('useSyncStatus', () => {
  it('is undefined, then the current status, then every status pushed', async () => {
    const fake = new FakeCalendarSync();
    fake.currentStatus = PENDING;
    const { result } = renderHook(() => useSyncStatus(fake));
    expect(result.current).toBeUndefined();
    await waitFor(() => expect(result.current).toBe(PENDING));
    act(() => fake.statusWatches[0]?.push(SYNCED));
    expect(result.current).toBe(SYNCED);
    expect(fake.statusWatches).toHaveLength(1);
  });

  it('keeps its watch across re-renders and stops it on unmount', async () => {
    const fake = new FakeCalendarSync();
    const { result, rerender, unmount } = renderHook(() => useSyncStatus(fake));
    await waitFor(() => expect(result.current).toBe(IDLE_STATUS));
    rerender();
    rerender();
    expect(fake.statusWatches).toHaveLength(1);
    unmount();
    expect(fake.liveStatusWatches()).toEqual([]);
  });

  it('watches nothing while the CalendarSync is undefined, then the one given; a new one replaces it', async () => {
    const first = new FakeCalendarSync();
    first.currentStatus = PENDING;
    const second = new FakeCalendarSync();
    second.currentStatus = SYNCED;
    const { result, rerender } = renderHook(({ sync }) => useSyncStatus(sync), {
      initialProps: { sync: undefined as CalendarSync | undefined },
    });
    expect(result.current).toBeUndefined();
    rerender({ sync: first });
    await waitFor(() => expect(result.current).toBe(PENDING));
    rerender({ sync: second });
    await waitFor(() => expect(result.current).toBe(SYNCED));
    expect(first.liveStatusWatches()).toEqual([]);
    expect(second.liveStatusWatches()).toHaveLength(1);
  });

  it('unsubscribes at once a watch that answers only after unmount', async () => {
    const fake = new FakeCalendarSync();
    fake.hold = true;
    const { result, unmount } = renderHook(() => useSyncStatus(fake));
    unmount();
    const [watch] = fake.statusWatches;
    await act(async () => {
      watch?.resolve();
      await watch?.promise;
    });
    await waitFor(() => expect(watch?.unsubscribed).toBe(true));
    expect(result.current).toBeUndefined();
  });

  it('stays undefined when watching fails (a closed CalendarSync)', async () => {
    const fake = new FakeCalendarSync();
    fake.failWith = new CalsyncError('closed', 'closed');
    const { result } = renderHook(() => useSyncStatus(fake));
    await act(async () => {
      await fake.statusWatches[0]?.promise.catch((error: unknown) => error);
    });
    expect(fake.statusWatches).toHaveLength(1);
    expect(result.current).toBeUndefined();
  });

  it('leaks no watch under StrictMode (double mount)', async () => {
    const fake = new FakeCalendarSync();
    const { result, unmount } = renderHook(() => useSyncStatus(fake), { reactStrictMode: true });
    await waitFor(() => expect(result.current).toBe(IDLE_STATUS));
    expect(fake.statusWatches.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => expect(fake.liveStatusWatches()).toHaveLength(1));
    act(() => fake.liveStatusWatches()[0]?.push(PENDING));
    expect(result.current).toBe(PENDING);
    unmount();
    await waitFor(() => expect(fake.liveStatusWatches()).toEqual([]));
  });
});
