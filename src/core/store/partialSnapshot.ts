// A SwarmKit Snapshot decoded without the object kinds a caller does not read. A recovery kit reads no
// tasks, and tasks are most of a snapshot (4,760 of the benchmark log's 5,213 objects): their bytes are
// skipped on the wire instead of being decoded into messages that are dropped afterwards.
import { Reader, type Message, type Type } from 'protobufjs';
import { Messages } from '../codec';
import type { ObjectKind } from '../model/objects';
import { STORE_SNAPSHOT_FIELDS } from '../model/objects';

/** The parts of docker.swarmkit.v1.Snapshot a store restore uses. */
export interface SnapshotForStore {
  version: number;
  /** StoreSnapshot's repeated fields by name (nodes, services, ...); a left-out kind has none. */
  store?: Record<string, Message[]>;
}

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
// docker.swarmkit.v1.Snapshot: version = 1, store = 3 (snapshot.proto).
const SNAPSHOT_VERSION = Messages.swarmSnapshot.fields.version.id;
const SNAPSHOT_STORE = Messages.swarmSnapshot.fields.store.id;

/** Decodes `plain` (a decrypted Snapshot) keeping only the kinds not in `without`. Throws on bad wire data. */
export function decodeSnapshotWithout(plain: Uint8Array, without: ReadonlySet<ObjectKind>): SnapshotForStore {
  const skipped = new Set([...without].map((k) => STORE_SNAPSHOT_FIELDS[k]));
  const reader = Reader.create(plain);
  const out: SnapshotForStore = { version: 0 };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id === SNAPSHOT_VERSION && wire === WIRE_VARINT) out.version = reader.int32();
    else if (id === SNAPSHOT_STORE && wire === WIRE_BYTES) readStore(reader, reader.uint32() + reader.pos, (out.store ??= {}), skipped);
    else reader.skipType(wire);
  }
  return out;
}

/** StoreSnapshot's fields up to `end`; repeated fields seen again append (protobuf merge rules). */
function readStore(reader: Reader, end: number, store: Record<string, Message[]>, skipped: ReadonlySet<string>): void {
  if (end > reader.len) throw new RangeError(`index out of range: ${end} + 0 > ${reader.len}`);
  const fields = Messages.storeSnapshot.fieldsById;
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = fields[tag >>> 3];
    if (!field || (tag & 7) !== WIRE_BYTES || skipped.has(field.name) || !field.resolvedType) {
      reader.skipType(tag & 7);
      continue;
    }
    (store[field.name] ??= []).push((field.resolvedType as Type).decode(reader, reader.uint32()));
  }
  if (reader.pos !== end) throw new RangeError(`StoreSnapshot ends at ${reader.pos}, not at ${end}`);
}
