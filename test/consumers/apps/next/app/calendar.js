'use client';

// A client component, written from the README only: start calsync (in its Worker) in the
// browser and hand it to whoever drives the page (the consumer test) as `window.calendars`.
import { useEffect, useState } from 'react';

export default function Calendar() {
  const [status, setStatus] = useState('starting');
  useEffect(() => {
    let closed = false;
    let instance;
    import('@calsync/core')
      .then(({ createCalendarSync, CalsyncError }) =>
        createCalendarSync({ dbName: 'next-consumer', autoSync: false }).then((calendars) => {
          instance = calendars;
          if (closed) return calendars.close();
          window.calendars = calendars;
          window.CalsyncError = CalsyncError;
          setStatus('ready');
        }),
      )
      .catch((error) => setStatus(`failed: ${error.code ?? ''} ${error.message}`));
    return () => {
      closed = true;
      void instance?.close();
    };
  }, []);
  return <p id="status">{status}</p>;
}
