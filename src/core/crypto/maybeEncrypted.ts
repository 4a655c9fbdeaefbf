// SwarmKit's MaybeEncryptedRecord {algorithm, data, nonce}: the wrapper around every entry's data, the
// snapshot data and the data keys in the node key's PEM headers. A record is tried with every key and
// both algorithms' rules, as a manager mid-rotation has records under both raft-dek and raft-dek-pending.
import { Messages } from '../codec';
import { readShortVarint, varintEnd } from '../proto/varint';
import { fernetOpen } from './fernet';
import { secretboxOpen, type PlainScratch } from './secretbox';

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

/**
 * The record's fields, as views into `bytes`. SwarmKit's canonical encoding (fields 1-3, a one-byte
 * algorithm, lengths in at most 5 bytes) is read by hand: this runs for every entry, and protobufjs' decode cost
 * a third of the time of decrypting a small one. Anything else is decoded by protobufjs.
 */
export function decodeEncryptedRecord(bytes: Uint8Array): EncryptedRecord {
  const record: EncryptedRecord = { algorithm: 0, data: EMPTY, nonce: EMPTY };
  let p = 0;
  const end = bytes.length;
  while (p < end) {
    const tag = bytes[p++];
    if (tag === 0x08 && p < end && bytes[p] < 0x80) {
      record.algorithm = bytes[p++];
      continue;
    }
    if (tag !== 0x12 && tag !== 0x1a) return decodeByProtobufjs(bytes);
    const length = readShortVarint(bytes, p, end, 5);
    if (length < 0) return decodeByProtobufjs(bytes);
    p = varintEnd;
    if (p + length > end) return decodeByProtobufjs(bytes); // it throws the decoder's error
    const value = bytes.subarray(p, p + length);
    if (tag === 0x12) record.data = value;
    else record.nonce = value;
    p += length;
  }
  return record;
}

const EMPTY = new Uint8Array(0);

export function decodeByProtobufjs(bytes: Uint8Array): EncryptedRecord {
  const m = Messages.maybeEncryptedRecord.decode(bytes) as never as { algorithm?: number; data?: Uint8Array; nonce?: Uint8Array };
  return { algorithm: m.algorithm ?? 0, data: m.data ?? new Uint8Array(0), nonce: m.nonce ?? new Uint8Array(0) };
}

export function encodeEncryptedRecord(record: EncryptedRecord): Uint8Array {
  return Messages.maybeEncryptedRecord.encode(Messages.maybeEncryptedRecord.create(record)).finish();
}

/** Decrypts with one key; undefined when the key does not authenticate the record. */
export function openWithKey(record: EncryptedRecord, key: Uint8Array, scratch?: PlainScratch): Uint8Array | undefined {
  switch (record.algorithm) {
    case Algorithm.None:
      return record.data;
    case Algorithm.Secretbox:
      return secretboxOpen(record.data, record.nonce, key, scratch);
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
 * Tries every key (in order) on the record. `keyIndex` is -1 for a plaintext (NONE) record. With
 * `scratch` (see PlainScratch) the plaintext may be a view of it, valid until its next use.
 */
export function openRecord(bytes: Uint8Array, keys: readonly Uint8Array[], scratch?: PlainScratch): OpenResult {
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
    const plain = openWithKey(record, keys[i], scratch);
    if (plain) return { ok: true, plain, keyIndex: i };
  }
  return { ok: false, reason: 'no-key', message: `none of the ${keys.length} data key(s) opens this ${ALGORITHM_NAMES[record.algorithm]} record` };
}
