import type { IDBPDatabase } from 'idb';
import { toCalsyncError } from '../api/errors.ts';
import type { CredentialRecord } from '../model/records.ts';
import type { CalsyncDB } from './schema.ts';

const KEY_ID = 'credential-key';

/**
 * Returns the database's AES-GCM key, creating it on first use. The key is generated
 * non-extractable: script running in the page can use it through WebCrypto, but cannot
 * read its bytes, so a copy of the IndexedDB files alone does not reveal passwords.
 */
async function credentialKey(db: IDBPDatabase<CalsyncDB>): Promise<CryptoKey> {
  const existing = await db.get('meta', KEY_ID);
  if (existing instanceof CryptoKey) return existing;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  // Another tab may have raced us: `add` fails if so, and we use the winner's key.
  try {
    await db.add('meta', key, KEY_ID);
    return key;
  } catch (error) {
    const winner = await db.get('meta', KEY_ID);
    if (winner instanceof CryptoKey) return winner;
    // Not a race: the write itself failed — typically the storage quota (code `quota`).
    throw toCalsyncError(error);
  }
}

/** Encrypts a password into a credential record for `accountId`. */
export async function encryptPassword(
  db: IDBPDatabase<CalsyncDB>,
  accountId: string,
  password: string,
): Promise<CredentialRecord> {
  const key = await credentialKey(db);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(password));
  return { accountId, iv, ciphertext };
}

/** Decrypts a credential record; throws if the key changed or the record was tampered with. */
export async function decryptPassword(db: IDBPDatabase<CalsyncDB>, record: CredentialRecord): Promise<string> {
  const key = await credentialKey(db);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, key, record.ciphertext);
  return new TextDecoder().decode(plain);
}
