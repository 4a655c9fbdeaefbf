// References from one object to others, for the detail view's links: a task's service and node, the
// secrets, configs, networks and volumes a task or service uses. Found by walking the object's fields,
// so every place SwarmKit keeps such an id is covered without listing message types.

import type { ObjectLink } from '../../shared/protocol';

type Fields = Record<string, unknown>;

const ID_FIELDS: Record<string, string> = {
  service_id: 'service',
  node_id: 'node',
  secret_id: 'secret',
  config_id: 'config',
  network_id: 'network',
  volume_id: 'volume',
};

/** Looks up an object's name by kind and id (from the log and snapshot seen so far). */
export type NameLookup = (kind: string, id: string) => string | undefined;

export function objectLinks(object: unknown, selfId: string, nameOf: NameLookup = () => undefined): ObjectLink[] {
  const found = new Map<string, ObjectLink>();
  const add = (kind: string, id: string) => {
    if (!id || id === selfId || found.has(`${kind}/${id}`)) return;
    const name = nameOf(kind, id);
    found.set(`${kind}/${id}`, { kind, id, label: name ? `${kind} ${name}` : `${kind} ${id}` });
  };
  walk(object, [], add, new Set());
  return [...found.values()];
}

function walk(value: unknown, path: string[], add: (kind: string, id: string) => void, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v) => walk(v, path, add, seen));
    return;
  }
  const fields = value as Fields;
  for (const key of Object.keys(fields)) {
    const v = fields[key];
    if (typeof v === 'string') {
      const kind = ID_FIELDS[key];
      if (kind) add(kind, v);
      // NetworkAttachmentConfig.target names the network (in a service spec's or task spec's networks list).
      else if (key === 'target' && path[path.length - 1] === 'networks') add('network', v);
    } else if (key !== '$type' && key !== '$unknowns') {
      walk(v, [...path, key], add, seen);
    }
  }
}
