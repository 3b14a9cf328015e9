import { describePagesMigration } from './migrate-pages-suite.ts';

// Vitest browser mode: `indexedDB` is Chromium's own.
describePagesMigration('IndexedDB (Chromium)', indexedDB);
