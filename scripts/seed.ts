/**
 * Seeds a realistic demo account: a few hundred events across three calendars, dated
 * around "now" so the demo's current week is never empty. Deterministic for a given day.
 */
import { DavTestClient } from '../test/helpers/dav-client.ts';
import { buildIcs, type VEventSpec } from '../test/helpers/ics-builder.ts';
import { prng } from '../test/helpers/prng.ts';

export const DEMO_USER = { username: 'demo', password: 'demo' } as const;

const pad = (n: number) => String(n).padStart(2, '0');
/** `YYYYMMDD` of a UTC date. */
const ymd = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const local = (d: Date, h: number, m = 0) => `${ymd(d)}T${pad(h)}${pad(m)}00`;
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

/** Monday (UTC) of the week containing `d`. */
function monday(d: Date): Date {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  return addDays(day, -((day.getUTCDay() + 6) % 7));
}

const TITLES = [
  ['Design review', 'Room Ada', 'Walk through the new onboarding flow and agree on the copy.'],
  ['Customer call: Nordwind GmbH', 'Zoom', 'Renewal and the CalDAV sync issue they reported.'],
  ['Sprint planning', 'Room Grace', 'Bring your estimates. Capacity is lower because of the holidays.'],
  ['Lunch with Sam', 'Café Kranzler', ''],
  ['Interview: frontend engineer', 'Room Ada', 'Pairing exercise; see the hiring doc for the rubric.'],
  ['Budget review', 'CFO office', 'Q1 numbers, travel budget, tooling licences.'],
  ['Dentist', 'Dr. Weber, Hauptstr. 12', 'Bring the insurance card.'],
  ['Yoga', 'Studio Mitte', ''],
  ['Parent-teacher meeting', 'Lincoln Elementary', ''],
  ['Architecture sync', 'Zoom', 'Worker boundary, IndexedDB schema migration plan.'],
  ['Release retro', 'Room Grace', 'What went well, what did not, what we change.'],
  ['Coffee with Priya', 'Blue Bottle', ''],
  ['Board prep', 'Zoom', 'Slides due the day before.'],
  ['Haircut', 'Salon Nord', ''],
  ['Security training', 'Online', 'Mandatory yearly module.'],
] as const;

