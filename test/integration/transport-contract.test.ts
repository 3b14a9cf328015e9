import { describe } from 'vitest';
import { CalDavHttpTransport } from '../../packages/core/src/transport/caldav-transport.ts';
import { DavHttp } from '../../packages/core/src/transport/dav-http.ts';
import type { ServerIssue } from '../../packages/core/src/transport/members.ts';
import { describeTransportContract } from '../../packages/core/src/transport/transport-contract.ts';
import { SERVERS } from '../helpers/dav-server.ts';

// The transport port's contract against real servers, with the transport built as the
// engine builds it (engine/connections.ts): DavHttp with the account's credentials and
// origins, issues reported to a sink. The same cases run on the scripted fake in `core`.
describe.each(SERVERS)('$name', (kind) => {
  describeTransportContract(`real ${kind.name}`, async () => {
    const server = await kind.start();
    const issues: ServerIssue[] = [];
    const http = new DavHttp({
      fetch,
      username: server.username,
      password: server.password,
      allowedOrigins: [server.url],
      proxyUrl: undefined,
    });
    const dav = server.client();
    return {
      transport: new CalDavHttpTransport(http, (issue) => issues.push(issue)),
      serverUrl: server.url,
      homeUrl: new URL('..', dav.url(server.calendar('x'))).toString(),
      issues,
      async makeCalendar(name, displayName) {
        await dav.makeCalendar(server.calendar(name), displayName);
        return dav.url(server.calendar(name));
      },
      cleanup: () => server.stop(),
    };
  });
});
