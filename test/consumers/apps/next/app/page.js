import Calendar from './calendar.js';

export default function Page() {
  return <Calendar />;
}
