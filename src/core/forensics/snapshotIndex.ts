// The objects of a snapshot file by kind and id, decoded once per file (history and the object catalog
// ask for them repeatedly; decrypting a large snapshot for each object would be slow).
import type { Message } from 'protobufjs';
import { OBJECT_KINDS, STORE_SNAPSHOT_FIELDS, objectName, type ObjectKind } from '../model/objects';
import type { SnapshotFile } from '../snap/snapshotFile';
import type { SwarmState } from '../state/swarmState';
import { idOf } from '../store/objectKeys';

export interface SnapshotObjectRef {
  kind: ObjectKind;
  id: string;
  name: string;
  object: Message;
}

export type SnapshotIndex =
  | { ok: true; file: SnapshotFile; objects: Map<string, SnapshotObjectRef> }
  | { ok: false; file: SnapshotFile; message: string };

const cache = new WeakMap<SnapshotFile, SnapshotIndex>();

export function objectKey(kind: string, id: string): string {
  return `${kind}\0${id}`;
}

/** The snapshot's objects keyed by objectKey(kind, id); `ok: false` when it cannot be read. */
export function snapshotIndex(state: SwarmState, file: SnapshotFile): SnapshotIndex {
  let index = cache.get(file);
  if (index) return index;
  const decoded = state.decodeSnapshot(file);
  if (!decoded.ok) {
    index = { ok: false, file, message: decoded.message };
  } else {
    const objects = new Map<string, SnapshotObjectRef>();
    const store = ((decoded.snapshot as unknown as { store?: Record<string, (Message | null)[]> }).store ?? {});
    for (const kind of OBJECT_KINDS) {
      for (const object of store[STORE_SNAPSHOT_FIELDS[kind]] ?? []) {
        if (object) objects.set(objectKey(kind, idOf(object)), { kind, id: idOf(object), name: objectName(kind, object), object });
      }
    }
    index = { ok: true, file, objects };
  }
  // A SnapshotFile belongs to one SwarmState, whose keys are fixed when it opens: the answer cannot change.
  cache.set(file, index);
  return index;
}
