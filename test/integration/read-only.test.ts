import { CalsyncError } from '@calsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { alice, openSdk } from './setup.ts';

// A calendar the server says is read-only (its privileges lack write) refuses local edits
// up front, with a typed error, before anything is stored or sent. Radicale 3.1.8 reports
// full privileges whatever its rights say (a write then gets its 403, which quarantines
// the entry: push.test.ts), so its answer is rewritten the way servers with shared
// read-only calendars (Nextcloud, iCloud) answer.

const WINDOW = { start: '2026-12-01', end: '2027-01-01' };

describe('read-only calendars', () => {
  let server: RadicaleServer;

  beforeAll(async () => {
    server = await startRadicale();
    const dav = alice(server);
    await dav.makeCalendar('/alice/mine/', 'Mine');
    await dav.makeCalendar('/alice/shared/', 'Shared');
    await dav.put(
      '/alice/shared/team.ics',
      buildIcs({ uid: 'team', summary: 'Team', start: '20261210T100000Z', end: '20261210T110000Z' }),
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('refuse creates, edits and deletes up front with invalid-input; nothing is stored or sent', async () => {
    const h = await openSdk();
    h.net.rewrite = (url, init, body) =>
      init?.method === 'PROPFIND' && new URL(url).pathname === '/alice/'
        ? body.replace(
            /(<href>\/alice\/shared\/<\/href>.*?<current-user-privilege-set>).*?(<\/current-user-privilege-set>)/s,
            '$1<privilege><read /></privilege>$2',
          )
        : undefined;
    await h.sdk.addAccount({ serverUrl: server.url, username: 'alice', password: 'alice-password' });
    await h.sdk.sync();
    const calendars = await h.sdk.listCalendars();
    const shared = calendars.find((c) => c.name === 'Shared');
    expect(shared?.readOnly).toBe(true);
    expect(calendars.find((c) => c.name === 'Mine')?.readOnly).toBe(false);
    const [team] = await h.sdk.listEvents(WINDOW);
    expect(team?.summary).toBe('Team');
    for (const attempt of [
      () => h.sdk.createEvent(shared?.id ?? '', { summary: 'x', start: '2026-12-11', end: '2026-12-12', allDay: true }),
      () => h.sdk.updateEvent(team?.eventId ?? '', { summary: 'Changed' }),
      () => h.sdk.deleteEvent(team?.eventId ?? ''),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CalsyncError);
      expect((error as CalsyncError).code).toBe('invalid-input');
      expect((error as Error).message).toMatch(/read-only/);
    }
    expect(await h.sdk.listPending()).toEqual([]);
    h.net.reset();
    await h.sdk.sync();
    expect(h.net.requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE')).toEqual([]);
    expect((await h.sdk.listEvents(WINDOW)).map((e) => e.summary)).toEqual(['Team']);
    await h.sdk.close();
  });
});
