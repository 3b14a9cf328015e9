import type { IDBPDatabase } from 'idb';
import { wrap } from 'idb';
import { migrate, type UpgradeTransaction } from './migrations.ts';
import type { UpgradeDB } from './schema.ts';

/**
 * Creates database `name` as a release at schema `version` left it (its migrations up to
 * `schema`, which may be lower when that release added no store), filled by `fill`, then
 * closes it: the next `CalsyncStore.open` migrates it from there.
 */
export async function oldDatabase(
  factory: IDBFactory,
  name: string,
  version: number,
  fill: (tx: IDBTransaction) => void,
  schema = version,
): Promise<void> {
  const request = factory.open(name, version);
  request.onupgradeneeded = (event) => {
    const db = wrap(request.result) as unknown as IDBPDatabase<UpgradeDB>;
    const tx = request.transaction as IDBTransaction;
    migrate(db, event.oldVersion, schema, wrap(tx) as unknown as UpgradeTransaction);
    fill(tx);
  };
  await new Promise((resolve, reject) => {
    request.onsuccess = () => {
      request.result.close();
      resolve(undefined);
    };
    request.onerror = () => reject(request.error);
  });
}
