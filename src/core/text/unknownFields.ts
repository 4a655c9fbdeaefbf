// Fields present on the wire but not in our schema (e.g. written by a newer engine). protobufjs keeps
// them as raw `$unknowns` slices (see proto/schema.ts); the reference never prints them, and neither
// does the text printer, but they are worth a diagnostic.
import { Enum, type Message, type Type } from 'protobufjs/light';

export interface UnknownField {
  /** Where the field sits, e.g. `InternalRaftRequest.action[0].task.spec`. */
  path: string;
  fieldNumber: number;
  wireType: number;
  /** Size of the raw field (tag included), in bytes. */
  size: number;
}

type Fields = Record<string, unknown>;

/** The unknown fields carried directly by one decoded message (not its children). */
export function unknownFieldsOf(msg: Fields, path: string): UnknownField[] {
  const raw = (msg as { $unknowns?: Uint8Array[] }).$unknowns;
  if (!raw || raw.length === 0) return [];
  return raw.map((bytes) => {
    const tag = readVarint(bytes);
    return { path, fieldNumber: Math.floor(tag / 8), wireType: tag % 8, size: bytes.length };
  });
}

/** Every unknown field in a decoded message tree. */
export function collectUnknownFields(message: Message | object, type?: Type): UnknownField[] {
  const messageType = type ?? (message as { $type?: Type }).$type;
  if (!messageType) throw new TypeError('collectUnknownFields: the message carries no type; pass it explicitly');
  const found: UnknownField[] = [];
  walk(message as Fields, messageType, messageType.name, found);
  return found;
}

function walk(msg: Fields, type: Type, path: string, found: UnknownField[]): void {
  found.push(...unknownFieldsOf(msg, path));
  for (const field of type.fieldsArray) {
    field.resolve();
    const child = field.resolvedType;
    const value = msg[field.name];
    if (!child || child instanceof Enum || value == null) continue;
    const childType = child as Type;
    if (field.map) {
      for (const [k, v] of Object.entries(value as Fields)) if (v != null) walk(v as Fields, childType, `${path}.${field.name}[${JSON.stringify(k)}]`, found);
    } else if (field.repeated) {
      (value as Fields[]).forEach((v, i) => v != null && walk(v, childType, `${path}.${field.name}[${i}]`, found));
    } else {
      walk(value as Fields, childType, `${path}.${field.name}`, found);
    }
  }
}

/** A field tag is a varint; tags fit in 32 bits, so plain arithmetic is exact. */
function readVarint(bytes: Uint8Array): number {
  let value = 0;
  for (let i = 0, scale = 1; i < bytes.length && i < 5; i++, scale *= 128) {
    value += (bytes[i] & 0x7f) * scale;
    if ((bytes[i] & 0x80) === 0) break;
  }
  return value;
}
