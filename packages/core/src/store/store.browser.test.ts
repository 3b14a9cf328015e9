import { CalsyncStore } from './store.ts';
import { describeStoreContract } from './store-contract.ts';

// Vitest browser mode: `indexedDB` is Chromium's own.
describeStoreContract('IndexedDB (Chromium)', (name) => CalsyncStore.open(indexedDB, name));
