import { describe, expect, it } from 'vitest';
import { calendar, vevent } from '../ical/test-ics.ts';
import { toObjectRecord } from '../model/object-record.ts';
import type { ConflictRecord } from '../model/records.ts';
import { toAccount, toCalendarEvent, toConflict } from './mappers.ts';

const series = calendar(
  vevent(
    'UID:s1',
    'DTSTART;TZID=Europe/Berlin:20260105T090000',
    'DTEND;TZID=Europe/Berlin:20260105T100000',
    'SUMMARY:Standup',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
  ),
  vevent(
    'UID:s1',
    'RECURRENCE-ID;TZID=Europe/Berlin:20260107T090000',
    'DTSTART;TZID=Europe/Berlin:20260107T110000',
    'DTEND;TZID=Europe/Berlin:20260107T120000',
    'SUMMARY:Moved',
  ),
);
const single = calendar(
  vevent('UID:e1', 'DTSTART;VALUE=DATE:20260110', 'DTEND;VALUE=DATE:20260111', 'SUMMARY:Day off', 'LOCATION:Home'),
);

describe('public shapes', () => {
  it('CalendarEvent.rrule is the master rule as written; absent for single events', () => {
    const event = toCalendarEvent(toObjectRecord('c1', 'https://dav.test/c1/s1.ics', '"1"', series));
    expect(event).toMatchObject({
      recurring: true,
      rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
      timezone: 'Europe/Berlin',
    });
    const plain = toCalendarEvent(toObjectRecord('c1', 'https://dav.test/c1/e1.ics', '"1"', single));
    expect(plain).not.toHaveProperty('rrule');
    expect(plain).toMatchObject({ allDay: true, start: '2026-01-10', end: '2026-01-11' });
  });

  it('a folded RRULE line is unfolded', () => {
    const folded = series.replace(
      'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
      'RRULE:FREQ=WEEKLY;BYDA\r\n Y=MO,WE;COUNT=10',
    );
    expect(toCalendarEvent(toObjectRecord('c1', 'https://dav.test/c1/s1.ics', '"1"', folded)).rrule).toBe(
      'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
    );
  });

  it('a conflict carries the readable fields of both versions; an unreadable version has none', () => {
    const record: ConflictRecord = {
      id: 'k1',
      calendarId: 'c1',
      href: 'https://dav.test/c1/e1.ics',
      kind: 'edit-edit',
      current: 'server',
      properties: ['SUMMARY'],
      createdAt: 0,
      local: single.replace('Day off', 'Holiday'),
      server: 'BEGIN:VCALENDAR\r\nnot ics',
    };
    const conflict = toConflict(record);
    expect(conflict.localEvent).toEqual({
      summary: 'Holiday',
      start: '2026-01-10',
      end: '2026-01-11',
      allDay: true,
      location: 'Home',
    });
    expect(conflict).not.toHaveProperty('serverEvent');
    expect(toConflict({ ...record, local: series }).localEvent?.rrule).toBe('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10');
  });

  it('an unknown stored error code is read as internal', () => {
    const account = toAccount({
      id: 'a',
      name: 'A',
      serverUrl: 'https://dav.test/',
      username: 'u',
      principalUrl: 'https://dav.test/p/',
      homeUrl: 'https://dav.test/h/',
      createdAt: 0,
      lastError: { code: 'gremlins' as never, message: 'old build' },
    });
    expect(account.lastError).toEqual({ code: 'internal', message: 'old build' });
  });
});
