import { describe, expect, it } from 'vitest';
import { prng } from '../../../../test/helpers/prng.ts';
import { CalsyncError } from '../api/errors.ts';
import { collectionMembers } from './members.ts';
import { calendarData, readMultistatus, responseEtag } from './multistatus.ts';
import { parseXml } from './xml.ts';

// Fuzzing (issue 11's fault matrix): a realistic multistatus, mutated — cut short, a tag or
// a character dropped or doubled, hrefs mangled, bytes flipped — is either read into
// contained members or refused with a CalsyncError; nothing else ever escapes, nothing hangs.

const CAL = 'https://dav.example.com/home/cal/';
const ics = (uid: string) =>
  `BEGIN:VCALENDAR&#13;\nBEGIN:VEVENT&#13;\nUID:${uid}&#13;\nDTSTART:20261201T100000Z&#13;\nEND:VEVENT&#13;\nEND:VCALENDAR&#13;\n`;
const BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${Array.from(
  { length: 8 },
  (_, i) =>
    `<d:response><d:href>/home/cal/e${i}%40x.ics</d:href><d:propstat><d:prop><d:getetag>"${i}"</d:getetag><C:calendar-data>${ics(`e${i}`)}</C:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
).join(
  '',
)}<d:response><d:href>/home/cal/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response><d:sync-token>http://example/sync/1</d:sync-token></d:multistatus>`;

const MUTATIONS: Record<string, (text: string, r: () => number) => string> = {
  'cut short': (t, r) => t.slice(0, Math.floor(r() * t.length)),
  'drop a character': (t, r) => {
    const i = Math.floor(r() * t.length);
    return t.slice(0, i) + t.slice(i + 1);
  },
  'double a span': (t, r) => {
    const i = Math.floor(r() * t.length);
    const j = Math.min(t.length, i + Math.floor(r() * 200));
    return t.slice(0, j) + t.slice(i, j) + t.slice(j);
  },
  'flip a character': (t, r) => {
    const i = Math.floor(r() * t.length);
    return t.slice(0, i) + String.fromCharCode(Math.floor(r() * 0x2ff)) + t.slice(i + 1);
  },
  'mangle an href': (t, r) => {
    const hostile = [
      'http://evil.test/x.ics',
      '../../etc/passwd',
      '%2e%2e/x',
      'javascript:1',
      '//evil.test/a',
      '',
      ' ',
    ];
    let n = 0;
    const pick = Math.floor(r() * 9);
    return t.replace(/<d:href>[^<]*<\/d:href>/g, (m) =>
      n++ === pick ? `<d:href>${hostile[Math.floor(r() * hostile.length)]}</d:href>` : m,
    );
  },
  'rename a tag': (t, r) => {
    const tags = ['response', 'propstat', 'status', 'href', 'prop', 'multistatus'];
    const tag = tags[Math.floor(r() * tags.length)] ?? 'response';
    return t.replace(new RegExp(`d:${tag}`, ''), `x:${tag}`);
  },
};

describe('mutated multistatus answers', () => {
  it('every mutant is read into contained members or refused with a CalsyncError', () => {
    const random = prng(20261202);
    const kinds = Object.entries(MUTATIONS);
    let read = 0;
    let refused = 0;
    for (let m = 0; m < 3_000; m++) {
      const [kind, mutate] = kinds[Math.floor(random() * kinds.length)] as [
        string,
        (t: string, r: () => number) => string,
      ];
      const body = mutate(BODY, random);
      try {
        const ms = readMultistatus(parseXml(body), CAL);
        const { members } = collectionMembers(ms.responses, CAL, () => undefined);
        for (const member of members) {
          expect(member.href.startsWith(CAL), `${kind}: ${member.href}`).toBe(true);
          responseEtag(member);
          calendarData(member);
        }
        read++;
      } catch (error) {
        expect(error, `mutant ${m} (${kind}) threw a ${String(error)}`).toBeInstanceOf(CalsyncError);
        refused++;
      }
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(read).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
