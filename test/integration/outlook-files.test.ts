import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DavServer, SERVERS } from '../helpers/dav-server.ts';
import { openDevice } from './setup.ts';

// Objects as Outlook/Exchange and other exporters write them, stored on a real server by
// "another client" and read back through calsync.

const fixture = (name: string) => readFile(new URL(`../fixtures/ics/${name}`, import.meta.url), 'utf8');

describe.each(SERVERS)('Outlook/Exchange-style objects on $name', (kind) => {
  let server: DavServer;

  beforeAll(async () => {
    server = await kind.start();
    const dav = server.client();
    await dav.makeCalendar(server.calendar('outlook'), 'Outlook');
    await dav.put(`${server.calendar('outlook')}teamtag.ics`, await fixture('exchange-allday-series-override.ics'));
    await dav.put(`${server.calendar('outlook')}halbjahr.ics`, await fixture('exporter-recent-transitions-only.ics'));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('an all-day override with a Windows-zone RECURRENCE-ID replaces its instance; an early event keeps its zone', async () => {
    const h = await openDevice(server);
    const april = await h.sdk.listEvents({ start: '2020-04-01', end: '2020-05-15' });
    expect(april.map((e) => `${e.start} ${e.summary}`)).toEqual([
      '2020-04-09 Teamtag',
      '2020-04-17 Teamtag (verschoben)',
      '2020-04-23 Teamtag',
      '2020-05-07 Teamtag',
    ]);
    // 10:00 in Berlin in January 2019, though the embedded zone only describes 2023 on.
    const [early] = await h.sdk.listEvents({ start: '2019-01-01', end: '2019-02-01' });
    expect(early?.start).toBe('2019-01-15T09:00:00.000Z');
    // Editing the moved occurrence edits the override, on the server too.
    const moved = april[1];
    await h.sdk.updateEvent(
      moved?.eventId ?? '',
      { summary: 'Teamtag (Freitag)' },
      { occurrence: moved?.recurrenceId ?? '' },
    );
    await h.sdk.sync();
    const again = await openDevice(server);
    expect((await again.sdk.listEvents({ start: '2020-04-01', end: '2020-05-15' })).map((e) => e.summary)).toEqual([
      'Teamtag',
      'Teamtag (Freitag)',
      'Teamtag',
      'Teamtag',
    ]);
    await again.sdk.close();
    await h.sdk.close();
  });
});
