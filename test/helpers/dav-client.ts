/**
 * A second CalDAV client for tests: plain HTTP requests, independent of the SDK, so that
 * tests can change the server behind the SDK's back and check what reached the server.
 */
export class DavTestClient {
  readonly #auth: string;
  constructor(
    readonly baseUrl: string,
    username: string,
    password: string,
  ) {
    this.#auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url(path), {
      method,
      headers: { Authorization: this.#auth, ...headers },
      ...(body === undefined ? {} : { body }),
    });
  }

  /** MKCALENDAR with a display name and an optional color. */
  async makeCalendar(path: string, displayName: string, color?: string): Promise<void> {
    const colorProp = color
      ? `<ic:calendar-color xmlns:ic="http://apple.com/ns/ical/">${color}</ic:calendar-color>`
      : '';
    const body = `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>${displayName}</D:displayname>${colorProp}
  <C:supported-calendar-component-set><C:comp name="VEVENT"/><C:comp name="VTODO"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>`;
    const res = await this.request('MKCALENDAR', path, body, { 'Content-Type': 'application/xml' });
    if (res.status !== 201) throw new Error(`MKCALENDAR ${path}: ${res.status} ${await res.text()}`);
    if (color) {
      // Xandikos ignores properties in MKCALENDAR; a PROPPATCH sets them on every server.
      const patch = `<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>${colorProp}</D:prop></D:set></D:propertyupdate>`;
      const patched = await this.request('PROPPATCH', path, patch, { 'Content-Type': 'application/xml' });
      if (patched.status !== 207) throw new Error(`PROPPATCH ${path}: ${patched.status}`);
    }
  }

  /** PUT an object; returns the new ETag (or null when the server sent none). */
  async put(path: string, ics: string, headers: Record<string, string> = {}): Promise<string | null> {
    const res = await this.request('PUT', path, ics, { 'Content-Type': 'text/calendar; charset=utf-8', ...headers });
    if (res.status !== 201 && res.status !== 204) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
    return res.headers.get('etag');
  }

  async delete(path: string): Promise<void> {
    const res = await this.request('DELETE', path);
    if (res.status !== 200 && res.status !== 204) throw new Error(`DELETE ${path}: ${res.status}`);
  }

  async get(path: string): Promise<{ status: number; body: string; etag: string | null }> {
    const res = await this.request('GET', path);
    return { status: res.status, body: await res.text(), etag: res.headers.get('etag') };
  }

  /** Every object of a calendar collection with its ICS (one calendar-query REPORT). */
  async objects(path: string): Promise<Array<{ href: string; ics: string }>> {
    const body =
      '<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
      '<d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>';
    const response = await this.request('REPORT', path, body, { Depth: '1', 'Content-Type': 'application/xml' });
    if (response.status !== 207) throw new Error(`REPORT ${path}: ${response.status}`);
    const text = await response.text();
    const result: Array<{ href: string; ics: string }> = [];
    // Namespace prefixes differ between servers (`C:`, `ns1:`, none).
    const pattern =
      /<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>.*?<(?:\w+:)?calendar-data[^>]*>([^<]*)<\/(?:\w+:)?calendar-data>/gs;
    for (const match of text.matchAll(pattern)) {
      const ics = (match[2] ?? '')
        .replace(/&#13;/g, '\r')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
      result.push({ href: match[1] ?? '', ics });
    }
    return result;
  }
}
