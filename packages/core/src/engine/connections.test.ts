import { describe, expect, it } from 'vitest';
import type { CalsyncLogger, SyncEvent } from '../api/types.ts';
import { safeLog } from '../platform/logger.ts';
import { Connections } from './connections.ts';

const CAL = 'https://dav.example.com/home/cal/';

describe('Connections', () => {
  it('reports ignored answers as warning events and to the logger, at most 100 (+1 summary) per round', async () => {
    const hrefs = Array.from({ length: 150 }, (_, i) => `http://evil.test/${i}.ics`);
    const body = `<multistatus xmlns="DAV:">${hrefs
      .map((h) => `<response><href>${h}</href><status>HTTP/1.1 200 OK</status></response>`)
      .join('')}<sync-token>t</sync-token></multistatus>`;
    const events: SyncEvent[] = [];
    const logged: string[] = [];
    const logger: CalsyncLogger = { warn: (message) => logged.push(message) };
    const net = new Connections({
      fetch: async () => new Response(body, { status: 207 }),
      proxyUrl: undefined,
      emit: (e) => events.push(e),
      log: safeLog(logger),
    });
    const transport = net.transport({ id: 'acc', serverUrl: 'https://dav.example.com/', username: 'u' }, 'secret');
    const result = await transport.syncCollection(CAL, 't0', { withData: false });
    expect(result).toMatchObject({ kind: 'changes', changed: [], deleted: [] });
    expect(events).toHaveLength(101);
    expect(events[0]).toMatchObject({ type: 'warning', accountId: 'acc', warning: { code: 'href-outside' } });
    expect(logged).toHaveLength(101);
    expect(logged[100]).toMatch(/only the first 100/);
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('a throwing logger does not break a sync', async () => {
    const net = new Connections({
      fetch: async () =>
        new Response(
          '<multistatus xmlns="DAV:"><response><href>http://evil.test/x</href><status>HTTP/1.1 200 OK</status></response><sync-token>t</sync-token></multistatus>',
          { status: 207 },
        ),
      proxyUrl: undefined,
      emit: () => undefined,
      log: safeLog({
        warn: () => {
          throw new Error('logger down');
        },
      }),
    });
    const transport = net.transport({ serverUrl: 'https://dav.example.com/', username: 'u' }, 'p');
    await expect(transport.syncCollection(CAL, 't0', { withData: false })).resolves.toMatchObject({ kind: 'changes' });
  });
});