/** The objects of the demo account, by calendar path. */
export function demoObjects(now = new Date()): Array<{ calendar: string; name: string; ics: string }> {
  const random = prng(Number(ymd(now)));
  const week = monday(now);
  const objects: Array<{ calendar: string; name: string; ics: string }> = [];
  const add = (calendar: string, spec: VEventSpec, overrides: Parameters<typeof buildIcs>[1] = []) =>
    objects.push({ calendar, name: `${spec.uid}.ics`, ics: buildIcs(spec, overrides) });

  // A weekday standup in Berlin, with this week's Wednesday moved and Friday cancelled.
  const seriesStart = addDays(week, -8 * 7);
  add(
    'work',
    {
      uid: 'demo-standup',
      summary: 'Team standup',
      start: local(seriesStart, 9, 30),
      end: local(seriesStart, 9, 45),
      tzid: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      exdates: [local(addDays(week, 4), 9, 30)],
      location: 'Room Grace / Zoom',
      description: 'Yesterday, today, blockers. 15 minutes, strictly.',
    },
    [
      {
        recurrenceId: local(addDays(week, 2), 9, 30),
        start: local(addDays(week, 2), 11, 0),
        end: local(addDays(week, 2), 11, 15),
        summary: 'Team standup (moved)',
      },
    ],
  );
  // A weekly 1:1 with the New York office.
  const thursday = addDays(week, 3 - 8 * 7);
  // This week's instance is cancelled with a STATUS:CANCELLED override (Outlook/Google style).
  const thisThursday = addDays(week, 3);
  add(
    'work',
    {
      uid: 'demo-1on1-ny',
      summary: '1:1 with Jordan (New York)',
      start: local(thursday, 11, 0),
      end: local(thursday, 11, 30),
      tzid: 'America/New_York',
      rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=30',
      location: 'Zoom',
    },
    [
      {
        recurrenceId: local(thisThursday, 11, 0),
        start: local(thisThursday, 11, 0),
        end: local(thisThursday, 11, 30),
        cancelled: true,
      },
    ],
  );
  // Two single events this week that the end-to-end tests edit and delete.
  add('work', {
    uid: 'demo-quarterly-review',
    summary: 'Quarterly review',
    start: local(addDays(week, 1), 14, 0),
    end: local(addDays(week, 1), 15, 0),
    tzid: 'Europe/Berlin',
    location: 'Board room',
  });
  add('personal', {
    uid: 'demo-team-lunch',
    summary: 'Team lunch',
    start: local(addDays(week, 3), 12, 0),
    end: local(addDays(week, 3), 13, 0),
    tzid: 'Europe/Berlin',
    location: 'Trattoria Roma',
  });
  // Monthly all-hands, first Monday.
  add('work', {
    uid: 'demo-allhands',
    summary: 'All-hands',
    start: local(addDays(week, -56), 16, 0),
    end: local(addDays(week, -56), 17, 0),
    tzid: 'Europe/Berlin',
    rrule: 'FREQ=MONTHLY;BYDAY=1MO',
  });
  // Single events over ±10 weeks, in two time zones and UTC.
  for (let i = 0; i < 420; i++) {
    const day = addDays(week, Math.floor(random() * 140) - 70);
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    const [summary, location, description] = TITLES[Math.floor(random() * TITLES.length)] ?? TITLES[0];
    const hour = 8 + Math.floor(random() * 9);
    const minutes = random() < 0.5 ? 0 : 30;
    const length = [30, 45, 60, 90][Math.floor(random() * 4)] ?? 60;
    const endTotal = hour * 60 + minutes + length;
    const zone = random() < 0.75 ? 'Europe/Berlin' : 'America/New_York';
    const personal = /Dentist|Yoga|Haircut|Lunch|Coffee|Parent/.test(summary);
    add(personal ? 'personal' : 'work', {
      uid: `demo-event-${i}`,
      summary,
      start: local(day, hour, minutes),
      end: local(day, Math.floor(endTotal / 60), endTotal % 60),
      tzid: zone,
      ...(location ? { location } : {}),
      ...(description ? { description } : {}),
    });
  }
  // All-day: holidays, birthdays (yearly), a trip spanning several days.
  const year = now.getUTCFullYear();
  for (const [uid, summary, date] of [
    ['newyear', "New Year's Day", `${year + 1}0101`],
    ['xmas', 'Christmas Day', `${year}1225`],
    ['boxing', 'Boxing Day', `${year}1226`],
    ['labour', 'Labour Day', `${year}0501`],
    ['unity', 'Day of German Unity', `${year}1003`],
  ] as const) {
    const next = addDays(
      new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6)))),
      1,
    );
    add('holidays', { uid: `demo-${uid}`, summary, start: date, end: ymd(next) });
  }
  add('personal', {
    uid: 'demo-birthday-mia',
    summary: "Mia's birthday",
    start: ymd(addDays(week, 5)),
    end: ymd(addDays(week, 6)),
    rrule: 'FREQ=YEARLY',
  });
  add('personal', {
    uid: 'demo-trip',
    summary: 'Trip to Lisbon',
    start: ymd(addDays(week, 10)),
    end: ymd(addDays(week, 14)),
    location: 'Lisbon',
  });
  add('personal', {
    uid: 'demo-gym',
    summary: 'Gym',
    start: local(addDays(week, -14), 7, 0),
    end: local(addDays(week, -14), 8, 0),
    tzid: 'Europe/Berlin',
    rrule: 'FREQ=WEEKLY;BYDAY=TU,SA',
  });
  return objects;
}

/** Creates the demo calendars on a CalDAV server (as the demo user) and PUTs the objects. */
export async function seedDemo(serverUrl: string, now = new Date()): Promise<number> {
  const dav = new DavTestClient(serverUrl, DEMO_USER.username, DEMO_USER.password);
  await dav.makeCalendar('/demo/work/', 'Work', '#1E88E5FF');
  await dav.makeCalendar('/demo/personal/', 'Personal', '#43A047FF');
  await dav.makeCalendar('/demo/holidays/', 'Holidays', '#FB8C00FF');
  const objects = demoObjects(now);
  // A few at a time: Radicale is single-writer, more parallelism buys nothing.
  for (let i = 0; i < objects.length; i += 4) {
    await Promise.all(objects.slice(i, i + 4).map((o) => dav.put(`/demo/${o.calendar}/${o.name}`, o.ics)));
  }
  return objects.length;
}
