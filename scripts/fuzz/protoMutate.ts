// Mutations of protobuf bytes: blind ones (bit flips, cuts, splices, bad tags and lengths) and
// schema-aware ones that decode the message, set one field to an edge value and encode it again, so
// the decoders' callers (text format, JSON, store rules, views) see well-formed but hostile messages.
import Long from 'long';
import { Enum, type Field, type Message, type Type } from 'protobufjs';
import type { Rng } from './prng';

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x12];

export function varint(n: bigint): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}

/** Protobuf fragments that parsers get wrong: lengths past the end, groups, reserved wire types. */
function hostileFragment(rng: Rng): Buffer {
  const field = BigInt(rng.pick([1, 2, 3, 4, 5, 15, 16, 536870911]));
  switch (rng.int(8)) {
    case 0: return Buffer.concat([varint((field << 3n) | 2n), varint(rng.u64())]); // length way past the end
    case 1: return Buffer.concat([varint((field << 3n) | 3n), varint(1n)]); // group start, never ended
    case 2: return Buffer.concat([varint((field << 3n) | 4n)]); // group end with no start
    case 3: return Buffer.concat([varint((field << 3n) | BigInt(rng.pick([6, 7])))]); // reserved wire types
    case 4: return Buffer.concat([varint(field << 3n), Buffer.alloc(11, 0xff)]); // an 11-byte varint
    case 5: return Buffer.concat([varint((field << 3n) | 1n), rng.bytes(rng.int(8))]); // cut fixed64
    case 6: return Buffer.from([0x00]); // field number 0
    default: return Buffer.concat([varint((field << 3n) | 2n), varint(BigInt(rng.size(4096))), rng.bytes(rng.size(64))]);
  }
}

/** A blind mutation of `bytes`; `donor` (another valid message) is used for splices. */
export function mutateBytes(rng: Rng, bytes: Buffer, donor?: Buffer): { bytes: Buffer; note: string } {
  const b = Buffer.from(bytes);
  const at = rng.int(b.length + 1);
  switch (rng.int(10)) {
    case 0: {
      const n = rng.range(1, 8);
      for (let i = 0; i < n && b.length; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      return { bytes: b, note: `flipped ${n} bit(s)` };
    }
    case 1:
      if (b.length) b[at % b.length] = rng.pick(INTERESTING_BYTES);
      return { bytes: b, note: `set byte ${at % Math.max(1, b.length)}` };
    case 2: {
      const ins = rng.bytes(rng.size(256));
      return { bytes: Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]), note: `inserted ${ins.length} random bytes at ${at}` };
    }
    case 3: {
      const n = rng.size(b.length - at);
      return { bytes: Buffer.concat([b.subarray(0, at), b.subarray(at + n)]), note: `deleted ${n} bytes at ${at}` };
    }
    case 4: {
      const n = rng.size(b.length - at);
      const copies = rng.chance(0.2) ? rng.range(2, 200) : 1;
      const chunk = b.subarray(at, at + n);
      return { bytes: Buffer.concat([b.subarray(0, at + n), ...Array(copies).fill(chunk), b.subarray(at + n)]), note: `repeated ${n} bytes at ${at} x${copies}` };
    }
    case 5:
      return { bytes: b.subarray(0, at), note: `truncated to ${at} bytes` };
    case 6: {
      const frag = hostileFragment(rng);
      return { bytes: Buffer.concat([b.subarray(0, at), frag, b.subarray(at)]), note: `inserted hostile fragment ${frag.subarray(0, 16).toString('hex')} at ${at}` };
    }
    case 7:
      if (donor && donor.length) {
        const from = rng.int(donor.length);
        const piece = donor.subarray(from, from + rng.size(donor.length - from));
        return { bytes: Buffer.concat([b.subarray(0, at), piece, b.subarray(at)]), note: `spliced ${piece.length} donor bytes at ${at}` };
      }
      return { bytes: rng.bytes(b.length), note: 'replaced with random bytes' };
    case 8: {
      const n = rng.size(b.length - at);
      rng.bytes(n).copy(b, at);
      return { bytes: b, note: `overwrote ${n} bytes at ${at}` };
    }
    default:
      return { bytes: rng.bytes(rng.size(512)), note: 'replaced with random bytes' };
  }
}

const WEIRD_STRINGS = ['', ' ', 'x'.repeat(70000), '\u0000', '\ud800', '\u{1f600}', '../../etc/passwd', '<script>alert(1)</script>', 'a\nb\r\nc', '%s%d', 'SECRET'];

