import { describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { FakeTransport } from './fake-transport.ts';

const event = (uid: string) => `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

function withCalendar() {
  const fake = new FakeTransport();
  const cal = fake.addCalendar('work');
  return { fake, cal };
}

describe('FakeTransport scripting', () => {
  it('fails the next N calls of one method with the given error, then behaves again; counts every call', async () => {
    const { fake, cal } = withCalendar();
    const offline = new CalsyncError('network', 'offline');
    fake.failNext('put', offline, 2);
    await expect(fake.put(`${cal}a.ics`, event('a'), { ifNoneMatch: '*' })).rejects.toBe(offline);
    await expect(fake.put(`${cal}a.ics`, event('a'), { ifNoneMatch: '*' })).rejects.toBe(offline);
    expect(fake.object(`${cal}a.ics`)).toBeUndefined();
    expect((await fake.put(`${cal}a.ics`, event('a'), { ifNoneMatch: '*' })).status).toBe(201);
    expect(fake.calls('put')).toBe(3);
    expect(fake.calls('get')).toBe(0);
    fake.resetCalls();
    expect(fake.calls('put')).toBe(0);
  });

  it('answers a scripted write status without applying the write; other methods only take errors', async () => {
    const { fake, cal } = withCalendar();
    fake.failNext('put', { status: 503, etag: undefined, body: 'busy' });
    expect(await fake.put(`${cal}a.ics`, event('a'), {})).toEqual({ status: 503, etag: undefined, body: 'busy' });
    expect(fake.object(`${cal}a.ics`)).toBeUndefined();
    expect(() => fake.failNext('listEtags', { status: 500, etag: undefined, body: '' })).toThrow(TypeError);
  });

  it('pages sync-collection with `more` and a token that continues where the page ended', async () => {
    const { fake, cal } = withCalendar();
    for (const name of ['a', 'b', 'c', 'd', 'e']) fake.serverPut(`${cal}${name}.ics`, event(name));
    fake.pageSize = 2;
    const seen: string[] = [];
    let token: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await fake.syncCollection(cal, token, { withData: false });
      if (r.kind !== 'changes') throw new Error('invalid token');
      expect(r.changed.length).toBeLessThanOrEqual(2);
      seen.push(...r.changed.map((c) => c.href));
      token = r.token;
      if (!r.more) break;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((n) => `${cal}${n}.ics`));
    expect(fake.calls('syncCollection')).toBe(3);
  });

  it('shows server-side edits in sync-collection; a token of a removed and re-created calendar is invalid', async () => {
    const { fake, cal } = withCalendar();
    fake.serverPut(`${cal}a.ics`, event('a'));
    const start = await fake.syncCollection(cal, null, { withData: false });
    if (start.kind !== 'changes') throw new Error('invalid token');
    fake.serverRemove(`${cal}a.ics`);
    const etag = fake.serverPut(`${cal}b.ics`, event('b'));
    expect(await fake.syncCollection(cal, start.token, { withData: true })).toMatchObject({
      changed: [{ href: `${cal}b.ics`, etag, data: event('b') }],
      deleted: [`${cal}a.ics`],
    });
    fake.removeCalendar(cal);
    await expect(fake.listEtags(cal)).rejects.toMatchObject({ code: 'not-found' });
    fake.addCalendar('work');
    expect(await fake.syncCollection(cal, start.token, { withData: false })).toEqual({ kind: 'invalid-token' });
  });

  it('truncated listings: listEtags refuses (absence would read as deletion), fetchAll gives undefined', async () => {
    const { fake, cal } = withCalendar();
    fake.truncateListings = true;
    await expect(fake.listEtags(cal)).rejects.toMatchObject({ code: 'server' });
    expect(await fake.fetchAll(cal)).toBeUndefined();
  });

  it('refuses URLs on another origin, as DavHttp does, and offers no sync-collection when told so', async () => {
    const fake = new FakeTransport();
    const cal = fake.addCalendar('plain', { supportsSyncCollection: false });
    await expect(fake.get('https://evil.test/x.ics')).rejects.toMatchObject({ code: 'untrusted-origin' });
    const [listed] = await fake.listCalendars(fake.homeUrl);
    expect(listed).toMatchObject({ url: cal, syncToken: undefined, supportsSyncCollection: false });
    await expect(fake.syncCollection(cal, null, { withData: false })).rejects.toMatchObject({ code: 'server' });
  });
});
