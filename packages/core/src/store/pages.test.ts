import { IDBFactory } from 'fake-indexeddb';
import { describePagesContract } from './pages-contract.ts';

describePagesContract('fake-indexeddb (Node)', new IDBFactory());
