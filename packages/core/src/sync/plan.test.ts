import { describe, expect, it } from 'vitest';
import type { RemoteCalendar } from '../transport/port.ts';
import { chunk, diffCalendars, diffEtags, holdsServerData, planPull, wantsWholeDownload } from './plan.ts';
import { remote as described } from './test-calendar.ts';

/** The test calendar's server description at `url` (named after it), with `extra` changed. */
const remote = (url: string, extra: Partial<RemoteCalendar> = {}) => described({ url, displayName: url, ...extra });

describe('diffCalendars', () => {
  it('finds added, kept and removed calendars by URL and ignores task-only lists', () => {
    const diff = diffCalendars(
      [
        { url: 'https://s/a/', id: '1' },
        { url: 'https://s/gone/', id: '2' },
      ],
      [remote('https://s/a/'), remote('https://s/new/'), remote('https://s/tasks/', { components: ['VTODO'] })],
    );
    expect(diff.added.map((c) => c.url)).toEqual(['https://s/new/']);
    expect(diff.kept.map((k) => k.local.id)).toEqual(['1']);
    expect(diff.removed.map((c) => c.id)).toEqual(['2']);
  });
});

describe('planPull', () => {
  const now = 1_000_000;
  const day = 86_400_000;
  it('starts from scratch without a token', () => {
    expect(planPull(remote('u'), undefined, now, day)).toBe('full-sync-collection');
  });
  it('skips when the collection token equals the stored token', () => {
    expect(planPull(remote('u', { syncToken: 't1' }), { token: 't1', lastFullSyncAt: now }, now, day)).toBe('skip');
  });
  it('goes incremental when the token moved', () => {
    expect(planPull(remote('u', { syncToken: 't2' }), { token: 't1', lastFullSyncAt: now }, now, day)).toBe(
      'incremental',
    );
  });
  it('reconciles fully when the last full sync is too old (tokens can miss changes)', () => {
    expect(planPull(remote('u', { syncToken: 't1' }), { token: 't1', lastFullSyncAt: now - day }, now, day)).toBe(
      'full-sync-collection',
    );
  });
  it('lists etags without sync-collection, unless the ctag is unchanged', () => {
    const noSync = { supportsSyncCollection: false, ctag: 'c1' };
    expect(planPull(remote('u', noSync), { ctag: 'c0', lastFullSyncAt: now }, now, day)).toBe('etag-listing');
    expect(planPull(remote('u', noSync), { ctag: 'c1', lastFullSyncAt: now }, now, day)).toBe('skip');
  });
});

describe('wantsWholeDownload', () => {
  const withToken = remote('https://s/c/', { syncToken: 't1' });
  it('downloads a replica without server data whole on a full pull, with a listing token to continue from', () => {
    expect(wantsWholeDownload('full-sync-collection', withToken, false)).toBe(true);
    expect(wantsWholeDownload('etag-listing', remote('https://s/c/', { supportsSyncCollection: false }), false)).toBe(
      true,
    );
  });
  it('not once it holds server data, not without a token to continue from, not for other modes', () => {
    expect(wantsWholeDownload('full-sync-collection', withToken, true)).toBe(false);
    expect(wantsWholeDownload('full-sync-collection', remote('https://s/c/'), false)).toBe(false);
    expect(wantsWholeDownload('incremental', withToken, false)).toBe(false);
    expect(wantsWholeDownload('skip', withToken, false)).toBe(false);
  });
});

describe('holdsServerData', () => {
  it('is false without a sync state (rows are local creates) or without rows, true with both', () => {
    expect(holdsServerData(undefined, 0)).toBe(false);
    expect(holdsServerData(undefined, 3)).toBe(false);
    expect(holdsServerData({ token: 't' }, 0)).toBe(false);
    expect(holdsServerData({}, 1)).toBe(true);
  });
});

describe('diffEtags', () => {
  it('fetches new and changed hrefs and deletes the ones no longer listed', () => {
    const local = new Map([
      ['a', '"1"'],
      ['b', '"1"'],
      ['c', '"1"'],
    ]);
    const diff = diffEtags(local, [
      { href: 'a', etag: '"1"' },
      { href: 'b', etag: '"2"' },
      { href: 'd', etag: '"1"' },
    ]);
    expect(diff).toEqual({ fetch: ['b', 'd'], delete: ['c'] });
  });
});

describe('chunk', () => {
  it('splits into bounded batches', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
