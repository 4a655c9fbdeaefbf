// What the store indexes of each object, as SwarmKit's memdb indexers compute it: the id, the name
// (lower-cased; nodes by hostname, tasks by their derived name) and a resource's kind.
import type { Message } from 'protobufjs';
import { toU64, type Int64 } from '../codec';
import type { ObjectKind } from '../model/objects';
import { goToLower, goUint, utf8Binary } from './goText';

type Obj = Record<string, unknown>;

/** Kinds whose name index is unique (create/update refuse a taken name); nodes and tasks share names. */
export const UNIQUE_NAME_KINDS: ReadonlySet<ObjectKind> = new Set(['service', 'network', 'cluster', 'secret', 'config', 'resource', 'extension', 'volume']);

export function idOf(object: Message): string {
  return str((object as unknown as Obj).id);
}

/**
 * The name the store indexes an object under, before lower-casing; undefined when it is not indexed
 * (a node without a description).
 */
export function indexedName(kind: ObjectKind, object: Message): string | undefined {
  const o = object as unknown as Obj;
  switch (kind) {
    case 'node': {
      const description = o.description as Obj | null | undefined;
      return description == null ? undefined : str(description.hostname);
    }
    case 'task':
      return goTaskName(o);
    case 'resource':
    case 'extension':
      return str(field(o, 'annotations', 'name'));
    default:
      return str(field(o, 'spec', 'annotations', 'name'));
  }
}

/** SwarmKit's naming.Task: the annotations name, else `<service name>.<slot, or node id when 0>.<task id>`. */
export function goTaskName(task: Obj): string {
  const own = str(field(task, 'annotations', 'name'));
  if (own) return own;
  const slot = toU64(task.slot as Int64);
  const middle = slot !== 0n ? goUint(slot) : str(task.node_id);
  return `${str(field(task, 'service_annotations', 'name'))}.${middle}.${str(task.id)}`;
}

/** A resource's kind (the extension it belongs to), not lower-cased: the kind index is exact. */
export function resourceKind(resource: Message): string {
  return str((resource as unknown as Obj).kind);
}

/** An index value as SwarmKit's indexers write it: the string's bytes and a NUL terminator. */
export function terminated(value: string): string {
  return utf8Binary(value) + '\0';
}

/** Key of the id index. */
export function idKey(id: string): string {
  return terminated(id);
}

/** Key of a unique name index, also the exact-lookup key of the name checks: the lower-cased name. */
export function nameKey(name: string): string {
  return terminated(goToLower(name));
}

/** Key in a non-unique index: memdb appends the id key so that each object has its own entry. */
export function sharedKey(value: string, id: string): string {
  return value + idKey(id);
}

function field(o: Obj, ...path: string[]): unknown {
  let cur: unknown = o;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
