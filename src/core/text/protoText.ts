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
import { formatGoFileMode, formatGoFloat, writeInt64, writeQuotedBytes, writeQuotedString, writeUint64 } from './goFormat';
import { TextSink } from './textSink';
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
  // One scratch buffer serves every call: printing is synchronous and never re-enters itself.
  scratch.reset();
  writeMessage(scratch, message, type, options);
  return scratch.toString();
}

const scratch = new TextSink(1 << 20);

/** formatMessage's text, appended to `out` (large exports keep the bytes as they are). */
export function writeMessage(out: TextSink, message: Message | object, type?: Type, options: TextOptions = {}): void {
  const messageType = type ?? (message as { $type?: Type }).$type;
  if (!messageType) throw new TypeError('formatMessage: the message carries no type; pass it explicitly');
  const sink: Sink = { out, options, tracking: options.unknownFields !== undefined };
  writeFields(sink, '', message as Fields, planOf(messageType), messageType.name);
}

interface Sink {
  out: TextSink;
  options: TextOptions;
  /** Paths only name unknown fields in reports: built only when someone asked for those. */
  tracking: boolean;
}

const NEWLINE = 0x0a;

export const enum FieldKind {
  Scalar,
  Message,
  Map,
}

/** What printing needs to know of a field, worked out once per schema field instead of once per value. */
export interface FieldPlan {
  name: string;
  /** Field number and protobuf type name (scalar type, or the message/enum name): for the wire printer. */
  id: number;
  protoType: string;
  isEnum: boolean;
  /** `name: ` and `name: <\n`, the starts of its lines. */
  label: string;
  opening: string;
  kind: FieldKind;
  repeated: boolean;
  /** The oneof the field belongs to, if any. */
  oneof?: string;
  embeddedByValue: boolean;
  stdDuration: boolean;
  hasPresence: boolean;
  /** Messages and map values of message type: the fields of that type (resolved lazily: types recurse). */
  type?: Type;
  mapKeyType?: string;
  /** Maps: whether the value is a message (else a scalar or enum, printed with `scalar`). */
  mapValueIsMessage: boolean;
  scalar: (out: TextSink, value: unknown) => void;
}

const plans = new WeakMap<Type, FieldPlan[]>();

export function planOf(type: Type): FieldPlan[] {
  let plan = plans.get(type);
  if (!plan) {
    plan = type.fieldsArray.map(planField);
    plans.set(type, plan);
  }
  return plan;
}

function planField(field: Field): FieldPlan {
  field.resolve();
  const resolved = field.resolvedType;
  const isEnum = resolved instanceof Enum;
  const isMessage = !!resolved && !isEnum;
  const map = field.map ? (field as unknown as MapField) : undefined;
  return {
    name: field.name,
    id: field.id,
    protoType: field.type,
    isEnum,
    label: `${field.name}: `,
    opening: `${field.name}: <\n`,
    kind: map ? FieldKind.Map : isMessage ? FieldKind.Message : FieldKind.Scalar,
    repeated: field.repeated && !map,
    oneof: field.partOf?.name,
    embeddedByValue: field.options?.['(gogoproto.nullable)'] === false,
    stdDuration: !!field.options?.['(gogoproto.stdduration)'],
    hasPresence: field.hasPresence,
    type: isMessage ? (resolved as Type) : undefined,
    mapKeyType: map?.keyType,
    mapValueIsMessage: !!map && isMessage,
    scalar: scalarPrinter(field),
  };
}

/** Prints one field's (decoded) value as formatMessage would; for printers that decode part by part. */
export function writeDecodedValue(out: TextSink, indent: string, field: FieldPlan, value: unknown): void {
  writeValue({ out, options: {}, tracking: false }, indent, field, value, '');
}

/** Prints a decoded message's fields at `indent`, as formatMessage would. */
export function writeDecodedFields(out: TextSink, indent: string, msg: object, type: Type): void {
  writeFields({ out, options: {}, tracking: false }, indent, msg as Fields, planOf(type), '');
}

function writeFields(sink: Sink, indent: string, msg: Fields, plan: FieldPlan[], path: string): void {
  if (sink.tracking) sink.options.unknownFields!.push(...unknownFieldsOf(msg, path));
  for (const field of plan) {
    const value = msg[field.name];
    const fieldPath = sink.tracking ? `${path}.${field.name}` : '';
    if (field.kind === FieldKind.Map) {
      if (value) writeMap(sink, indent, field, value as Fields, fieldPath);
    } else if (field.repeated) {
      const items = value as unknown[] | undefined;
      if (!items) continue;
      for (let i = 0; i < items.length; i++) writeValue(sink, indent, field, items[i], sink.tracking ? `${fieldPath}[${i}]` : '');
    } else if (isPrinted(msg, field, value)) {
      writeValue(sink, indent, field, value ?? {}, fieldPath);
    }
  }
}

