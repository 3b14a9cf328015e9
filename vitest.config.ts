import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-dev-shm-usage'],
};
const chromium = playwright({ launchOptions });
/** Chromium whose pages run in `timezoneId` (Playwright's context option). */
const chromiumIn = (timezoneId: string) => playwright({ launchOptions, contextOptions: { timezoneId } });

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    projects: [
      {
        resolve: { conditions: ['source'] },
        test: {
          name: 'core',
          setupFiles: ['fake-indexeddb/auto'],
          include: ['packages/core/src/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts'],
        },
      },
      {
        // The same suites against real IndexedDB: Debian's Chromium (Playwright cannot download browsers here).
        resolve: { conditions: ['source'] },
        test: {
          name: 'browser',
          include: ['packages/core/src/**/*.browser.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
      {
        // The adapter packages (@calsync/react, @calsync/fullcalendar, @calsync/lit) in Node.
        resolve: { conditions: ['source'] },
        ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
        test: {
          name: 'adapters',
          setupFiles: ['fake-indexeddb/auto'],
          include: ['packages/{react,fullcalendar,lit}/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.browser.test.{ts,tsx}'],
        },
      },
      adaptersBrowser('adapters-browser', 'UTC'),
      // Again in a zone with DST and a day boundary apart from UTC: the page's 'local' zone matters.
      adaptersBrowser('adapters-browser-ny', 'America/New_York'),
      {
        test: { name: 'demo', include: ['apps/demo/src/**/*.test.ts'] },
      },
      {
        test: { name: 'proxy', include: ['apps/proxy/src/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        // Apps that install the packed packages (built dist/, not the workspace sources).
        test: {
          name: 'consumers',
          include: ['test/consumers/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        // The workspace sources, not a possibly stale dist/: for tests in Node, Vite takes the
        // `source` condition from ssr.resolve (resolve.conditions alone is the client's).
        resolve: { conditions: ['source'] },
        ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
        test: {
          name: 'integration',
          setupFiles: ['fake-indexeddb/auto'],
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

/** The adapters rendering real UIs (React DOM, FullCalendar, Lit) in Chromium, in one page zone. */
function adaptersBrowser(name: string, timezoneId: string) {
  return {
    resolve: { conditions: ['source'] },
    // Pre-bundled up front: discovered mid-run, Vite would reload the test page.
    optimizeDeps: {
      include: [
        '@calsync/lit > lit',
        '@calsync/react > react',
        '@calsync/react > react-dom/client',
        '@calsync/react > @testing-library/react',
        '@calsync/fullcalendar > @fullcalendar/core',
        '@calsync/fullcalendar > @fullcalendar/daygrid',
        '@calsync/fullcalendar > @fullcalendar/timegrid',
        '@calsync/fullcalendar > @fullcalendar/list',
        '@calsync/fullcalendar > @fullcalendar/interaction',
      ],
    },
    test: {
      name,
      include: ['packages/{react,fullcalendar,lit}/src/**/*.browser.test.{ts,tsx}'],
      // Tests check they really run in this zone (inject('pageZone')).
      provide: { pageZone: timezoneId },
      browser: {
        enabled: true,
        headless: true,
        provider: chromiumIn(timezoneId),
        instances: [{ browser: 'chromium' as const }],
        screenshotFailures: false,
      },
    },
  };
}