function scalarValue(rng: Rng, field: Field): unknown {
  switch (field.type) {
    case 'string': return rng.pick(WEIRD_STRINGS);
    case 'bytes': return rng.chance(0.3) ? Buffer.alloc(0) : rng.bytes(rng.size(70000));
    case 'bool': return rng.chance(0.5);
    case 'double':
    case 'float': return rng.pick([0, -0, NaN, Infinity, -Infinity, 1e308, -1e-308, 3.4e38, 0.1]);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64': {
      const v = BigInt.asUintN(64, rng.u64());
      return Long.fromString(v.toString(), field.type.startsWith('u') || field.type === 'fixed64');
    }
    default: return rng.pick([0, 1, -1, 0x7fffffff, -0x80000000, 0xffffffff, 1000, rng.u32() | 0]);
  }
}

interface Slot {
  owner: Record<string, unknown>;
  field: Field;
  type: Type;
}

/** Every (message, field) pair of a decoded tree, set or not: the places one mutation can touch. */
function slots(message: Record<string, unknown>, type: Type, depth: number, out: Slot[]): void {
  if (depth > 12 || out.length > 4000) return;
  for (const field of type.fieldsArray) {
    field.resolve();
    out.push({ owner: message, field, type });
    const child = field.resolvedType;
    const value = message[field.name];
    if (!child || child instanceof Enum || value == null) continue;
    const childType = child as Type;
    const children = field.map ? Object.values(value as Record<string, unknown>) : field.repeated ? (value as unknown[]) : [];
    if (field.map || field.repeated) for (const v of children) if (v) slots(v as Record<string, unknown>, childType, depth + 1, out);
    if (!field.map && !field.repeated) slots(value as Record<string, unknown>, childType, depth + 1, out);
  }
}

function newValue(rng: Rng, field: Field, existing: unknown): unknown {
  const child = field.resolvedType;
  if (child instanceof Enum) return rng.pick([...Object.values(child.values), -1, 99, 0x7fffffff]);
  if (child) {
    const t = child as Type;
    // An empty message, a copy of the existing one, or one with a random field set.
    if (existing && rng.chance(0.3)) return existing;
    const m = t.create({}) as unknown as Record<string, unknown>;
    if (t.fieldsArray.length && rng.chance(0.7)) {
      const f = rng.pick(t.fieldsArray);
      f.resolve();
      if (!f.resolvedType && !f.repeated && !f.map) m[f.name] = scalarValue(rng, f);
    }
    return m;
  }
  return scalarValue(rng, field);
}

/** Decodes `bytes` as `type`, changes one field to an edge value, encodes again. Undefined if it does not decode. */
export function mutateMessage(rng: Rng, type: Type, bytes: Uint8Array): { bytes: Buffer; note: string } | undefined {
  let message: Message;
  try {
    message = type.decode(bytes);
  } catch {
    return undefined;
  }
  const all: Slot[] = [];
  slots(message as unknown as Record<string, unknown>, type, 0, all);
  if (!all.length) return undefined;
  const notes: string[] = [];
  for (let n = rng.range(1, 3); n > 0; n--) {
    const { owner, field, type: ownerType } = rng.pick(all);
    const current = owner[field.name];
    if (field.map) {
      const map = (current ?? {}) as Record<string, unknown>;
      const keyType = (field as unknown as { keyType: string }).keyType;
      const key = keyType === 'string' ? rng.pick(WEIRD_STRINGS.slice(0, 9)) : String(rng.int(1000));
      map[key] = newValue(rng, field, undefined);
      owner[field.name] = map;
      notes.push(`${ownerType.name}.${field.name}[${JSON.stringify(key).slice(0, 20)}] set`);
    } else if (field.repeated) {
      const list = Array.isArray(current) ? [...current] : [];
      const op = rng.int(3);
      if (op === 0 && list.length) {
        const copies = rng.chance(0.2) ? rng.range(50, 2000) : rng.range(1, 3);
        for (let i = 0; i < copies; i++) list.push(rng.pick(list));
        notes.push(`${ownerType.name}.${field.name}: ${copies} duplicate(s)`);
      } else if (op === 1) {
        list.length = 0;
        notes.push(`${ownerType.name}.${field.name} emptied`);
      } else {
        list.push(newValue(rng, field, undefined));
        notes.push(`${ownerType.name}.${field.name}: new element`);
      }
      owner[field.name] = list;
    } else if (current != null && rng.chance(0.15)) {
      delete owner[field.name];
      owner[field.name] = null;
      notes.push(`${ownerType.name}.${field.name} cleared`);
    } else {
      owner[field.name] = newValue(rng, field, current);
      notes.push(`${ownerType.name}.${field.name} = edge value`);
    }
  }
  try {
    return { bytes: Buffer.from(type.encode(message).finish()), note: `schema: ${notes.join('; ')}` };
  } catch {
    return undefined;
  }
}

/** Schema-aware when it can, blind otherwise. */
export function mutateProto(rng: Rng, type: Type, bytes: Buffer, donor?: Buffer): { bytes: Buffer; note: string } {
  if (rng.chance(0.6)) {
    const m = mutateMessage(rng, type, bytes);
    if (m) return m;
  }
  return mutateBytes(rng, bytes, donor);
}
