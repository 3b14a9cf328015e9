import { describe, expect, it } from 'vitest';
import { CalsyncError } from '../api/errors.ts';
import { CalDavHttpTransport } from './caldav-transport.ts';
import { DavHttp } from './dav-http.ts';
import type { ServerIssue } from './members.ts';

const ROOT = 'https://dav.example.com/';
const CAL = 'https://dav.example.com/home/cal/';
const ICS = (uid: string) =>
  `BEGIN:VCALENDAR&#13;\nVERSION:2.0&#13;\nBEGIN:VEVENT&#13;\nUID:${uid}&#13;\nDTSTART:20261201T100000Z&#13;\nEND:VEVENT&#13;\nEND:VCALENDAR&#13;\n`;

type Answer = { status?: number; body?: string; headers?: Record<string, string> };

/** A transport over a scripted server: `answer` sees every request that was sent. */
function scripted(answer: (method: string, url: string, body: string) => Answer, allowOrigins: string[] = []) {
  const sent: Array<{ method: string; url: string; authorization: string | null; redirect: string | undefined }> = [];
  const issues: ServerIssue[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    sent.push({
      method,
      url,
      authorization: new Headers(init?.headers).get('authorization'),
      redirect: init?.redirect,
    });
    const a = answer(method, url, typeof init?.body === 'string' ? init.body : '');
    return new Response(a.body ?? '', {
      status: a.status ?? 207,
      headers: { 'content-type': 'application/xml', ...a.headers },
    });
  };
  const http = new DavHttp({
    fetch,
    username: 'alice',
    password: 's3cret',
    allowedOrigins: [ROOT, ...allowOrigins],
  });
  return { transport: new CalDavHttpTransport(http, (i) => issues.push(i)), sent, issues };
}

const multistatus = (inner: string, token = '<sync-token>t2</sync-token>') =>
  `<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${inner}${token}</multistatus>`;
const member = (href: string, data?: string) =>
  `<response><href>${href}</href><propstat><prop><getetag>"e"</getetag>${
    data === undefined ? '' : `<C:calendar-data>${data}</C:calendar-data>`
  }</prop><status>HTTP/1.1 200 OK</status></propstat></response>`;

