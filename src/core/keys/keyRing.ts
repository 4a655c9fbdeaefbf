// Gathers every data key that may open a record: the node key's raft-dek and raft-dek-pending, then the
// keys of older copies of the node key (backups, or key history), which open entries written before a
// data-key rotation. Problems are reported, not thrown, so the log's plaintext headers are still shown.
import { LockedError, WrongUnlockKeyError, type Fault } from '../errors';
import { openDataKeys, readNodeKeyFile, type DataKey, type NodeKeyInfo } from './nodeKey';
import { parseUnlockKey } from './unlockKey';

export type KeyStatus =
  | { state: 'open'; locked: boolean }
  | { state: 'locked' }
  | { state: 'wrong-key'; message: string }
  | { state: 'invalid-key'; message: string }
  | { state: 'no-key-file'; message: string }
  | { state: 'not-encrypted' };

export interface KeyRing {
  keys: DataKey[];
  status: KeyStatus;
  nodeKey?: NodeKeyInfo;
  faults: Fault[];
}

export interface KeyRingOptions {
  nodeKeyFile: string;
  unlockKey?: string;
  /** Older copies of swarm-node.key. */
  extraKeyFiles?: string[];
}

export function buildKeyRing(options: KeyRingOptions): KeyRing {
  const ring: KeyRing = { keys: [], status: { state: 'locked' }, faults: [] };
  let kek: Uint8Array | undefined;
  if (options.unlockKey) {
    try {
      kek = parseUnlockKey(options.unlockKey);
    } catch (e) {
      ring.status = { state: 'invalid-key', message: (e as Error).message };
      return withExtraKeys(ring, options.extraKeyFiles, undefined);
    }
  }
  try {
    ring.nodeKey = readNodeKeyFile(options.nodeKeyFile);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    ring.status = {
      state: 'no-key-file',
      message: missing
        ? `no node key: ${options.nodeKeyFile} does not exist (a copy of the state directory without its certificates?); entries are listed, but decrypting them needs this manager's swarm-node.key`
        : `cannot read the node key ${options.nodeKeyFile}: ${(e as Error).message}`,
    };
    return withExtraKeys(ring, options.extraKeyFiles, kek);
  }
  try {
    ring.keys.push(...openDataKeys(ring.nodeKey, kek));
    ring.status = { state: 'open', locked: ring.nodeKey.locked };
  } catch (e) {
    if (e instanceof LockedError) ring.status = { state: 'locked' };
    else if (e instanceof WrongUnlockKeyError) ring.status = { state: 'wrong-key', message: e.message };
    else ring.status = { state: 'no-key-file', message: (e as Error).message };
  }
  return withExtraKeys(ring, options.extraKeyFiles, kek);
}

function withExtraKeys(ring: KeyRing, files: string[] | undefined, kek: Uint8Array | undefined): KeyRing {
  for (const file of files ?? []) {
    try {
      const info = readNodeKeyFile(file);
      if (!info.sealed.has('raft-dek')) {
        ring.faults.push({ file, offset: 0, severity: 'warning', message: 'older key file holds no raft data key (written before the swarm had one); skipped' });
        continue;
      }
      for (const k of openDataKeys(info, kek, ` of ${file}`)) {
        if (!ring.keys.some((have) => Buffer.from(have.key).equals(k.key))) ring.keys.push(k);
      }
    } catch (e) {
      const why = e instanceof LockedError || e instanceof WrongUnlockKeyError
        ? 'it is sealed with an unlock key other than the one given'
        : (e as Error).message;
      ring.faults.push({ file, offset: 0, severity: 'warning', message: `older key file not used: ${why}` });
    }
  }
  return ring;
}

