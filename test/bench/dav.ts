/**
 * Bare CalDAV requests from Node for the bench, with nothing between `fetch` and the
 * server: checking the seed, reading the current token, the other client's writes.
 */
import { readSyncToken, syncCollectionBody } from './report-request.ts';

/** One calendar collection of the bench, with the credentials of its own user. */
export interface BenchCalendar {
  /** The DAV root, e.g. `http://127.0.0.1:40123/`. */
  readonly serverUrl: string;
  /** Absolute URL of the calendar collection. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Number of objects seeded. */
  readonly size: number;
}

/** `Authorization` header value for Basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Sends one REPORT and reads the whole body; rejects on anything but 207. */
export async function report(calendar: BenchCalendar, body: string, depth: '0' | '1'): Promise<string> {
  const response = await fetch(calendar.url, {
    method: 'REPORT',
    headers: {
      Authorization: basicAuth(calendar.username, calendar.password),
      Depth: depth,
      'Content-Type': 'application/xml; charset=utf-8',
    },
    body,
  });
  const text = await response.text();
  if (response.status !== 207) throw new Error(`REPORT ${calendar.url}: ${response.status} ${text.slice(0, 200)}`);
  return text;
}

/** The collection's current sync token (a sync-collection from '' without data). */
export async function currentToken(calendar: BenchCalendar): Promise<string> {
  const token = readSyncToken(await report(calendar, syncCollectionBody('', false), '0'));
  if (!token) throw new Error(`no sync-token from ${calendar.url}`);
  return token;
}

/** PUT or DELETE one object by plain HTTP (the "other client"); rejects on failure. */
export async function writeObject(
  calendar: BenchCalendar,
  name: string,
  ics: string | undefined,
): Promise<{ status: number; etag: string | null }> {
  const url = new URL(name, calendar.url).toString();
  const response = await fetch(url, {
    method: ics === undefined ? 'DELETE' : 'PUT',
    headers: {
      Authorization: basicAuth(calendar.username, calendar.password),
      ...(ics === undefined ? {} : { 'Content-Type': 'text/calendar; charset=utf-8' }),
    },
    ...(ics === undefined ? {} : { body: ics }),
  });
  await response.arrayBuffer();
  if (response.status >= 300) throw new Error(`${ics === undefined ? 'DELETE' : 'PUT'} ${url}: ${response.status}`);
  return { status: response.status, etag: response.headers.get('etag') };
}