describe('hrefs are contained', () => {
  const hostile = [
    'http://evil.test/x.ics',
    'http://169.254.169.254/latest/x.ics',
    '/home/cal/../other/victim.ics',
    '/home/',
    '/principals/alice/',
  ];

  it('keeps only members of the collection from a sync-collection answer, reporting the rest', async () => {
    const { transport, issues } = scripted(() => ({
      body: multistatus([...hostile, '/home/cal/ok.ics'].map((h) => member(h, ICS(h))).join('')),
    }));
    const result = await transport.syncCollection(CAL, 't1', { withData: true });
    expect(result.kind === 'changes' && result.changed.map((c) => c.href)).toEqual([`${CAL}ok.ics`]);
    expect(issues.map((i) => i.kind)).toEqual(hostile.map(() => 'href-outside'));
  });

  it('keeps only members from a full calendar-query and an etag listing', async () => {
    const body = multistatus([...hostile, '/home/cal/ok.ics'].map((h) => member(h, ICS(h))).join(''), '');
    const { transport } = scripted(() => ({ body }));
    expect((await transport.fetchAll(CAL))?.map((c) => c.href)).toEqual([`${CAL}ok.ics`]);
    expect((await transport.listEtags(CAL)).map((c) => c.href)).toEqual([`${CAL}ok.ics`]);
  });

  it('keeps only calendars inside the calendar home', async () => {
    const calendar = (href: string) =>
      `<response><href>${href}</href><propstat><prop><resourcetype><collection/><C:calendar/></resourcetype><displayname>${href}</displayname></prop><status>HTTP/1.1 200 OK</status></propstat></response>`;
    const { transport, issues } = scripted(() => ({
      body: multistatus(
        ['/home/', '/home/work/', 'http://evil.test/home/cal/', '/other/cal/', '/home/a/b/'].map(calendar).join(''),
        '',
      ),
    }));
    const calendars = await transport.listCalendars('https://dav.example.com/home/');
    expect(calendars.map((c) => c.url)).toEqual([
      'https://dav.example.com/home/',
      'https://dav.example.com/home/work/',
    ]);
    expect(issues).toHaveLength(3);
  });

  it('refuses a home listing that does not describe the home itself (its missing calendars would be removed)', async () => {
    const { transport } = scripted(() => ({
      body: multistatus(
        `<response><href>/home/${'x'.repeat(50)}/deep/</href><status>HTTP/1.1 200 OK</status></response>`,
        '',
      ),
    }));
    await expect(transport.listCalendars('https://dav.example.com/home/')).rejects.toMatchObject({ code: 'bad-data' });
  });

  it('ignores multiget answers about hrefs it did not ask for', async () => {
    const { transport, issues } = scripted(() => ({
      body: multistatus(member('/home/cal/a.ics', ICS('a')) + member('/home/cal/injected.ics', ICS('x')), ''),
    }));
    const items = await transport.multiget(CAL, [`${CAL}a.ics`]);
    expect(items.map((i) => i.href)).toEqual([`${CAL}a.ics`]);
    expect(issues.map((i) => i.kind)).toEqual(['href-unrequested']);
  });

  it('matches multiget answers to the asked hrefs in canonical form, whatever spelling was asked', async () => {
    const { transport, issues } = scripted(() => ({ body: multistatus(member('/home/cal/a@b.ics', ICS('a')), '') }));
    const items = await transport.multiget(CAL, [`${CAL}a%40b.ics`]);
    expect(items).toMatchObject([{ href: `${CAL}a@b.ics`, ok: true }]);
    expect(issues).toEqual([]);
  });

  it('keeps one entry per resource when an answer names it twice in different spellings', async () => {
    const spellings = ['/home/cal/a.ics', './a.ics', '/home/cal/%61.ics', 'https://DAV.example.com:443/home/cal/a.ics'];
    const { transport, issues } = scripted(() => ({
      body: multistatus(spellings.map((h, i) => member(h, ICS(`v${i}`))).join('')),
    }));
    const result = await transport.syncCollection(CAL, 't1', { withData: true });
    if (result.kind !== 'changes') throw new Error('expected changes');
    expect(result.changed.map((c) => c.href)).toEqual([`${CAL}a.ics`]);
    expect(result.changed[0]?.data).toContain('UID:v3'); // the last one wins
    expect(issues.map((i) => i.kind)).toEqual(['href-duplicate', 'href-duplicate', 'href-duplicate']);
  });
});

