import { describe, expect, it } from 'vitest';
import { expandObject } from '../ical/index.ts';
import { OccurrenceCache } from './occurrence-cache.ts';

const DAY = 86_400_000;
const series = [
  // Weekly in Berlin across DST, with an EXDATE and a moved occurrence.
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:t',
    'BEGIN:VEVENT',
    'UID:w',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Europe/Berlin:20260105T100000',
    'DTEND;TZID=Europe/Berlin:20260105T103000',
    'RRULE:FREQ=WEEKLY',
    'EXDATE;TZID=Europe/Berlin:20260330T100000',
    'SUMMARY:Weekly',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:w',
    'DTSTAMP:20260101T000000Z',
    'RECURRENCE-ID;TZID=Europe/Berlin:20260406T100000',
    'DTSTART;TZID=Europe/Berlin:20260409T150000',
    'DTEND;TZID=Europe/Berlin:20260409T160000',
    'SUMMARY:Moved',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n'),
  // Daily all-day with COUNT.
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:t',
    'BEGIN:VEVENT',
    'UID:d',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;VALUE=DATE:20260301',
    'DTEND;VALUE=DATE:20260303',
    'RRULE:FREQ=DAILY;COUNT=40',
    'SUMMARY:Daily',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n'),
  // Every other day, 3 days long (instances straddle every boundary), begun years before
  // the windows, one instance moved two months later and one cancelled.
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:t',
    'BEGIN:VEVENT',
    'UID:long',
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20210104T220000Z',
    'DTEND:20210107T220000Z',
    'RRULE:FREQ=DAILY;INTERVAL=2',
    'SUMMARY:Long',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:long',
    'DTSTAMP:20260101T000000Z',
    'RECURRENCE-ID:20260103T220000Z',
    'DTSTART:20260303T080000Z',
    'DTEND:20260303T090000Z',
    'SUMMARY:Moved far',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:long',
    'DTSTAMP:20260101T000000Z',
    'RECURRENCE-ID:20260105T220000Z',
    'STATUS:CANCELLED',
    'DTSTART:20260105T220000Z',
    'DTEND:20260108T220000Z',
    'SUMMARY:Gone',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n'),
];

describe('OccurrenceCache', () => {
  it('answers any window exactly like a fresh expansion, in any order of queries', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (const ics of series) {
      const cache = new OccurrenceCache(ics, true);
      for (let i = 0; i < 60; i++) {
        const start = Date.UTC(2025, 6, 1) + Math.floor(random() * 900) * DAY + Math.floor(random() * 24) * 3_600_000;
        const end = start + (1 + Math.floor(random() * 40)) * DAY;
        const direct = expandObject(ics, start, end).sort((a, b) => a.startMs - b.startMs);
        expect(cache.between(start, end)).toEqual(direct);
      }
    }
  });
});
