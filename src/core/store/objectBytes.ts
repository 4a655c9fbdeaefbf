// Where each object lies in the wire bytes of an InternalRaftRequest (its StoreActions) and of a Snapshot
// (its StoreSnapshot), so that the store can keep objects as bytes, decoded again when read. A replay
// keeps the newest version of every object: kept as decoded messages, thousands of them, each replaced
// by a later entry, they made most of what later entries decode survive V8's young-generation
// collections (decoding 174,297 entries while keeping each newest object: 4.3-4.6 s of scavenges
// instead of 0.15-0.18 s). dump-object on that log: 12.3-14.0 s and 508 MB before, 7.6-9.7 s and 186 MB.
import { OBJECT_KINDS, STORE_SNAPSHOT_FIELDS, type ObjectKind } from '../model/objects';
import { ProtoTypes } from '../proto/schema';
import { readShortVarint, varintEnd } from '../proto/varint';

/** One action's object: which oneof member it is and its bytes (a view of the request's bytes). */
export interface ActionObjectBytes {
  kind: ObjectKind;
  bytes: Uint8Array;
}

const REQUEST_ACTION_FIELD = ProtoTypes.InternalRaftRequest.fields.action.id;
const SNAPSHOT_STORE_FIELD = ProtoTypes.Snapshot.fields.store.id;
/** StoreSnapshot's repeated fields by number, with the kind each holds. */
const SNAPSHOT_KINDS = kindsByField((kind) => ProtoTypes.StoreSnapshot.fields[STORE_SNAPSHOT_FIELDS[kind]]);
/** StoreAction's oneof `target` members by field number. */
const TARGET_KINDS = kindsByField((kind) => ProtoTypes.StoreAction.fields[kind]);

function kindsByField(fieldOf: (kind: ObjectKind) => { id: number } | undefined): Map<number, ObjectKind> {
  return new Map(OBJECT_KINDS.flatMap((kind) => {
    const field = fieldOf(kind);
    return field ? [[field.id, kind] as [number, ObjectKind]] : [];
  }));
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/**
 * Each action's object in request order: undefined for an action whose target is not exactly one field
 * on the wire (none, or repeated: the decoded message says which one counts). Returns undefined for the
 * whole request when its wire is not plain (groups, a varint or length this reader does not take): the
 * caller then keeps the decoded objects, as it does for an undefined action.
 */
export function actionObjectBytes(request: Uint8Array): (ActionObjectBytes | undefined)[] | undefined {
  const out: (ActionObjectBytes | undefined)[] = [];
  const plain = eachBytesField(request, 0, request.length, (field, start, end) => {
    if (field !== REQUEST_ACTION_FIELD) return true;
    let found: ActionObjectBytes | undefined;
    let targets = 0;
    const actionPlain = eachBytesField(request, start, end, (member, from, to) => {
      const kind = TARGET_KINDS.get(member);
      if (kind === undefined) return true;
      targets++;
      found = { kind, bytes: request.subarray(from, to) };
      return true;
    });
    out.push(targets === 1 ? found : undefined);
    return actionPlain;
  });
  return plain ? out : undefined;
}

/**
 * The objects of a Snapshot's store by kind, in wire order: as protobufjs decodes it, a `store` field
 * seen again is merged into the first (its lists appended). Undefined when the wire is not plain (see
 * actionObjectBytes).
 */
export function snapshotObjectBytes(snapshot: Uint8Array): Partial<Record<ObjectKind, Uint8Array[]>> | undefined {
  const out: Partial<Record<ObjectKind, Uint8Array[]>> = {};
  const plain = eachBytesField(snapshot, 0, snapshot.length, (field, start, end) => {
    if (field !== SNAPSHOT_STORE_FIELD) return true;
    return eachBytesField(snapshot, start, end, (list, from, to) => {
      const kind = SNAPSHOT_KINDS.get(list);
      if (kind !== undefined) (out[kind] ??= []).push(snapshot.subarray(from, to));
      return true;
    });
  });
  return plain ? out : undefined;
}

/**
 * Walks the fields of the message in bytes[start, end): each length-delimited one goes to `visit` (its
 * number and where its bytes lie), the others are skipped. False when the wire is not plain or `visit`
 * says so: a tag or length this reader does not take, field 0, a group, or a field past the end.
 */
function eachBytesField(bytes: Uint8Array, start: number, end: number, visit: (field: number, start: number, end: number) => boolean): boolean {
  let p = start;
  while (p < end) {
    const tag = readShortVarint(bytes, p, end, 5);
    if (tag < 8) return false; // cut off, or field 0 (protobufjs refuses it)
    p = varintEnd;
    const wire = tag & 7;
    if (wire === WIRE_BYTES) {
      const length = readShortVarint(bytes, p, end, 5);
      if (length < 0 || varintEnd + length > end) return false;
      p = varintEnd + length;
      if (!visit(Math.floor(tag / 8), varintEnd, p)) return false;
    } else {
      p = skipField(bytes, p, end, wire);
      if (p < 0) return false;
    }
  }
  return true;
}

/** Where the field whose tag ended at `p` ends; -1 when it cannot be skipped exactly. */
function skipField(bytes: Uint8Array, p: number, end: number, wire: number): number {
  switch (wire) {
    case WIRE_VARINT:
      for (let i = 0; i < 10 && p < end; i++) if (bytes[p++] < 0x80) return p;
      return -1;
    case WIRE_FIXED64:
      return p + 8 <= end ? p + 8 : -1;
    case WIRE_FIXED32:
      return p + 4 <= end ? p + 4 : -1;
    default:
      return -1; // groups: never written by SwarmKit
  }
}