describe('credentials go only to the account origin', () => {
  it('refuses writes, reads and deletes on another origin without sending anything', async () => {
    const { transport, sent } = scripted(() => ({ status: 201 }));
    for (const call of [
      () => transport.put('http://evil.test/x.ics', 'BEGIN:VCALENDAR', {}),
      () => transport.remove('http://169.254.169.254/x.ics', {}),
      () => transport.get('https://dav.example.com.evil.test/x.ics'),
      () => transport.put('http://dav.example.com/home/cal/x.ics', '', {}), // http, not https
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'CalsyncError', code: 'untrusted-origin' });
    }
    expect(sent).toEqual([]);
  });

  const principal =
    (home: string) =>
    (method: string, url: string): Answer => {
      if (url === ROOT)
        return {
          body: multistatus(
            '<response><href>/</href><propstat><prop><current-user-principal><href>/principals/alice/</href></current-user-principal></prop><status>HTTP/1.1 200 OK</status></propstat></response>',
            '',
          ),
        };
      if (url.endsWith('/principals/alice/'))
        return {
          body: multistatus(
            `<response><href>/principals/alice/</href><propstat><prop><C:calendar-home-set><href>${home}</href></C:calendar-home-set></prop><status>HTTP/1.1 200 OK</status></propstat></response>`,
            '',
          ),
        };
      return { status: 500, body: `${method} ${url}` };
    };

  it('refuses a calendar home on another origin unless the user allowed it', async () => {
    const { transport, sent } = scripted(principal('https://p42-caldav.example.net/123/calendars/'));
    await expect(transport.discover(ROOT)).rejects.toMatchObject({ code: 'untrusted-origin' });
    expect(sent.every((s) => s.url.startsWith(ROOT))).toBe(true);
    const allowed = scripted(principal('https://p42-caldav.example.net/123/calendars/'), [
      'https://p42-caldav.example.net',
    ]);
    expect((await allowed.transport.discover(ROOT)).homeUrl).toBe('https://p42-caldav.example.net/123/calendars/');
  });

  it('refuses a principal on another origin without sending the password there', async () => {
    const { transport, sent } = scripted((method, url) =>
      url === ROOT
        ? {
            body: multistatus(
              '<response><href>/</href><propstat><prop><current-user-principal><href>http://evil.test/p/</href></current-user-principal></prop><status>HTTP/1.1 200 OK</status></propstat></response>',
              '',
            ),
          }
        : principal('/home/')(method, url),
    );
    await expect(transport.discover(ROOT)).rejects.toMatchObject({ code: 'untrusted-origin' });
    expect(sent.map((s) => s.url)).toEqual([ROOT]);
  });

  it('does not follow redirects (a 3xx to another host is an error, not a request there)', async () => {
    const { transport, sent } = scripted(() => ({ status: 301, headers: { location: 'http://evil.test/dav/' } }));
    await expect(transport.discover(ROOT)).rejects.toBeInstanceOf(CalsyncError);
    expect(sent.map((s) => [s.url, s.redirect])).toEqual([[ROOT, 'manual']]);
  });
});

describe('never infer deletion from what was not said', () => {
  it('reads missing, empty or refused calendar-data as unavailable, and only 404/410 as gone', async () => {
    const hrefs = ['missing', 'empty', 'refused', 'error', 'gone', 'ok'].map((n) => `${CAL}${n}.ics`);
    const { transport, issues } = scripted(() => ({
      body: multistatus(
        [
          member('/home/cal/missing.ics'),
          member('/home/cal/empty.ics', ''),
          `<response><href>/home/cal/refused.ics</href><propstat><prop><getetag>"e"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat><propstat><prop><C:calendar-data/></prop><status>HTTP/1.1 403 Forbidden</status></propstat></response>`,
          '<response><href>/home/cal/error.ics</href><status>HTTP/1.1 500 Internal Server Error</status></response>',
          '<response><href>/home/cal/gone.ics</href><status>HTTP/1.1 404 Not Found</status></response>',
          member('/home/cal/ok.ics', ICS('ok')),
        ].join(''),
        '',
      ),
    }));
    const items = await transport.multiget(CAL, hrefs);
    expect(items.map((i) => [i.href.slice(CAL.length), i.ok ? 'ok' : i.gone ? 'gone' : 'unavailable'])).toEqual([
      ['missing.ics', 'unavailable'],
      ['empty.ics', 'unavailable'],
      ['refused.ics', 'unavailable'],
      ['error.ics', 'unavailable'],
      ['gone.ics', 'gone'],
      ['ok.ics', 'ok'],
    ]);
    expect(issues.filter((i) => i.kind === 'object-unavailable')).toHaveLength(4);
  });

  it('reports sync-collection members with an error status as unavailable, not deleted', async () => {
    const { transport } = scripted(() => ({
      body: multistatus('<response><href>/home/cal/a.ics</href><status>HTTP/1.1 500 Oops</status></response>'),
    }));
    const result = await transport.syncCollection(CAL, 't1', { withData: true });
    expect(result).toMatchObject({ kind: 'changes', changed: [], deleted: [], unavailable: [`${CAL}a.ics`] });
  });

  const strange = {
    'response in a foreign namespace':
      '<multistatus xmlns="DAV:"><x:response xmlns:x="urn:x"><x:href>/home/cal/a.ics</x:href></x:response></multistatus>',
    'a response with neither status nor propstat':
      '<multistatus xmlns="DAV:"><response><href>/home/cal/a.ics</href></response></multistatus>',
    'a propstat without status':
      '<multistatus xmlns="DAV:"><response><href>/home/cal/a.ics</href><propstat><prop><getetag>"1"</getetag></prop></propstat></response></multistatus>',
    'an unreadable status line':
      '<multistatus xmlns="DAV:"><response><href>/home/cal/a.ics</href><status>OK</status></response></multistatus>',
    'a multistatus in the wrong namespace':
      '<multistatus xmlns="urn:not-dav"><response><href>/a</href></response></multistatus>',
    'an HTML login page': '<html><body>Please log in</body></html>',
    JSON: '{"responses": []}',
    'an empty body': '',
  };
  it.each(Object.entries(strange))('an answer with %s is bad-data, never an empty listing', async (_name, body) => {
    const { transport } = scripted(() => ({ body }));
    await expect(transport.listEtags(CAL)).rejects.toMatchObject({ code: 'bad-data' });
    await expect(transport.syncCollection(CAL, 't1', { withData: false })).rejects.toMatchObject({ code: 'bad-data' });
    await expect(transport.fetchAll(CAL)).rejects.toMatchObject({ code: 'bad-data' });
  });
});

