// Builders for store unit tests: objects and StoreActions as the reader decodes them (through the wire).
import type { Message, Type } from 'protobufjs/light';
import type { ObjectKind } from '../../src/core/model/objects';
import { ProtoTypes, root } from '../../src/core/proto/schema';

const TYPE_NAMES: Record<ObjectKind, string> = {
  node: 'Node', service: 'Service', task: 'Task', network: 'Network', cluster: 'Cluster',
  secret: 'Secret', resource: 'Resource', extension: 'Extension', config: 'Config', volume: 'Volume',
};

const typeOf = (kind: ObjectKind): Type => root.lookupType(`docker.swarmkit.v1.${TYPE_NAMES[kind]}`);

function roundTrip(type: Type, object: Record<string, unknown>): Message {
  return type.decode(type.encode(type.fromObject(object)).finish());
}

export function obj(kind: ObjectKind, object: Record<string, unknown>): Message {
  return roundTrip(typeOf(kind), object);
}

/** An object named the usual way for its kind (spec.annotations, or annotations for resources/extensions). */
export function named(kind: ObjectKind, id: string, name: string, extra: Record<string, unknown> = {}): Message {
  const annotations = { name };
  if (kind === 'resource' || kind === 'extension') return obj(kind, { id, annotations, ...extra });
  if (kind === 'node') return obj(kind, { id, description: { hostname: name }, ...extra });
  return obj(kind, { id, spec: { annotations }, ...extra });
}

export const CREATE = 1;
export const UPDATE = 2;
export const REMOVE = 3;

export function action(kind: ObjectKind, verb: number, object: Message): Message {
  return roundTrip(ProtoTypes.StoreAction, { action: verb, [kind]: typeOf(kind).toObject(object, { longs: String }) });
}

export function storeSnapshot(objects: Partial<Record<string, Message[]>>): Message {
  const plain: Record<string, unknown> = {};
  for (const [field, list] of Object.entries(objects)) plain[field] = (list ?? []).map((m) => (m.$type as Type).toObject(m, { longs: String }));
  return roundTrip(ProtoTypes.StoreSnapshot, plain);
}

export const ids = (objects: Message[]): string[] => objects.map((o) => (o as unknown as { id: string }).id);
