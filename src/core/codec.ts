// The protobuf message types the reader uses, looked up once from the compiled schema (proto/ -> JSON at
// build time), plus exact conversions of protobufjs' 64-bit values.
import type Long from 'long';
import type { Type } from 'protobufjs';
import { root } from './proto/schema';

const lookup = (name: string): Type => root.lookupType(name);

export const Messages = {
  walRecord: lookup('walpb.Record'),
  walSnapshot: lookup('walpb.Snapshot'),
  snapFile: lookup('snappb.snapshot'),
  raftEntry: lookup('raftpb.Entry'),
  raftHardState: lookup('raftpb.HardState'),
  raftSnapshot: lookup('raftpb.Snapshot'),
  raftConfChange: lookup('raftpb.ConfChange'),
  raftMember: lookup('docker.swarmkit.v1.RaftMember'),
  internalRaftRequest: lookup('docker.swarmkit.v1.InternalRaftRequest'),
  swarmSnapshot: lookup('docker.swarmkit.v1.Snapshot'),
  storeSnapshot: lookup('docker.swarmkit.v1.StoreSnapshot'),
  maybeEncryptedRecord: lookup('docker.swarmkit.v1.MaybeEncryptedRecord'),
};

export type Int64 = Long | number | null | undefined;

/** An exact unsigned 64-bit value from protobufjs (Long, or number for small values). */
export function toU64(v: Int64): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'number') return BigInt(v);
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

/** An exact signed 64-bit value from protobufjs. */
export function toI64(v: Int64): bigint {
  const u = toU64(v);
  return u >= 1n << 63n ? u - (1n << 64n) : u;
}
