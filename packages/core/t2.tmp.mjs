import ICAL from 'ical.js';
const ics = (rule, extra='') => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z\r\n${rule}\r\n${extra}END:VEVENT\r\nEND:VCALENDAR\r\n`;
function run(rule, extra, n=10) {
  const c = new ICAL.Component(ICAL.parse(ics(rule, extra)));
  const ev = new ICAL.Event(c.getFirstSubcomponent('vevent'));
  const it = ev.iterator();
  const out = [];
  const t0 = Date.now();
  try {
    for (let i=0;i<n;i++){ const t0 = Date.now(); const x = it.next(); const dt = Date.now()-t0; if(!x){out.push('END');break;} out.push((x.toString?x.toString():x)+ (dt>50?` (${dt}ms)`:'') + ' ' + x.constructor.name); }
  } catch (e) { out.push('THROW '+e.message); }
  console.log(rule, extra.replace(/\r\n/g,' | '), out, Date.now()-t0,'ms');
}
run('RRULE:FREQ=WEEKLY;COUNT=3','');
run('RDATE:20260105T100000Z,20260103T100000Z','');
run('RDATE:20251230T100000Z','');
run('RRULE:FREQ=DAILY;COUNT=3','RDATE:20260102T100000Z\r\n');
run('RRULE:FREQ=DAILY;COUNT=6','EXDATE:20251230T100000Z\r\nEXDATE:20251231T100000Z\r\nEXDATE:20260103T100000Z\r\n');
run('RRULE:FREQ=DAILY;COUNT=3','RDATE;VALUE=PERIOD:20260110T100000Z/PT2H\r\n');
run('RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30','', 2);
