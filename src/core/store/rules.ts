// SwarmKit's per-kind store rules (manager/state/store/<kind>.go, 20.10), applied over the generic
// MemoryStore operations:
// - nodes and tasks: no name checks (their name index is not unique);
// - services, networks, clusters, secrets, configs, volumes: a create needs a free name and an update
//   may keep its own name only (case-insensitive);
// - resources: their kind must name a registered extension (no name check, as in 20.10);
// - extensions: a free name that is not a built-in table's; immutable; not removable while
//   resources of that kind exist;
// - a REMOVE removes by the id of the object it carries.
// Restoring a snapshot (RestoreTable) goes around these rules: objects are written as they are.
import type { Message } from 'protobufjs';
import { OBJECT_KINDS, STORE_SNAPSHOT_FIELDS, type ObjectKind } from '../model/objects';
import type { MemoryStore } from './memoryStore';
import { idOf, indexedName, resourceKind, UNIQUE_NAME_KINDS } from './objectKeys';
import { StoreError } from './storeErrors';

export const STORE_ACTION_CREATE = 1;
export const STORE_ACTION_UPDATE = 2;
export const STORE_ACTION_REMOVE = 3;

/** Table names an extension may not take (memdb's schema; `volume` exists in newer SwarmKit). */
const BUILT_IN_TABLES: ReadonlySet<string> = new Set(OBJECT_KINDS);

/** Order in which SwarmKit registers its tables (Go runs the package's init()s file by file). */
const REGISTRATION_ORDER: readonly ObjectKind[] = ['cluster', 'config', 'extension', 'network', 'node', 'resource', 'secret', 'service', 'task', 'volume'];

type Obj = Record<string, unknown>;

/** The kind a StoreAction targets: the oneof member set (last on the wire, as Go keeps it). */
export function actionTarget(action: Message): ObjectKind | undefined {
  const a = action as unknown as Obj;
  const chosen = a.target;
  if (typeof chosen === 'string' && (OBJECT_KINDS as readonly string[]).includes(chosen)) return chosen as ObjectKind;
  return OBJECT_KINDS.find((k) => a[k] != null);
}

/**
 * One StoreAction, as MemoryStore.ApplyStoreActions does it (call inside a transaction). `bytes`: the
 * wire bytes of the action's object, for the store to keep instead of the decoded object.
 */
export function applyStoreAction(store: MemoryStore, action: Message, bytes?: Uint8Array): void {
  const kind = actionTarget(action);
  const object = kind && ((action as unknown as Obj)[kind] as Message | null | undefined);
  if (!kind || !object) throw StoreError.of('unrecognized-action');
  switch ((action as unknown as Obj).action) {
    case STORE_ACTION_CREATE:
      return createObject(store, kind, object, bytes);
    case STORE_ACTION_UPDATE:
      return updateObject(store, kind, object, bytes);
    case STORE_ACTION_REMOVE:
      return removeObject(store, kind, idOf(object));
    default:
      // No table handles an action kind it does not know: the last word is the generic error.
      throw StoreError.of('unrecognized-action');
  }
}

/** Every action of one raft entry, all or nothing; `bytes[i]`: action i's object bytes (see applyStoreAction). */
export function applyStoreActions(store: MemoryStore, actions: readonly Message[], bytes?: readonly (Uint8Array | undefined)[]): void {
  store.transaction(() => {
    actions.forEach((action, i) => applyStoreAction(store, action, bytes?.[i]));
  });
}

export function createObject(store: MemoryStore, kind: ObjectKind, object: Message, bytes?: Uint8Array): void {
  if (kind === 'resource') confirmExtension(store, object);
  if (UNIQUE_NAME_KINDS.has(kind) && kind !== 'resource') {
    const name = indexedName(kind, object) ?? '';
    if (store.lookupNameId(kind, name) !== undefined) throw StoreError.of('name-conflict');
    // Exact and case-sensitive, as SwarmKit checks its schema's table names.
    if (kind === 'extension' && BUILT_IN_TABLES.has(name)) throw StoreError.of('name-conflict');
  }
  store.create(kind, object, bytes);
}

export function updateObject(store: MemoryStore, kind: ObjectKind, object: Message, bytes?: Uint8Array): void {
  if (kind === 'extension') throw StoreError.of('immutable');
  if (kind === 'resource') confirmExtension(store, object);
  else if (UNIQUE_NAME_KINDS.has(kind)) {
    const holder = store.lookupNameId(kind, indexedName(kind, object) ?? '');
    if (holder !== undefined && holder !== idOf(object)) throw StoreError.of('name-conflict');
  }
  store.update(kind, object, bytes);
}

export function removeObject(store: MemoryStore, kind: ObjectKind, id: string): void {
  if (kind === 'extension') {
    const extension = store.get('extension', id);
    if (!extension) throw StoreError.of('not-exist');
    if (store.findResourcesByKind(indexedName('extension', extension) ?? '').length > 0) throw StoreError.of('extension-in-use');
  }
  store.delete(kind, id);
}

/** A resource's kind must be the (case-insensitive) name of an extension. */
function confirmExtension(store: MemoryStore, resource: Message): void {
  const kind = resourceKind(resource);
  if (store.findByName('extension', kind).length === 0) throw StoreError.unregisteredKind(kind);
}

/** One object of a snapshot to restore, with its wire bytes when the store should keep those instead. */
export interface RestoredObject {
  object: Message;
  bytes?: Uint8Array;
}

/**
 * MemoryStore.Restore: each table takes the snapshot's objects as they are (RestoreTable: an id
 * seen again replaces the earlier object, names are not checked) and drops objects the snapshot
 * does not have.
 */
export function restoreStoreSnapshot(store: MemoryStore, storeSnapshot: Message): void {
  const snapshot = storeSnapshot as unknown as Obj;
  restoreStoreObjects(store, (kind) => ((snapshot[STORE_SNAPSHOT_FIELDS[kind]] as Message[] | null | undefined) ?? []).map((object) => ({ object })));
}

/** The same restore from each kind's objects as `objectsOf` lists them, with their bytes where it has them. */
export function restoreStoreObjects(store: MemoryStore, objectsOf: (kind: ObjectKind) => Iterable<RestoredObject>): void {
  store.transaction(() => {
    for (const kind of REGISTRATION_ORDER) {
      const previous = store.list(kind);
      const kept = new Set<string>();
      for (const { object, bytes } of objectsOf(kind)) {
        const id = idOf(object);
        if (store.has(kind, id)) {
          store.update(kind, object, bytes);
          kept.add(id);
        } else {
          store.create(kind, object, bytes);
        }
      }
      for (const old of previous) if (!kept.has(idOf(old))) store.delete(kind, idOf(old));
    }
  });
}
