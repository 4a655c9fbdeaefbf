// etcd snap files: %016x-%016x.snap = <term>-<index>, content snappb.snapshot {crc, data} with
// crc = crc32c(0, data); data = raftpb.Snapshot whose own `data` SwarmKit encrypts.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Messages, toU64 } from '../codec';
import { crc32c } from '../crypto/crc32c';
import type { Fault } from '../errors';

export interface SnapshotFile {
  path: string;
  name: string;
  /** From the file name. */
  nameTerm: bigint;
  nameIndex: bigint;
  size: number;
  /** Set when the file was read and its CRC matched. */
  snapshot?: RaftSnapshot;
  fault?: Fault;
}

export interface RaftSnapshot {
  index: bigint;
  term: bigint;
  confStateNodes: bigint[];
  confStateLearners: bigint[];
  /** The (encrypted) SwarmKit snapshot payload. */
  data: Uint8Array;
}

const SNAP_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;

export function isSnapshotName(name: string): boolean {
  return SNAP_NAME.test(basename(name));
}

/** Every .snap file of the directory, oldest first (names sort by term, then index). */
export function listSnapshotFiles(dir: string): SnapshotFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter(isSnapshotName).sort().map((name) => readSnapshotFile(join(dir, name)));
}

export function readSnapshotFile(path: string): SnapshotFile {
  const name = basename(path);
  const m = SNAP_NAME.exec(name);
  const file: SnapshotFile = {
    path, name, size: 0,
    nameTerm: m ? BigInt('0x' + m[1]) : 0n,
    nameIndex: m ? BigInt('0x' + m[2]) : 0n,
  };
  const fail = (offset: number, message: string) => {
    file.fault = { file: path, offset, message, severity: 'error' };
    return file;
  };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path, { flag: 'r' });
  } catch (e) {
    return fail(0, `cannot read snapshot: ${(e as Error).message}`);
  }
  file.size = bytes.length;
  if (bytes.length === 0) return fail(0, 'empty snapshot file (zero bytes); older snapshots are used instead');
  let outer: { crc?: number; data?: Uint8Array };
  try {
    outer = Messages.snapFile.decode(bytes) as never;
  } catch (e) {
    return fail(0, `not a snappb.snapshot (truncated or corrupt: ${(e as Error).message}); older snapshots are used instead`);
  }
  const data = outer.data ?? new Uint8Array(0);
  const computed = crc32c(0, data);
  if (computed !== (outer.crc ?? 0) >>> 0) {
    return fail(0, `snapshot CRC mismatch (file says ${(outer.crc ?? 0) >>> 0}, data gives ${computed}); older snapshots are used instead`);
  }
  try {
    const s = Messages.raftSnapshot.decode(data) as never as RawSnapshot;
    const meta = s.metadata ?? {};
    file.snapshot = {
      index: toU64(meta.index), term: toU64(meta.term),
      confStateNodes: (meta.conf_state?.nodes ?? []).map(toU64),
      confStateLearners: (meta.conf_state?.learners ?? []).map(toU64),
      data: s.data ?? new Uint8Array(0),
    };
  } catch (e) {
    return fail(0, `snapshot body is not a raftpb.Snapshot (${(e as Error).message})`);
  }
  return file;
}

interface RawSnapshot {
  data?: Uint8Array;
  metadata?: { index?: never; term?: never; conf_state?: { nodes?: never[]; learners?: never[] } };
}

/** The snapshot the reference would load: the newest one that reads and passes its CRC. */
export function newestValidSnapshot(files: SnapshotFile[]): SnapshotFile | undefined {
  for (let i = files.length - 1; i >= 0; i--) if (files[i].snapshot) return files[i];
  return undefined;
}
