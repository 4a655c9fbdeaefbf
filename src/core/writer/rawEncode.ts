// Encodings of the etcd records the writer emits, field for field as etcd's gogo-generated code marshals
// them: proto2 non-nullable scalars are always written (even zero), nullable bytes only when present.
// protobufjs writes exactly the fields set on the message, so every such field is set explicitly.
import Long from 'long';
import { Messages } from '../codec';

export const EMPTY_BYTES = new Uint8Array(0);

/** An exact protobufjs uint64 from a bigint. */
export function u64(value: bigint): Long {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`not a uint64: ${value}`);
  return Long.fromString(value.toString(), true);
}

export function encodeRecord(type: number, crc: number, data?: Uint8Array): Uint8Array {
  const fields: Record<string, unknown> = { type, crc };
  if (data !== undefined) fields.data = data;
  return Messages.walRecord.encode(Messages.walRecord.create(fields)).finish();
}

export interface EntryFields {
  index: bigint;
  term: bigint;
  /** 0 = EntryNormal, 1 = EntryConfChange. */
  type: number;
  /** Stored bytes; undefined = no Data field (raft's empty entries). */
  data?: Uint8Array;
}

export function encodeEntry(e: EntryFields): Uint8Array {
  const fields: Record<string, unknown> = { Type: e.type, Term: u64(e.term), Index: u64(e.index) };
  if (e.data !== undefined) fields.Data = e.data;
  return Messages.raftEntry.encode(Messages.raftEntry.create(fields)).finish();
}

export interface HardStateFields {
  term: bigint;
  vote: bigint;
  commit: bigint;
}

export function isEmptyHardState(h: HardStateFields): boolean {
  return h.term === 0n && h.vote === 0n && h.commit === 0n;
}

export function encodeHardState(h: HardStateFields): Uint8Array {
  return Messages.raftHardState.encode(Messages.raftHardState.create({ term: u64(h.term), vote: u64(h.vote), commit: u64(h.commit) })).finish();
}

export function encodeWalSnapshot(index: bigint, term: bigint): Uint8Array {
  return Messages.walSnapshot.encode(Messages.walSnapshot.create({ index: u64(index), term: u64(term) })).finish();
}

export interface RaftSnapshotFields {
  index: bigint;
  term: bigint;
  confStateNodes: readonly bigint[];
  confStateLearners?: readonly bigint[];
  /** The stored (possibly sealed) SwarmKit snapshot payload. */
  data: Uint8Array;
}

export function encodeRaftSnapshot(s: RaftSnapshotFields): Uint8Array {
  const message = Messages.raftSnapshot.create({
    data: s.data,
    metadata: {
      conf_state: { nodes: s.confStateNodes.map(u64), learners: (s.confStateLearners ?? []).map(u64) },
      index: u64(s.index),
      term: u64(s.term),
    },
  });
  return Messages.raftSnapshot.encode(message).finish();
}

export function encodeSnapFile(crc: number, data: Uint8Array): Uint8Array {
  return Messages.snapFile.encode(Messages.snapFile.create({ crc, data })).finish();
}