/** Whether a singular field appears in the text (Go's rules, see the header). */
function isPrinted(msg: Fields, field: FieldPlan, value: unknown): boolean {
  if (field.oneof !== undefined) return isSetOneofMember(msg, field, value);
  if (field.kind === FieldKind.Message) {
    // A Go time.Duration/time.Time held by value is an integer/struct, not a message pointer.
    if (field.stdDuration && field.embeddedByValue) return value != null && !isZeroDuration(value as Fields);
    return field.embeddedByValue || value != null;
  }
  if (field.hasPresence) {
    // proto2: gogo embeds nullable=false scalars by value (always printed), others are pointers.
    return field.embeddedByValue || (Object.prototype.hasOwnProperty.call(msg, field.name) && value != null);
  }
  return !isZeroScalar(value);
}

function isSetOneofMember(msg: Fields, field: FieldPlan, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  // protobufjs' virtual oneof property names the member set last on the wire.
  const chosen = msg[field.oneof!];
  if (typeof chosen === 'string') return chosen === field.name;
  return Object.prototype.hasOwnProperty.call(msg, field.name);
}

function writeValue(sink: Sink, indent: string, field: FieldPlan, value: unknown, path: string): void {
  const out = sink.out;
  out.write(indent);
  if (field.kind === FieldKind.Message) {
    const inner = field.stdDuration ? normalizedDuration(value as Fields) : (value as Fields);
    out.write(field.opening);
    writeFields(sink, indent + '  ', inner ?? {}, planOf(field.type!), path);
    out.write(indent);
    out.write('>\n');
    return;
  }
  out.write(field.label);
  field.scalar(out, value);
  out.byte(NEWLINE);
}

function writeMap(sink: Sink, indent: string, field: FieldPlan, map: Fields, path: string): void {
  const out = sink.out;
  const keyType = field.mapKeyType!;
  for (const key of sortMapKeys(Object.keys(map), keyType)) {
    const value = map[key];
    out.write(indent);
    out.write(field.opening);
    out.write(indent);
    out.write('  key: ');
    if (keyType === 'string') writeQuotedString(out, key);
    else out.write(key);
    out.byte(NEWLINE);
    if (field.mapValueIsMessage) {
      // Go prints no value line for a nil message value. (protobufjs turns a value missing from
      // the entry into an empty message, so only an explicit null gets here.)
      if (value != null) {
        out.write(indent);
        out.write('  value: <\n');
        writeFields(sink, indent + '    ', value as Fields, planOf(field.type!), `${path}[${JSON.stringify(key)}]`);
        out.write(indent);
        out.write('  >\n');
      }
    } else {
      out.write(indent);
      out.write('  value: ');
      field.scalar(out, value);
      out.byte(NEWLINE);
    }
    out.write(indent);
    out.write('>\n');
  }
}

/** Go sorts map keys by value: strings bytewise, integers numerically, false before true. */
function sortMapKeys(keys: string[], keyType: string): string[] {
  if (keyType === 'string') {
    // Below the surrogates, UTF-16 code unit order is UTF-8 byte order: no need to encode.
    if (!keys.some((k) => /[\ud800-\udfff]/.test(k))) return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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

/** The printer of one scalar field's values, chosen once per field. */
function scalarPrinter(field: Field): (out: TextSink, value: unknown) => void {
  const type = field.resolvedType;
  if (type instanceof Enum) {
    const names = type.valuesById;
    return (out, value) => {
      const n = Number(value ?? 0);
      out.write(names[n] ?? String(n));
    };
  }
  switch (field.type) {
    case 'string':
      return (out, value) => writeQuotedString(out, String(value ?? ''));
    case 'bytes':
      return (out, value) => writeQuotedBytes(out, toBytes(value));
    case 'bool':
      return (out, value) => out.write(value ? 'true' : 'false');
    case 'float':
      return (out, value) => out.write(formatGoFloat(Number(value ?? 0), 32));
    case 'double':
      return (out, value) => out.write(formatGoFloat(Number(value ?? 0), 64));
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return (out, value) => writeInt64Value(out, value, true);
    case 'uint64':
    case 'fixed64':
      return (out, value) => writeInt64Value(out, value, false);
    default:
      // 32-bit integers; os.FileMode is Go's custom type for file modes.
      if (field.options?.['(gogoproto.customtype)'] === 'os.FileMode') return (out, value) => out.write(formatGoFileMode(Number(value ?? 0) >>> 0));
      return (out, value) => out.write(String(Number(value ?? 0)));
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

/** A 64-bit integer's decimal digits; protobufjs' Longs (all decoded values) are printed without BigInt. */
function writeInt64Value(out: TextSink, value: unknown, signed: boolean): void {
  if (!isLong(value)) out.write(toBigInt(value, signed).toString());
  else if (signed) writeInt64(out, value.low >>> 0, value.high >>> 0);
  else writeUint64(out, value.low >>> 0, value.high >>> 0);
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
