// etcd snap files: <term>-<index>.snap holding snappb.snapshot {crc = crc32c(0, data), data = raftpb.Snapshot}.
// Only the SwarmKit payload (raftpb.Snapshot.data) is sealed, as SwarmKit does.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../crypto/crc32c';
import { hex16 } from '../wal/segmentName';
import { encodeRaftSnapshot, encodeSnapFile } from './rawEncode';
import { plainSealer, type DataSealer } from './sealer';

export interface SnapshotInput {
  index: bigint;
  term: bigint;
  /** Raft ids of the voters (raftpb.ConfState.nodes). */
  confStateNodes: readonly bigint[];
  confStateLearners?: readonly bigint[];
  /** The plaintext payload (a marshalled SwarmKit Snapshot). */
  data: Uint8Array;
}

export function snapshotFileName(term: bigint, index: bigint): string {
  return `${hex16(term)}-${hex16(index)}.snap`;
}

/** The bytes of a snap file for `snapshot`, its payload sealed with `sealer`. */
export function encodeSnapshotFile(snapshot: SnapshotInput, sealer: DataSealer = plainSealer): Uint8Array {
  const body = encodeRaftSnapshot({ ...snapshot, data: sealer.seal(snapshot.data) });
  return encodeSnapFile(crc32c(0, body), body);
}

/**
 * Writes the snap file into `dir` (which must exist), named after its term and index unless `name` is
 * given; refuses to replace an existing file.
 */
export function writeSnapshotFile(dir: string, snapshot: SnapshotInput, sealer: DataSealer = plainSealer, name?: string): string {
  const path = join(dir, name ?? snapshotFileName(snapshot.term, snapshot.index));
  const bytes = encodeSnapshotFile(snapshot, sealer);
  const fd = openSync(path, 'wx', 0o600);
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    closeSync(fd);
  }
  return path;
}
