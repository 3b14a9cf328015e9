// The React example of packages/react/README.md, with createElement instead of JSX: the
// week's events (useEvents) and a sync status line (useSyncStatus), live. Like the other
// apps it hands calsync to whoever drives the page (the consumer test) as `window.calendars`.
import { CalsyncError, createCalendarSync } from '@calsync/core';
import { useEvents, useSyncStatus } from '@calsync/react';
import { createElement as h, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

const starting = createCalendarSync({ dbName: 'react-consumer', autoSync: false });

function startOfToday() {
  const day = new Date();
  day.setHours(0, 0, 0, 0);
  return day;
}

function Week({ calendars }) {
  const start = startOfToday();
  // A new object on every render is fine: the query is compared by value.
  const { occurrences, loading, error } = useEvents(calendars, {
    start,
    end: new Date(start.getTime() + 7 * 86_400_000),
  });
  if (error) return h('p', { id: 'events-error' }, `Could not show the week (${error.code})`);
  if (loading) return h('p', { id: 'events-loading' }, 'Loading…');
  return h(
    'ul',
    { id: 'events' },
    occurrences.map((o) => h('li', { key: o.occurrenceId }, o.pending ? `${o.summary} (not synced yet)` : o.summary)),
  );
}

function SyncLine({ calendars }) {
  const status = useSyncStatus(calendars);
  if (status === undefined) return h('p', { id: 'sync' }, '…');
  return h('p', { id: 'sync' }, `${status.online ? 'Online' : 'Offline'} · ${status.pendingCount} pending`);
}

function App() {
  const [calendars, setCalendars] = useState();
  const [failure, setFailure] = useState();
  useEffect(() => {
    starting.then(setCalendars, setFailure);
  }, []);
  if (failure) return h('p', null, `calsync did not start: ${failure.code}`);
  return h('main', null, h(SyncLine, { calendars }), h(Week, { calendars }));
}

createRoot(document.querySelector('#app')).render(h(StrictMode, null, h(App)));

const status = document.querySelector('#status');
try {
  window.calendars = await starting;
  window.CalsyncError = CalsyncError;
  status.textContent = 'ready';
} catch (error) {
  status.textContent = `failed: ${error.code ?? ''} ${error.message}`;
}