describe('answer size', () => {
  const http = (body: BodyInit, headers: Record<string, string> = {}) =>
    new DavHttp({
      fetch: async () => new Response(body, { status: 207, headers }),
      username: 'u',
      password: 'p',
      allowedOrigins: [ROOT],
      maxBodyBytes: 1000,
    });

  it('stops reading a body that never ends, at the cap', async () => {
    let chunks = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunks++;
        controller.enqueue(new Uint8Array(100).fill(0x61));
      },
    });
    await expect(http(endless).request('REPORT', CAL)).rejects.toMatchObject({
      code: 'bad-data',
      message: /larger than 1000/,
    });
    expect(chunks).toBeLessThan(20);
  });

  it('refuses a declared length over the cap without reading it', async () => {
    await expect(http('x'.repeat(2000), { 'content-length': '2000' }).request('REPORT', CAL)).rejects.toMatchObject({
      code: 'bad-data',
    });
    await expect(http('x'.repeat(900)).request('REPORT', CAL)).resolves.toMatchObject({ text: 'x'.repeat(900) });
  });
});

describe('XML limits', () => {
  it('refuses deep nesting at once, without recursion or a RangeError', async () => {
    const depth = 40_000;
    const body = `<multistatus xmlns="DAV:">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</multistatus>`;
    const { transport } = scripted(() => ({ body }));
    const started = performance.now();
    await expect(transport.listEtags(CAL)).rejects.toMatchObject({ code: 'bad-data', message: /nested deeper/ });
    // Before the cap this took ~28 s; the limit stops the parser at element 65.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses an answer with too many elements', async () => {
    const body = `<multistatus xmlns="DAV:">${'<x/>'.repeat(2_000_001)}</multistatus>`;
    const { transport } = scripted(() => ({ body }));
    await expect(transport.listEtags(CAL)).rejects.toMatchObject({ code: 'bad-data', message: /elements/ });
  });
});

describe('calendar listing', () => {
  it('reads supported components from the name attribute of each comp (RFC 4791 §5.2.3)', async () => {
    const { transport } = scripted(() => ({
      body: multistatus(
        '<response><href>/home/</href><propstat><prop><resourcetype><collection/></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat></response>' +
          '<response><href>/home/tasks/</href><propstat><prop><resourcetype><collection/><C:calendar/></resourcetype>' +
          '<C:supported-calendar-component-set><C:comp name="VTODO"/><C:comp name="vjournal"/></C:supported-calendar-component-set>' +
          '</prop><status>HTTP/1.1 200 OK</status></propstat></response>',
        '',
      ),
    }));
    const [tasks] = await transport.listCalendars('https://dav.example.com/home/');
    expect(tasks?.components).toEqual(['VTODO', 'VJOURNAL']);
  });
});
