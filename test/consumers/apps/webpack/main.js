// A minimal app, written from the README only: start calsync (in its Worker), then hand it
// to whoever drives the page (the consumer test) as `window.calendars`.
import { CalsyncError, createCalendarSync } from '@calsync/core';

const status = document.querySelector('#status');
try {
  window.calendars = await createCalendarSync({ dbName: 'webpack-consumer', autoSync: false });
  window.CalsyncError = CalsyncError;
  status.textContent = 'ready';
} catch (error) {
  status.textContent = `failed: ${error.code ?? ''} ${error.message}`;
}
