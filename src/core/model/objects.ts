// What the tree, the table, the JSON output and the store replay need to know of a SwarmKit object:
// its kind, id and human name, read from a decoded StoreAction or snapshot object.
import type { Message } from 'protobufjs';
import { idOf, indexedName } from '../store/objectKeys';

/** Object kinds in StoreAction's oneof order, with the StoreSnapshot field that holds each. */
export const OBJECT_KINDS = ['node', 'service', 'task', 'network', 'cluster', 'secret', 'resource', 'extension', 'config', 'volume'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export const STORE_SNAPSHOT_FIELDS: Record<ObjectKind, string> = {
  node: 'nodes', service: 'services', task: 'tasks', network: 'networks', cluster: 'clusters',
  secret: 'secrets', resource: 'resources', extension: 'extensions', config: 'configs', volume: 'volumes',
};

export const ACTION_NAMES = ['UNKNOWN', 'CREATE', 'UPDATE', 'REMOVE'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export interface ActionSummary {
  action: ActionName;
  kind: ObjectKind | 'unknown';
  id: string;
  name: string;
  object?: Message;
}

type Obj = Record<string, unknown>;

export function summarizeAction(storeAction: Message): ActionSummary {
  const a = storeAction as unknown as Obj;
  const actionNumber = typeof a.action === 'number' ? a.action : 0;
  const action = ACTION_NAMES[actionNumber] ?? 'UNKNOWN';
  // protobufjs names the member of the `target` oneof that is set (the last one on the wire, as Go).
  const kind = OBJECT_KINDS.find((k) => k === a.target);
  if (!kind) return { action, kind: 'unknown', id: '', name: '' };
  const object = a[kind] as Message;
  return { action, kind, id: idOf(object), name: objectName(kind, object), object };
}

export function objectId(object: Message): string {
  return idOf(object);
}

/** The name users know an object by: the store's name index before lower-casing (nodes: hostname). */
export function objectName(kind: ObjectKind, object: Message): string {
  const indexed = indexedName(kind, object);
  if (indexed) return indexed;
  // A node without a description is not indexed; its spec name (rarely set) is still worth showing.
  const spec = (object as unknown as { spec?: { annotations?: { name?: string } } }).spec;
  return spec?.annotations?.name ?? '';
}
