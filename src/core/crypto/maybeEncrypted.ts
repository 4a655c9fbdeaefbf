// SwarmKit's MaybeEncryptedRecord {algorithm, data, nonce}: the wrapper around every entry's data, the
// snapshot data and the data keys in the node key's PEM headers. A record is tried with every key and
// both algorithms' rules, as a manager mid-rotation has records under both raft-dek and raft-dek-pending.
import { Messages } from '../codec';
import { fernetOpen } from './fernet';
import { secretboxOpen } from './secretbox';

export enum Algorithm {
  None = 0,
  Secretbox = 1,
  Fernet = 2,
}

export const ALGORITHM_NAMES: Record<number, string> = {
  [Algorithm.None]: 'NONE',
  [Algorithm.Secretbox]: 'SECRETBOX_SALSA20_POLY1305',
  [Algorithm.Fernet]: 'FERNET_AES_128_CBC',
};

export interface EncryptedRecord {
  algorithm: number;
  data: Uint8Array;
  nonce: Uint8Array;
}

export function decodeEncryptedRecord(bytes: Uint8Array): EncryptedRecord {
  const m = Messages.maybeEncryptedRecord.decode(bytes) as never as { algorithm?: number; data?: Uint8Array; nonce?: Uint8Array };
  return { algorithm: m.algorithm ?? 0, data: m.data ?? new Uint8Array(0), nonce: m.nonce ?? new Uint8Array(0) };
}

export function encodeEncryptedRecord(record: EncryptedRecord): Uint8Array {
  return Messages.maybeEncryptedRecord.encode(Messages.maybeEncryptedRecord.create(record)).finish();
}

/** Decrypts with one key; undefined when the key does not authenticate the record. */
export function openWithKey(record: EncryptedRecord, key: Uint8Array): Uint8Array | undefined {
  switch (record.algorithm) {
    case Algorithm.None:
      return record.data;
    case Algorithm.Secretbox:
      return secretboxOpen(record.data, record.nonce, key);
    case Algorithm.Fernet:
      return fernetOpen(record.data, key);
    default:
      return undefined;
  }
}

export type OpenResult =
  | { ok: true; plain: Uint8Array; keyIndex: number }
  | { ok: false; reason: 'no-key' | 'unknown-algorithm' | 'bad-record'; message: string };

/**
 * Tries every key (in order) on the record. `keyIndex` is -1 for a plaintext (NONE) record.
 */
export function openRecord(bytes: Uint8Array, keys: readonly Uint8Array[]): OpenResult {
  let record: EncryptedRecord;
  try {
    record = decodeEncryptedRecord(bytes);
  } catch (e) {
    return { ok: false, reason: 'bad-record', message: `not a MaybeEncryptedRecord (${(e as Error).message})` };
  }
  if (record.algorithm === Algorithm.None) return { ok: true, plain: record.data, keyIndex: -1 };
  if (!(record.algorithm in ALGORITHM_NAMES)) {
    return { ok: false, reason: 'unknown-algorithm', message: `unknown encryption algorithm ${record.algorithm}` };
  }
  for (let i = 0; i < keys.length; i++) {
    const plain = openWithKey(record, keys[i]);
    if (plain) return { ok: true, plain, keyIndex: i };
  }
  return { ok: false, reason: 'no-key', message: `none of the ${keys.length} data key(s) opens this ${ALGORITHM_NAMES[record.algorithm]} record` };
}
