// The protobuf schema at run time: the JSON descriptor compiled from proto/ at build time
// (scripts/build-proto.mjs), loaded without any .proto parsing, plus the message types we decode.
import Long from 'long';
import * as protobuf from 'protobufjs/light';
import { installLazyDecoders } from './lazyDecoders';
import schemaJson from './schema.json';

// uint64/int64 must decode exactly (raft ids and request ids exceed 2^53): have protobufjs
// produce Long values instead of lossy numbers. Bundlers defeat its own lookup of `long`.
protobuf.util.Long = Long;
protobuf.configure();

// Keep fields this schema does not know (written by newer engines) as `$unknowns` on the decoded
// message instead of dropping them silently; the text printer ignores them, as the reference does,
// and collectUnknownFields() reports them.
protobuf.Reader.discardUnknown = false;

export const root: protobuf.Root = protobuf.Root.fromJSON(schemaJson as protobuf.INamespace);
root.resolveAll();
installLazyDecoders(root);

const type = (name: string): protobuf.Type => root.lookupType(name);
const swarm = (name: string): protobuf.Type => type(`docker.swarmkit.v1.${name}`);

/** The message types needed to read a manager's raft state, by their .proto names. */
export const ProtoTypes = {
  /** Data of an EntryNormal. */
  InternalRaftRequest: swarm('InternalRaftRequest'),
  StoreAction: swarm('StoreAction'),
  /** WAL metadata record, and the context of a conf change. */
  RaftMember: swarm('RaftMember'),
  /** SwarmKit's snapshot payload (the decrypted raftpb.Snapshot.data). */
  Snapshot: swarm('Snapshot'),
  StoreSnapshot: swarm('StoreSnapshot'),
  ClusterSnapshot: swarm('ClusterSnapshot'),
  /** Envelope of encrypted payloads and of the DEK headers in swarm-node.key. */
  MaybeEncryptedRecord: swarm('MaybeEncryptedRecord'),
  raftpb: {
    Entry: type('raftpb.Entry'),
    ConfChange: type('raftpb.ConfChange'),
    HardState: type('raftpb.HardState'),
    Snapshot: type('raftpb.Snapshot'),
    SnapshotMetadata: type('raftpb.SnapshotMetadata'),
    ConfState: type('raftpb.ConfState'),
  },
  walpb: {
    Record: type('walpb.Record'),
    Snapshot: type('walpb.Snapshot'),
  },
  snappb: {
    snapshot: type('snappb.snapshot'),
  },
} as const;

/** Store object kinds in StoreAction's oneof order, with their message type and StoreSnapshot field. */
export const STORE_OBJECT_TYPES = [
  { kind: 'node', type: swarm('Node'), snapshotField: 'nodes' },
  { kind: 'service', type: swarm('Service'), snapshotField: 'services' },
  { kind: 'task', type: swarm('Task'), snapshotField: 'tasks' },
  { kind: 'network', type: swarm('Network'), snapshotField: 'networks' },
  { kind: 'cluster', type: swarm('Cluster'), snapshotField: 'clusters' },
  { kind: 'secret', type: swarm('Secret'), snapshotField: 'secrets' },
  { kind: 'resource', type: swarm('Resource'), snapshotField: 'resources' },
  { kind: 'extension', type: swarm('Extension'), snapshotField: 'extensions' },
  { kind: 'config', type: swarm('Config'), snapshotField: 'configs' },
  { kind: 'volume', type: swarm('Volume'), snapshotField: 'volumes' },
] as const;

export type StoreObjectKind = (typeof STORE_OBJECT_TYPES)[number]['kind'];
