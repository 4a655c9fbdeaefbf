// The reference tool's protobuf text format (gogo proto.MarshalText, non-compact), produced
// generically from protobufjs reflection so it covers every message in the schema:
// - one `name: value` line per field, nested messages as `name: <` ... `>` indented two spaces;
// - fields in .proto declaration order (Go struct order), not field-number order;
// - proto3 zero scalars, empty repeated fields and empty bytes omitted; absent nullable messages
//   omitted; messages Go embeds by value ((gogoproto.nullable) = false) always printed;
// - a set oneof member printed at its declaration position even when zero (Go stores the oneof
//   as an interface, which escapes the zero check);
// - enums by name (unknown numbers as the number); maps as repeated `name: <` key/value `>` in
//   key order; strings/bytes quoted byte by byte; 64-bit integers exact;
// - fields unknown to the schema are not printed (as in the reference), only reported.
import type Long from 'long';
import { Enum, type Field, type MapField, type Message, type Type } from 'protobufjs/light';
import { formatGoFileMode, formatGoFloat, quoteBytes, quoteString } from './goFormat';
import { unknownFieldsOf, type UnknownField } from './unknownFields';

export interface TextOptions {
  /** Receives the fields the schema does not know (they never appear in the text). */
  unknownFields?: UnknownField[];
}

type Fields = Record<string, unknown>;

const utf8 = new TextEncoder();

/**
 * The text of `message` exactly as the reference prints it with proto.MarshalText: every line ends
 * with "\n" and an empty message gives "". `type` defaults to the message's own ($type).
 */
export function formatMessage(message: Message | object, type?: Type, options: TextOptions = {}): string {
  const messageType = type ?? (message as { $type?: Type }).$type;
  if (!messageType) throw new TypeError('formatMessage: the message carries no type; pass it explicitly');
  const out: string[] = [];
  writeFields(out, '', message as Fields, messageType, options, messageType.name);
  return out.join('');
}

function writeFields(out: string[], indent: string, msg: Fields, type: Type, options: TextOptions, path: string): void {
  const tracking = options.unknownFields !== undefined;
  if (tracking) options.unknownFields!.push(...unknownFieldsOf(msg, path));
  for (const field of type.fieldsArray) {
    field.resolve();
    const value = msg[field.name];
    // Paths only name unknown fields in reports: build them only when someone asked for those.
    const fieldPath = tracking ? `${path}.${field.name}` : '';
    if (field.map) {
      writeMap(out, indent, field as unknown as MapField, value as Fields | undefined, options, fieldPath);
    } else if (field.repeated) {
      const items = (value ?? []) as unknown[];
      items.forEach((item, i) => writeValue(out, indent, field, item, options, tracking ? `${fieldPath}[${i}]` : ''));
    } else if (isPrinted(msg, field, value)) {
      writeValue(out, indent, field, value ?? {}, options, fieldPath);
    }
  }
}

/** What printing needs to know of a field, computed once per field instead of once per value. */
interface FieldTraits {
  embeddedByValue: boolean;
  isMessage: boolean;
  stdDuration: boolean;
}

const traitsCache = new WeakMap<Field, FieldTraits>();

function traitsOf(field: Field): FieldTraits {
  let t = traitsCache.get(field);
  if (!t) {
    t = {
      embeddedByValue: field.options?.['(gogoproto.nullable)'] === false,
      isMessage: !!field.resolvedType && !(field.resolvedType instanceof Enum),
      stdDuration: !!field.options?.['(gogoproto.stdduration)'],
    };
    traitsCache.set(field, t);
  }
  return t;
}

/** Whether a singular field appears in the text (Go's rules, see the header). */
function isPrinted(msg: Fields, field: Field, value: unknown): boolean {
  if (field.partOf) return isSetOneofMember(msg, field, value);
  const { embeddedByValue, isMessage, stdDuration } = traitsOf(field);
  if (isMessage) {
    // A Go time.Duration/time.Time held by value is an integer/struct, not a message pointer.
    if (stdDuration && embeddedByValue) return value != null && !isZeroDuration(value as Fields);
    return embeddedByValue || value != null;
  }
  if (field.hasPresence) {
    // proto2: gogo embeds nullable=false scalars by value (always printed), others are pointers.
    return embeddedByValue || (Object.prototype.hasOwnProperty.call(msg, field.name) && value != null);
  }
  return !isZeroScalar(value);
}

function isSetOneofMember(msg: Fields, field: Field, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  // protobufjs' virtual oneof property names the member set last on the wire.
  const chosen = msg[field.partOf!.name];
  if (typeof chosen === 'string') return chosen === field.name;
  return Object.prototype.hasOwnProperty.call(msg, field.name);
}

