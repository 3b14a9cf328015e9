// A Rollup app, written from the README: Rollup does not bundle workers, so the app
// builds its own worker entry (calsync-worker.js, one line) and hands calsync a factory.
import { CalsyncError, createCalendarSync } from '@calsync/core';

const status = document.querySelector('#status');
try {
  window.calendars = await createCalendarSync({
    dbName: 'rollup-consumer',
    autoSync: false,
    worker: () => new Worker(new URL('./calsync-worker.js', import.meta.url), { type: 'module' }),
  });
  window.CalsyncError = CalsyncError;
  status.textContent = 'ready';
} catch (error) {
  status.textContent = `failed: ${error.code ?? ''} ${error.message}`;
}
