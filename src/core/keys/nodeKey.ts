// The node key file (certificates/swarm-node.key) carries the raft data keys (DEKs) in PEM headers:
// raft-dek, optionally raft-dek-pending (mid-rotation). Each header is base64 of a MaybeEncryptedRecord:
// NONE with the DEK in clear when the swarm is not autolocked, else sealed with the unlock key (KEK).
import { Algorithm, decodeEncryptedRecord, openWithKey, type EncryptedRecord } from '../crypto/maybeEncrypted';
import { LockedError, RaftReadError, WrongUnlockKeyError } from '../errors';
import { readRegularFile } from '../io/fileWindow';
import { parsePem } from './pem';

export const DEK_HEADERS = ['raft-dek', 'raft-dek-pending'] as const;
export type DekHeader = (typeof DEK_HEADERS)[number];

export interface DataKey {
  key: Uint8Array;
  /** Where it came from, for messages: "raft-dek", "raft-dek-pending", "raft-dek of <file>". */
  label: string;
}

export interface NodeKeyInfo {
  file: string;
  pemType: string;
  /** True when the DEK headers are sealed with an unlock key. */
  locked: boolean;
  kekVersion?: string;
  needsRotation: boolean;
  /** The sealed header records, kept so a key can be tried later without re-reading the file. */
  sealed: Map<DekHeader, EncryptedRecord>;
}

export function readNodeKeyFile(file: string): NodeKeyInfo {
  return parseNodeKey(readRegularFile(file).toString('latin1'), file);
}

export function parseNodeKey(text: string, file: string): NodeKeyInfo {
  const pem = parsePem(text);
  if (!pem) throw new RaftReadError('not a PEM file: no "-----BEGIN ...-----" block found', file, 0);
  const sealed = new Map<DekHeader, EncryptedRecord>();
  for (const header of DEK_HEADERS) {
    const value = pem.headers.get(header);
    if (value === undefined) continue;
    try {
      sealed.set(header, decodeEncryptedRecord(Buffer.from(value, 'base64')));
    } catch (e) {
      throw new RaftReadError(`PEM header ${header} is not a valid data-key record (${(e as Error).message})`, file, text.indexOf(header));
    }
  }
  const locked = [...sealed.values()].some((r) => r.algorithm !== Algorithm.None) || pem.type === 'ENCRYPTED PRIVATE KEY';
  return {
    file, pemType: pem.type, locked, sealed,
    kekVersion: pem.headers.get('kek-version'),
    needsRotation: pem.headers.has('raft-dek-needs-rotation'),
  };
}

/**
 * Opens the data keys. Throws LockedError when they are sealed and no KEK is given, WrongUnlockKeyError when
 * the KEK does not authenticate them (the key check), RaftReadError when the file has no raft-dek at all.
 */
export function openDataKeys(info: NodeKeyInfo, kek?: Uint8Array, labelSuffix = ''): DataKey[] {
  if (!info.sealed.has('raft-dek')) {
    throw new RaftReadError('no raft-dek header: this key file holds no raft data keys (not a manager key?)', info.file, 0);
  }
  const keys: DataKey[] = [];
  for (const [header, record] of info.sealed) {
    let key: Uint8Array | undefined;
    if (record.algorithm === Algorithm.None) key = record.data;
    else if (!kek) throw new LockedError(info.file);
    else key = openWithKey(record, kek);
    if (!key) throw new WrongUnlockKeyError(info.file);
    keys.push({ key, label: header + labelSuffix });
  }
  return keys;
}
