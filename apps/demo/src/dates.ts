/** Local-time helpers for the views (the SDK speaks UTC ISO strings and all-day dates). */

/** Monday 00:00 local time of the week containing `date`. */
export function startOfWeek(date: Date): Date {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const offset = (d.getDay() + 6) % 7;
  d.setDate(d.getDate() - offset);
  return d;
}

/** `date` plus `days` local calendar days (same wall time). */
export function addDays(date: Date, days: number): Date {
  const d = new Date(date);
  d.setDate(d.getDate() + days);
  return d;
}

/** `YYYY-MM-DD` of a local date. */
export function localDateKey(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Local days an occurrence touches (all-day end is exclusive). */
export function daysOf(start: string, end: string, allDay: boolean): string[] {
  if (allDay) {
    const days: string[] = [];
    const from = new Date(`${start}T00:00:00`);
    const to = new Date(`${end}T00:00:00`);
    for (let d = from; d < to || days.length === 0; d = addDays(d, 1)) {
      days.push(localDateKey(d));
      if (days.length > 366) break;
    }
    return days;
  }
  const s = new Date(start);
  const e = new Date(new Date(end).getTime() - 1);
  const days: string[] = [];
  for (let d = new Date(s.getFullYear(), s.getMonth(), s.getDate()); d <= e || days.length === 0; d = addDays(d, 1)) {
    days.push(localDateKey(d));
    if (days.length > 366) break;
  }
  return days;
}

/** Local `HH:MM` of an ISO instant, in the user's locale. */
export function timeLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Short weekday, day and month of a `YYYY-MM-DD` key, in the user's locale. */
export function dayLabel(key: string): string {
  return new Date(`${key}T00:00:00`).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
}
