import { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';

/**
 * A Radicale for a consumer app at `origin`: CORS headers for that origin, user demo/demo,
 * a calendar /demo/work/ with one event ("Seeded") two days from now.
 */
export async function startCorsRadicale(origin: string): Promise<RadicaleServer> {
  const server = await startRadicale({
    users: { demo: 'demo' },
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, PUT, DELETE, OPTIONS, PROPFIND, REPORT',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Depth, If-Match, If-None-Match, Prefer',
      'Access-Control-Expose-Headers': 'ETag',
    },
  });
  const dav = new DavTestClient(server.url, 'demo', 'demo');
  await dav.makeCalendar('/demo/work/', 'Work');
  const soon = new Date(Date.now() + 2 * 86_400_000);
  const stamp = (d: Date) => `${d.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  await dav.put(
    '/demo/work/seeded.ics',
    buildIcs({
      uid: 'seeded',
      summary: 'Seeded',
      start: stamp(soon),
      end: stamp(new Date(soon.getTime() + 3_600_000)),
    }),
  );
  return server;
}
