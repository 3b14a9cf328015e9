import { Workbox } from 'workbox-window';
import type { CalsyncApp } from './app.ts';
import './app.ts';
import { loadConfig } from './config.ts';

/**
 * Registers the Workbox service worker (precached shell → the demo opens offline) and asks
 * before activating an update, then starts the app.
 */
async function main(): Promise<void> {
  const app = document.querySelector('calsync-app') as CalsyncApp;
  if ('serviceWorker' in navigator && import.meta.env.PROD) {
    const wb = new Workbox('/sw.js');
    wb.addEventListener('waiting', () => {
      app.updateReady = () => {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      };
    });
    void wb.register();
  }
  app.config = await loadConfig();
  await app.start();
}

void main();