function writeValue(out: string[], indent: string, field: Field, value: unknown, options: TextOptions, path: string): void {
  const traits = traitsOf(field);
  if (traits.isMessage) {
    const inner = traits.stdDuration ? normalizedDuration(value as Fields) : (value as Fields);
    out.push(`${indent}${field.name}: <\n`);
    writeFields(out, indent + '  ', inner ?? {}, field.resolvedType as Type, options, path);
    out.push(`${indent}>\n`);
    return;
  }
  out.push(`${indent}${field.name}: ${scalarText(field, value)}\n`);
}

function writeMap(out: string[], indent: string, field: MapField, map: Fields | undefined, options: TextOptions, path: string): void {
  if (!map) return;
  const keys = sortMapKeys(Object.keys(map), field.keyType);
  const valueType = field.resolvedType;
  for (const key of keys) {
    const value = map[key];
    out.push(`${indent}${field.name}: <\n`);
    out.push(`${indent}  key: ${mapKeyText(key, field.keyType)}\n`);
    if (valueType && !(valueType instanceof Enum)) {
      // Go prints no value line for a nil message value. (protobufjs turns a value missing from
      // the entry into an empty message, so only an explicit null gets here.)
      if (value != null) {
        out.push(`${indent}  value: <\n`);
        writeFields(out, indent + '    ', value as Fields, valueType, options, `${path}[${JSON.stringify(key)}]`);
        out.push(`${indent}  >\n`);
      }
    } else {
      out.push(`${indent}  value: ${scalarText(field as unknown as Field, value)}\n`);
    }
    out.push(`${indent}>\n`);
  }
}

/** Go sorts map keys by value: strings bytewise, integers numerically, false before true. */
function sortMapKeys(keys: string[], keyType: string): string[] {
  if (keyType === 'string') {
    return keys
      .map((k) => ({ k, b: utf8.encode(k) }))
      .sort((x, y) => compareBytes(x.b, y.b))
      .map((e) => e.k);
  }
  if (keyType === 'bool') return keys.sort((a, b) => Number(a === 'true') - Number(b === 'true'));
  // Integer keys (none in the SwarmKit schema); protobufjs hashes 64-bit ones, which then sort as 0.
  const num = (k: string): bigint => (/^-?\d+$/.test(k) ? BigInt(k) : 0n);
  return keys.sort((a, b) => (num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : 0));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function mapKeyText(key: string, keyType: string): string {
  return keyType === 'string' ? quoteString(key) : key;
}

function scalarText(field: Field, value: unknown): string {
  const type = field.resolvedType;
  if (type instanceof Enum) {
    const n = Number(value ?? 0);
    return type.valuesById[n] ?? String(n);
  }
  switch (field.type) {
    case 'string':
      return quoteString(String(value ?? ''));
    case 'bytes':
      return quoteBytes(toBytes(value));
    case 'bool':
      return value ? 'true' : 'false';
    case 'float':
      return formatGoFloat(Number(value ?? 0), 32);
    case 'double':
      return formatGoFloat(Number(value ?? 0), 64);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return toBigInt(value, true).toString();
    case 'uint64':
    case 'fixed64':
      return toBigInt(value, false).toString();
    default:
      // 32-bit integers; os.FileMode is Go's custom type for file modes.
      if (field.options?.['(gogoproto.customtype)'] === 'os.FileMode') return formatGoFileMode(Number(value ?? 0) >>> 0);
      return String(Number(value ?? 0));
  }
}

function isZeroScalar(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'number') return value === 0; // -0 too, as Go's == 0
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'bigint') return value === 0n;
  // Absent bytes default to protobufjs' shared empty array, decoded ones are Uint8Arrays.
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length === 0;
  if (isLong(value)) return value.low === 0 && value.high === 0;
  return false;
}

function isZeroDuration(d: Fields): boolean {
  return normalizedDuration(d) === undefined;
}

/**
 * Go holds a stdduration field as an int64 of nanoseconds and prints it re-split into
 * seconds/nanos (so 0 is omitted and out-of-range nanos fold into seconds); undefined when zero.
 */
function normalizedDuration(d: Fields | undefined): Fields | undefined {
  if (!d) return undefined;
  const total = BigInt.asIntN(64, toBigInt(d.seconds, true) * 1_000_000_000n + toBigInt(d.nanos, true));
  if (total === 0n) return undefined;
  return { seconds: total / 1_000_000_000n, nanos: Number(total % 1_000_000_000n) };
}

function isLong(v: unknown): v is Long {
  return typeof v === 'object' && v !== null && 'low' in v && 'high' in v;
}

function toBigInt(value: unknown, signed: boolean): bigint {
  let n: bigint;
  if (value === undefined || value === null) n = 0n;
  else if (typeof value === 'bigint') n = value;
  else if (isLong(value)) n = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  else n = BigInt(typeof value === 'number' ? Math.trunc(value) : String(value));
  return signed ? BigInt.asIntN(64, n) : BigInt.asUintN(64, n);
}

/** protobufjs bytes: a Uint8Array/Buffer, or (its JSON convention) base64 text. */
function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'base64'); // never throws, unlike atob
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  return new Uint8Array();
}
