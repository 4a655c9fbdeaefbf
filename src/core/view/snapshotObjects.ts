// The objects of a decoded SwarmKit snapshot's store, in StoreSnapshot field order then as stored, with
// the same kind/id/name the WAL actions use.
import type { Message } from 'protobufjs';
import { OBJECT_KINDS, STORE_SNAPSHOT_FIELDS, objectId, objectName, type ObjectKind } from '../model/objects';
import { hexId } from '../report/names';
import { toU64 } from '../codec';

export interface SnapshotObject {
  /** Position in the list below (stable for one snapshot). */
  position: number;
  kind: ObjectKind;
  id: string;
  name: string;
  object: Message;
}

export interface SnapshotMembership {
  members: { raftId: string; nodeId: string; addr: string }[];
  removed: string[];
}

type Fields = Record<string, unknown>;

export function snapshotObjects(snapshot: Message): SnapshotObject[] {
  const store = ((snapshot as unknown as Fields).store ?? {}) as Fields;
  const out: SnapshotObject[] = [];
  for (const kind of OBJECT_KINDS) {
    for (const object of (store[STORE_SNAPSHOT_FIELDS[kind]] ?? []) as (Message | null)[]) {
      if (!object) continue;
      out.push({ position: out.length, kind, id: objectId(object), name: objectName(kind, object), object });
    }
  }
  return out;
}

export function snapshotMembership(snapshot: Message): SnapshotMembership {
  const m = ((snapshot as unknown as Fields).membership ?? {}) as { members?: Fields[]; removed?: never[] };
  return {
    members: (m.members ?? []).map((x) => ({ raftId: hexId(toU64(x.raft_id as never)), nodeId: String(x.node_id ?? ''), addr: String(x.addr ?? '') })),
    removed: (m.removed ?? []).map((r) => hexId(toU64(r))),
  };
}
