import { CalsyncStore } from './store.ts';
import { describeStoreContract } from './store-contract.ts';

// The `core` project loads 'fake-indexeddb/auto': `indexedDB` is fake-indexeddb's global factory.
describeStoreContract('fake-indexeddb (Node)', (name) => CalsyncStore.open(indexedDB, name));
