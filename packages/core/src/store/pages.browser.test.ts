import { describePagesContract } from './pages-contract.ts';

// Vitest browser mode: `indexedDB` is Chromium's own.
describePagesContract('IndexedDB (Chromium)', indexedDB);
