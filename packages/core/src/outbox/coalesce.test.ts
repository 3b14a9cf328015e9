import { describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import type { OutboxRecord } from '../model/records.ts';
import { coalesce, type EditContext } from './coalesce.ts';

const ctx = (now: number): EditContext => ({
  id: 'e1',
  calendarId: 'c',
  accountId: 'a',
  href: 'https://s/c/x.ics',
  serverEtag: `"etag-${now}"`,
  serverIcs: `server-${now}`,
  now,
});

function chain(...edits: Parameters<typeof coalesce>[1][]): OutboxRecord | null {
  let entry: OutboxRecord | undefined;
  let result: OutboxRecord | null = null;
  edits.forEach((edit, i) => {
    result = coalesce(entry, edit, ctx(i + 1));
    entry = result ?? undefined;
  });
  return result;
}

describe('coalesce', () => {
  it('create + update → one create with the latest content', () => {
    expect(chain({ kind: 'create', ics: 'v1' }, { kind: 'update', ics: 'v2' })).toMatchObject({
      op: 'create',
      ics: 'v2',
      revision: 2,
    });
  });

  it('create + delete → nothing to send', () => {
    expect(chain({ kind: 'create', ics: 'v1' }, { kind: 'delete' })).toBeNull();
  });

  it('update + update → one update on the ORIGINAL base etag', () => {
    const entry = chain({ kind: 'update', ics: 'v1' }, { kind: 'update', ics: 'v2' }, { kind: 'update', ics: 'v3' });
    expect(entry).toMatchObject({ op: 'update', ics: 'v3', baseEtag: '"etag-1"', baseIcs: 'server-1', revision: 3 });
  });

  it('update + delete → delete on the original base', () => {
    const entry = chain({ kind: 'update', ics: 'v1' }, { kind: 'delete' });
    expect(entry).toMatchObject({ op: 'delete', baseEtag: '"etag-1"' });
    expect(entry?.ics).toBeUndefined();
  });

  it('a new edit revives a quarantined entry', () => {
    const quarantined = {
      ...(coalesce(undefined, { kind: 'update', ics: 'v1' }, ctx(1)) as OutboxRecord),
      state: 'quarantined' as const,
      attempts: 3,
      lastError: { code: 'server' as const, message: 'no' },
    };
    const revived = coalesce(quarantined, { kind: 'update', ics: 'v2' }, ctx(2));
    expect(revived).toMatchObject({ state: 'pending', attempts: 0, ics: 'v2' });
    expect(revived?.lastError).toBeUndefined();
  });

  it('refuses editing a locally deleted object and creating over a pending one', () => {
    const deleted = coalesce(undefined, { kind: 'delete' }, ctx(1)) as OutboxRecord;
    expect(() => coalesce(deleted, { kind: 'update', ics: 'v' }, ctx(2))).toThrow(CalsyncError);
    const created = coalesce(undefined, { kind: 'create', ics: 'v' }, ctx(1)) as OutboxRecord;
    expect(() => coalesce(created, { kind: 'create', ics: 'v' }, ctx(2))).toThrow(CalsyncError);
  });

  it('a first create carries no base; a first delete keeps the base it deletes', () => {
    const created = coalesce(undefined, { kind: 'create', ics: 'v' }, ctx(1));
    expect(created?.baseEtag).toBeUndefined();
    expect(coalesce(undefined, { kind: 'delete' }, ctx(5))).toMatchObject({ op: 'delete', baseEtag: '"etag-5"' });
  });
});
