import { describe, expect, it } from 'vitest';
import type { ConflictPolicy } from '../api/types.ts';
import { calendar, vevent } from '../ical/test-ics.ts';
import type { OutboxRecord } from '../model/records.ts';
import type { ReadResult } from '../transport/port.ts';
import { planSettle } from './settle-plan.ts';

// The settle plan decides, without I/O, what a push does after a failed precondition:
// every combination of entry operation × server state × policy has exactly one answer.

const ev = (summary: string, location = 'Room 1') =>
  calendar(
    vevent(
      'UID:u1',
      'DTSTART:20260105T090000Z',
      'DTEND:20260105T100000Z',
      `SUMMARY:${summary}`,
      `LOCATION:${location}`,
    ),
  );
const BASE = ev('Base');

function entry(op: 'create' | 'update' | 'delete', ics?: string): OutboxRecord {
  const fields = {
    id: 'e1',
    calendarId: 'c1',
    accountId: 'a1',
    href: 'https://dav.test/c1/u1.ics',
    uid: 'u1',
    createdAt: 1,
    updatedAt: 1,
    revision: 1,
    attempts: 0,
    state: 'pending' as const,
    ...(op === 'create' ? {} : { baseEtag: '"b"', baseIcs: BASE }),
  };
  return op === 'delete' ? { ...fields, op } : { ...fields, op, ics: ics ?? ev('Local') };
}
const server = (ics: string, etag = '"s2"'): ReadResult => ({ status: 200, etag, ics });
const gone: ReadResult = { status: 404 };
const POLICIES: ConflictPolicy[] = ['merge', 'server-wins', 'client-wins'];

describe('planSettle: the server no longer has the object', () => {
  it.each(POLICIES)('a delete is done (%s)', (policy) => {
    expect(planSettle(entry('delete'), gone, policy)).toEqual({ kind: 'gone' });
  });

  it.each(POLICIES)('a create reads again: its 412 said something exists (%s)', (policy) => {
    expect(planSettle(entry('create'), gone, policy)).toEqual({ kind: 'reread' });
  });

  it('an update under client-wins is written back as a create, the deletion kept as a conflict', () => {
    const action = planSettle(entry('update'), gone, 'client-wins');
    expect(action).toMatchObject({ kind: 'put', precondition: { ifNoneMatch: '*' }, ics: ev('Local') });
    expect(action).toMatchObject({ conflict: { kind: 'remote-delete', current: 'local', local: ev('Local') } });
  });

  it.each(['merge', 'server-wins'] as const)('an update under %s is dropped but kept as a conflict', (policy) => {
    expect(planSettle(entry('update'), gone, policy)).toEqual({
      kind: 'gone',
      conflict: { kind: 'remote-delete', current: 'deleted', local: ev('Local') },
    });
  });
});

describe('planSettle: the server has a version', () => {
  it.each(POLICIES)('our own create whose answer was lost is adopted, no duplicate, no conflict (%s)', (policy) => {
    expect(planSettle(entry('create', ev('Mine')), server(ev('Mine')), policy)).toEqual({ kind: 'server' });
  });

  it('a create meeting a different object: create-create, server kept (merge has no base)', () => {
    expect(planSettle(entry('create', ev('Mine')), server(ev('Theirs')), 'merge')).toMatchObject({
      kind: 'server',
      conflict: { kind: 'create-create', current: 'server', server: ev('Theirs'), local: ev('Mine') },
    });
  });

  it('a create meeting a different object under client-wins overwrites it on its etag', () => {
    expect(planSettle(entry('create', ev('Mine')), server(ev('Theirs')), 'client-wins')).toMatchObject({
      kind: 'put',
      ics: ev('Mine'),
      precondition: { ifMatch: '"s2"' },
      conflict: { kind: 'create-create', current: 'local' },
    });
  });

  it('a delete meeting a server change keeps the server version (merge, server-wins)', () => {
    for (const policy of ['merge', 'server-wins'] as const) {
      expect(planSettle(entry('delete'), server(ev('Changed')), policy)).toEqual({
        kind: 'server',
        conflict: { kind: 'local-delete', current: 'server', server: ev('Changed') },
      });
    }
  });

  it('a delete under client-wins deletes on the server etag, keeping the server version as a conflict', () => {
    expect(planSettle(entry('delete'), server(ev('Changed')), 'client-wins')).toEqual({
      kind: 'remove',
      precondition: { ifMatch: '"s2"' },
      conflict: { kind: 'local-delete', current: 'deleted', server: ev('Changed') },
    });
  });

  it('a server without an etag gets an unconditional write', () => {
    expect(planSettle(entry('delete'), { status: 200, etag: undefined, ics: ev('X') }, 'client-wins')).toMatchObject({
      kind: 'remove',
      precondition: {},
    });
  });

  it('merge: different properties changed on each side → one merged PUT, no conflict', () => {
    const local = ev('Local title', 'Room 1');
    const remote = ev('Base', 'Room 9');
    const action = planSettle(entry('update', local), server(remote), 'merge');
    expect(action.kind).toBe('put');
    if (action.kind !== 'put') return;
    expect(action.ics).toContain('SUMMARY:Local title');
    expect(action.ics).toContain('LOCATION:Room 9');
    expect(action.precondition).toEqual({ ifMatch: '"s2"' });
    expect(action.conflict).toBeUndefined();
  });

  it('merge: the same property changed on both sides → merged PUT plus a conflict naming it', () => {
    const action = planSettle(entry('update', ev('Mine')), server(ev('Theirs')), 'merge');
    expect(action).toMatchObject({ conflict: { kind: 'edit-edit', current: 'merged', properties: ['SUMMARY'] } });
  });

  it('merge: when the merge equals the server version nothing is written', () => {
    const same = ev('Base', 'Room 9');
    expect(planSettle(entry('update', BASE), server(same), 'merge')).toEqual({ kind: 'server' });
  });

  it('server-wins: the server version stays, ours is kept as a conflict', () => {
    expect(planSettle(entry('update', ev('Mine')), server(ev('Theirs')), 'server-wins')).toEqual({
      kind: 'server',
      conflict: { kind: 'edit-edit', current: 'server', server: ev('Theirs'), local: ev('Mine') },
    });
  });

  it('client-wins: ours overwrites on the server etag, theirs kept as a conflict', () => {
    expect(planSettle(entry('update', ev('Mine')), server(ev('Theirs')), 'client-wins')).toMatchObject({
      kind: 'put',
      ics: ev('Mine'),
      precondition: { ifMatch: '"s2"' },
      conflict: { kind: 'edit-edit', current: 'local', server: ev('Theirs') },
    });
  });

  it('merge without a base (unreadable base) falls back to server-wins, ours kept', () => {
    const { baseIcs: _base, ...noBase } = entry('update', ev('Mine'));
    expect(planSettle(noBase, server(ev('Theirs')), 'merge')).toMatchObject({
      kind: 'server',
      conflict: { kind: 'edit-edit', current: 'server' },
    });
  });
});
