// etcd snap files: %016x-%016x.snap = <term>-<index>, content snappb.snapshot {crc, data} with
// crc = crc32c(0, data); data = raftpb.Snapshot whose own `data` SwarmKit encrypts.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Messages, toU64 } from '../codec';
import { crc32c } from '../crypto/crc32c';
import { RaftReadError, type Fault } from '../errors';
import { readRegularFile } from '../io/fileWindow';
import { CONTENT_HINT_BYTES, describeContent, NOT_SWARM } from '../io/foreign';

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
  return listSnapshotNames(dir).map((name) => readSnapshotFile(join(dir, name)));
}

/** The snapshot file names in `dir`, oldest first (none when it cannot be listed). */
export function listSnapshotNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isSnapshotName).sort();
  } catch {
    return [];
  }
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
    bytes = readRegularFile(path);
  } catch (e) {
    return fail(0, `cannot read snapshot: ${reason(e, path)}`);
  }
  file.size = bytes.length;
  if (bytes.length === 0) return fail(0, 'empty snapshot file (zero bytes); older snapshots are used instead');
  const header = checkSnapHeader(bytes, bytes.length);
  if (!header.ok) {
    const why = header.foreign ? `${NOT_SWARM}: ${header.message}; ${describeContent(bytes.subarray(0, CONTENT_HINT_BYTES))}` : header.message;
    return fail(header.offset, `${why}; older snapshots are used instead`);
  }
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

export type SnapHeaderCheck = { ok: true } | { ok: false; foreign: boolean; offset: number; message: string };

/** Bytes `checkSnapHeader` needs at most: two tags and two 10-byte varints. */
export const SNAP_HEADER_BYTES = 22;

/**
 * Checks the start of a snappb.snapshot as etcd writes it (field 1 crc, then field 2 data with its length)
 * against the file size, from the first bytes only. `foreign`: the file is not a snap file at all.
 */
export function checkSnapHeader(head: Uint8Array, fileSize: number): SnapHeaderCheck {
  const bad = (foreign: boolean, offset: number, message: string): SnapHeaderCheck => ({ ok: false, foreign, offset, message });
  if (head[0] !== 0x08) return bad(true, 0, 'an etcd snapshot file starts with its crc field (byte 0x08)');
  const crc = readVarint(head, 1);
  if (crc === 'long') return bad(true, 1, 'the crc field is not a valid varint');
  if (crc === 'short') return bad(false, 1, `truncated: the file ends inside the crc field (${fileSize} bytes)`);
  if (crc.end >= fileSize) return bad(false, crc.end, `truncated: the file ends after the crc field, before the snapshot data (${fileSize} bytes)`);
  if (head[crc.end] !== 0x12) return bad(true, crc.end, 'the crc field is not followed by the data field (byte 0x12)');
  const length = readVarint(head, crc.end + 1);
  if (length === 'long') return bad(false, crc.end + 1, "corrupt: the data field's length is not a valid varint");
  if (length === 'short') return bad(false, crc.end + 1, `truncated: the file ends inside the data field's length (${fileSize} bytes)`);
  if (length.end + length.value > fileSize) {
    return bad(false, crc.end, `truncated: the data field claims ${length.value} bytes, but only ${fileSize - length.end} follow`);
  }
  return { ok: true };
}

/** A protobuf varint at `at` as a (possibly rounded) number; 'short' when the bytes end first, 'long' past 10 bytes. */
function readVarint(bytes: Uint8Array, at: number): { value: number; end: number } | 'short' | 'long' {
  let value = 0;
  for (let i = 0; i < 10; i++) {
    if (at + i >= bytes.length) return 'short';
    const b = bytes[at + i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) return { value, end: at + i + 1 };
  }
  return 'long';
}

/** An error's message without the "file:offset: " a RaftReadError starts with (the fault carries the place). */
function reason(e: unknown, path: string): string {
  const message = (e as Error).message;
  return e instanceof RaftReadError && message.startsWith(`${path}:0: `) ? message.slice(path.length + 4) : message;
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
