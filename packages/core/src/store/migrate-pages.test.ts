import { IDBFactory } from 'fake-indexeddb';
import { describePagesMigration } from './migrate-pages-suite.ts';

describePagesMigration('fake-indexeddb (Node)', new IDBFactory());
