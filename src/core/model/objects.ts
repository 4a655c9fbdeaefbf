// What the tree, the table, the JSON output and the store replay need to know of a SwarmKit object:
// its kind, id and human name, read from a decoded StoreAction or snapshot object.
import type { Message } from 'protobufjs';

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
  const kind = OBJECT_KINDS.find((k) => a[k] !== undefined && a[k] !== null);
  if (!kind) return { action, kind: 'unknown', id: '', name: '' };
  const object = a[kind] as Message;
  return { action, kind, id: objectId(object), name: objectName(kind, object), object };
}

export function objectId(object: Message): string {
  return String((object as unknown as Obj).id ?? '');
}

/** The name users know an object by (the reference's name index, before lower-casing). */
export function objectName(kind: ObjectKind, object: Message): string {
  const o = object as unknown as Obj;
  switch (kind) {
    case 'node': {
      // The reference indexes nodes by hostname; a spec name is rare and shown only when there is none.
      return str(path(o, 'description', 'hostname')) || str(path(o, 'spec', 'annotations', 'name'));
    }
    case 'task':
      return taskName(o);
    case 'resource':
    case 'extension':
      return str(path(o, 'annotations', 'name'));
    default:
      return str(path(o, 'spec', 'annotations', 'name'));
  }
}

/** SwarmKit's naming of tasks: <service name>.<slot or node id>.<task id> unless the task is named. */
export function taskName(task: Obj): string {
  const own = str(path(task, 'annotations', 'name'));
  if (own) return own;
  const service = str(path(task, 'service_annotations', 'name'));
  const slot = Number(task.slot ?? 0);
  const middle = slot !== 0 ? String(slot) : str(task.node_id);
  return `${service}.${middle}.${str(task.id)}`;
}

function path(o: Obj, ...keys: string[]): unknown {
  let cur: unknown = o;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
