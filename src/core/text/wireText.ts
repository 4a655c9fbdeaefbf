// The reference's text printed straight from protobuf bytes: for exports, where building protobufjs
// objects, decoding every string to UTF-16 and encoding it back cost more than the printing itself.
// The output is byte-identical to formatMessage(type.decode(bytes)) by construction:
// - a message holding anything this printer does not model (a field number the schema lacks, a wire
//   type the schema does not expect, a string that is not valid UTF-8, two members of one oneof, a
//   message field given twice (protobufjs merges them), a map entry without its key or value, proto2
//   fields, durations) is decoded by protobufjs and printed by the object printer: odd input gets
//   exactly the old treatment;
// - bytes protobufjs would reject (truncated, overlong varints, wire types 6/7) throw WireTextError, and
//   callers print the whole entry the usual way (which reports the problem).
// Scalars are read as protobufjs reads them and handed to the same scalar printers.
// A message whose fields come in declaration order (Go writes them by number, and most types declare
// them so) is printed as it is read (writeInOrder); any other is indexed first (scanMessage), then printed.
// With redaction rules (WireRedaction, --redact), the fields they name print as the object printer prints
// the redacted copy (src/core/text/redact.ts); a message under a rule that needs the object printer makes
// the whole entry go the object way (WireTextError), so a redacted value never prints unredacted.
import { isUtf8 } from 'node:buffer';
import type { Type } from 'protobufjs/light';
import { writeInt64, writeQuotedBytes, writeUint64 } from './goFormat';
import { FieldKind, planOf, writeDecodedFields, writeDecodedValue, type FieldPlan } from './protoText';
import { TextSink } from './textSink';

export class WireTextError extends Error {}

/**
 * What --redact changes in one message type, by field name: `drop` prints the field as absent, `text`
 * prints one `name: "text"` line in its place (present or not), `nested` applies rules inside the field's
 * message(s); where such a message is absent, `absent: 'object'` sends the entry to the object printer
 * (the redacted copy then holds a message the bytes lack).
 */
export type WireRule = { drop: true } | { text: string } | { nested: WireRedaction; absent: 'plain' | 'object' };

export class WireRedaction {
  /** Per WirePlan field index, resolved on first use (the rules are for one message type). */
  private resolved: (WireRule | undefined)[] | undefined;
  private texts = new Map<string, Uint8Array>();

  constructor(readonly byName: Record<string, WireRule>) {}

  private resolvedMask: number | undefined;

  /** @internal */
  rulesFor(plan: { fields: { name: string }[] }): (WireRule | undefined)[] {
    return (this.resolved ??= plan.fields.map((f) => this.byName[f.name]));
  }

  /** @internal The fields under a rule as bits (field index i < 32: bit i), to visit present or not. */
  ruleMaskFor(plan: { fields: { name: string }[] }): number {
    return (this.resolvedMask ??= this.rulesFor(plan).reduce<number>((mask, rule, i) => (rule !== undefined && i < 32 ? mask | (1 << i) : mask), 0));
  }

  /** @internal */
  textBytes(text: string): Uint8Array {
    let b = this.texts.get(text);
    if (!b) this.texts.set(text, (b = new TextEncoder().encode(text)));
    return b;
  }
}

const enum Wire {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

/** How the printing loop treats a field (worked out once: the loop runs for every field of every message). */
const enum Code {
  Map,
  Repeated,
  /** A singular message, printed only when present. */
  Message,
  /** A singular message Go holds by value (outside a oneof): printed, empty, when absent too. */
  MessageByValue,
  /** A singular scalar, printed unless it is zero. */
  Scalar,
  /** A oneof's scalar member: printed when present, zero or not. */
  OneofScalar,
}

/** A scalar's (or map value's) type, for reading and printing its values. */
const enum Scalar {
  Bytes, // string or bytes
  Enum,
  Bool,
  Int32,
  Uint32,
  Sint32,
  Int64,
  Uint64,
  Sint64,
  Fixed32,
  Sfixed32,
  Fixed64,
  Sfixed64,
  Float,
  Double,
}

const SCALAR_OF: Record<string, Scalar> = {
  string: Scalar.Bytes, bytes: Scalar.Bytes, bool: Scalar.Bool, int32: Scalar.Int32, uint32: Scalar.Uint32, sint32: Scalar.Sint32,
  int64: Scalar.Int64, uint64: Scalar.Uint64, sint64: Scalar.Sint64, fixed32: Scalar.Fixed32, sfixed32: Scalar.Sfixed32,
  fixed64: Scalar.Fixed64, sfixed64: Scalar.Sfixed64, float: Scalar.Float, double: Scalar.Double,
};

/** Per field of a scan: what scanMessage checks. */
const REPEATED = 1;
const UTF8 = 2;
const SINGLE_MESSAGE = 4;

/** A type's fields as the wire printer needs them: plans in declaration order, found by number. */
interface WirePlan {
  fields: FieldPlan[];
  /** Field number -> index in `fields`, -1 where the schema has none. */
  byNumber: Int32Array;
  /** Per field: the index of its oneof among the type's oneofs, or -1. */
  oneofOf: Int32Array;
  oneofCount: number;
  /** The wire type each field's (element) values use. */
  wire: Wire[];
  /** The type has fields this printer leaves to protobufjs (proto2 presence, durations). */
  objectOnly: boolean;
  type: Type;
  /** Types of at most 32 fields: bit i = field i, for the fields printed even when absent (messages held by value). */
  printedAbsent: number;
  /**
   * Declared in field-number order, without maps, proto2 presence or durations (what the single pass
   * cannot keep, see writeInOrder): its messages are printed as they are read, when their fields come in order.
   */
  inOrder: boolean;
  /** Per field: Code, Scalar, and the flags scanMessage checks. */
  codes: Uint8Array;
  scalars: Uint8Array;
  scanFlags: Uint8Array;
  /**
   * Filled as met: the plans of message fields' types, per field and depth `indent + name: ` /
   * `indent + name: <\n` (as bytes: written without looking at each character), and enums' names.
   */
  children: (WirePlan | undefined)[];
  labels: Uint8Array[][];
  openings: Uint8Array[][];
  /** Per field and depth: the text of an absent message Go holds by value (printed empty, but printed). */
  absent: Uint8Array[][];
  enumNames: Uint8Array[][];
}

// Kept on the Type itself: looked up once per message printed, and a WeakMap lookup costs more.
const WIRE_PLAN = Symbol('wirePlan');

function wirePlanOf(type: Type): WirePlan {
  const holder = type as Type & { [WIRE_PLAN]?: WirePlan };
  let plan = holder[WIRE_PLAN];
  if (!plan) {
    const fields = planOf(type);
    const byNumber = new Int32Array(Math.max(0, ...fields.map((f) => f.id)) + 1).fill(-1);
    fields.forEach((f, i) => (byNumber[f.id] = i));
    const oneofs = [...new Set(fields.flatMap((f) => (f.oneof === undefined ? [] : [f.oneof])))];
    plan = {
      fields,
      byNumber,
      oneofOf: Int32Array.from(fields, (f) => (f.oneof === undefined ? -1 : oneofs.indexOf(f.oneof))),
      oneofCount: oneofs.length,
      wire: fields.map(wireTypeOf),
      // Presence matters to the object printer only for proto2 scalars (messages and oneofs have their own rules).
      objectOnly: fields.some((f) => f.stdDuration || (f.kind === FieldKind.Scalar && f.oneof === undefined && f.hasPresence)),
      type,
      printedAbsent: fields.reduce((mask, f, i) => (codeOf(f) === Code.MessageByValue && i < 32 ? mask | (1 << i) : mask), 0),
      inOrder: false,
      codes: Uint8Array.from(fields, codeOf),
      scalars: Uint8Array.from(fields, (f) => (f.isEnum ? Scalar.Enum : SCALAR_OF[f.protoType] ?? Scalar.Int32)),
      scanFlags: Uint8Array.from(fields, (f) => (f.repeated ? REPEATED : 0) | (f.protoType === 'string' ? UTF8 : 0) | (f.kind === FieldKind.Message && !f.repeated ? SINGLE_MESSAGE : 0)),
      children: [],
      labels: fields.map(() => []),
      openings: fields.map(() => []),
      absent: fields.map(() => []),
      enumNames: fields.map(() => []),
    };
    plan.inOrder = !plan.objectOnly && plan.oneofCount <= 32 && plan.codes.every((c) => c !== Code.Map) && fields.every((f, i) => i === 0 || fields[i - 1].id < f.id);
    holder[WIRE_PLAN] = plan;
  }
  return plan;
}

function codeOf(f: FieldPlan): Code {
  if (f.kind === FieldKind.Map) return Code.Map;
  if (f.repeated) return Code.Repeated;
  if (f.kind === FieldKind.Message) return f.embeddedByValue && f.oneof === undefined ? Code.MessageByValue : Code.Message;
  return f.oneof === undefined ? Code.Scalar : Code.OneofScalar;
}

function wireTypeOf(f: FieldPlan): Wire {
  return f.kind === FieldKind.Scalar ? scalarWireType(f) : Wire.Bytes;
}

/** The wire type of the field's scalar values (for a map field: of its values). */
function scalarWireType(f: FieldPlan): Wire {
  if (f.isEnum) return Wire.Varint;
  switch (f.protoType) {
    case 'string':
    case 'bytes':
      return Wire.Bytes;
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return Wire.Fixed64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return Wire.Fixed32;
    default:
      return Wire.Varint;
  }
}

const indents = [''];

function indentAt(depth: number): string {
  while (indents.length <= depth) indents.push(indents[indents.length - 1] + '  ');
  return indents[depth];
}

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const indentBytes: Uint8Array[] = [];
const closings: Uint8Array[] = [];
const KEY = ascii('key: ');
const VALUE = ascii('value: ');
const VALUE_OPENING = ascii('value: <\n');

function indentBytesAt(depth: number): Uint8Array {
  return (indentBytes[depth] ??= ascii(indentAt(depth)));
}

/** `indent>\n` at a depth. */
function closingAt(depth: number): Uint8Array {
  return (closings[depth] ??= ascii(indentAt(depth) + '>\n'));
}

function childPlan(plan: WirePlan, i: number): WirePlan {
  return (plan.children[i] ??= wirePlanOf(plan.fields[i].type!));
}

// Field names are identifiers (ASCII): their labels are the same bytes as text.
function labelAt(plan: WirePlan, i: number, depth: number): Uint8Array {
  return (plan.labels[i][depth] ??= ascii(indentAt(depth) + plan.fields[i].label));
}

function openingAt(plan: WirePlan, i: number, depth: number): Uint8Array {
  return (plan.openings[i][depth] ??= ascii(indentAt(depth) + plan.fields[i].opening));
}

/** The same for every message of a type (e.g. `annotations: <\n>` in every node update): printed once. */
function absentAt(plan: WirePlan, i: number, depth: number): Uint8Array {
  let text = plan.absent[i][depth];
  if (text === undefined) {
    const sink = new TextSink(256);
    writeDecodedValue(sink, indentAt(depth), plan.fields[i], {});
    text = plan.absent[i][depth] = sink.take();
  }
  return text;
}

/** An enum value's text as the field's own printer prints it, kept per value (small values only). */
function enumNameAt(plan: WirePlan, i: number, value: number): Uint8Array | undefined {
  if (!(value >= 0 && value < 1024)) return undefined;
  let text = plan.enumNames[i][value];
  if (text === undefined) {
    const sink = new TextSink(64);
    plan.fields[i].scalar(sink, value);
    text = plan.enumNames[i][value] = sink.take();
  }
  return text;
}

/** Prints the message held in bytes[start, end) at `depth` (two spaces each), as formatMessage would. */
function writeWireMessage(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, start: number, end: number, redaction?: WireRedaction): void {
  if (plan.inOrder) {
    const mark = out.length;
    if (writeInOrder(out, depth, bytes, plan, start, end, redaction)) return;
    out.rewind(mark);
  }
  const savedOccurrences = occTop;
  const savedSlots = slotTop;
  const base = plan.objectOnly ? -1 : scanMessage(bytes, start, end, plan);
  if (base < 0) {
    occTop = savedOccurrences;
    slotTop = savedSlots;
    // Printed unredacted from a decoded object: only where no rule reaches.
    if (redaction) throw new FallbackToObject();
    writeDecodedFields(out, indentAt(depth), decodeWith(plan.type, bytes.subarray(start, end)), plan.type);
    return;
  }
  const n = plan.codes.length;
  if (n <= 32) {
    // Most fields of most messages are absent: only the present ones, those printed when absent and
    // those under a rule are visited, in declaration order (ascending bits).
    let visit = presentFields | plan.printedAbsent | (redaction ? redaction.ruleMaskFor(plan) : 0);
    while (visit !== 0) {
      const lowest = visit & -visit;
      visit ^= lowest;
      writeField(out, depth, bytes, plan, 31 - Math.clz32(lowest), base, redaction);
    }
  } else {
    for (let i = 0; i < n; i++) writeField(out, depth, bytes, plan, i, base, redaction);
  }
  occTop = savedOccurrences;
  slotTop = savedSlots;
}

/**
 * The message printed as its fields are read, for the usual case of fields written in number order
 * (as Go marshals them), each at most once unless repeated: the result scanMessage + writeField give,
 * without indexing the fields first (a third of the printing time of small entries). Returns false,
 * having printed part of it, at the first thing that case does not cover (a field out of order or
 * given twice, or whatever scanMessage declines): the caller rewinds and takes the general way.
 * Bytes protobufjs rejects throw, as there.
 */
function writeInOrder(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, start: number, end: number, redaction: WireRedaction | undefined): boolean {
  const rules = redaction?.rulesFor(plan);
  let previous = -1;
  let oneofsHeld = 0;
  let at = start;
  while (at < end) {
    const valueStart = readField(bytes, at, end);
    if (valueStart < 0) return false; // a group
    at = fieldEnd;
    const wire = fieldWire;
    const i = fieldIndexOf(plan, fieldNumber, wire);
    if (i < 0) return false;
    const flags = plan.scanFlags[i];
    const first = i > previous;
    if (first) {
      writeAbsentFields(out, depth, plan, previous + 1, i, redaction);
      const oneof = plan.oneofOf[i];
      if (oneof >= 0) {
        if ((oneofsHeld & (1 << oneof)) !== 0) return false; // two members of one oneof
        oneofsHeld |= 1 << oneof;
      }
      previous = i;
    } else if (i < previous || (flags & REPEATED) === 0) {
      return false; // out of order, or a singular field twice (the last one counts)
    }
    if ((flags & UTF8) !== 0 && !validUtf8(bytes, valueStart, at)) return false;
    const rule = rules?.[i];
    if (rule !== undefined) writeRuledOccurrence(out, depth, bytes, plan, i, valueStart, at, first, rule, redaction!);
    else writeValue(out, depth, bytes, plan, i, valueStart, at, wire);
  }
  writeAbsentFields(out, depth, plan, previous + 1, plan.codes.length, redaction);
  return true;
}

/**
 * Fields [from, to) of a message, absent from it: as writeField prints them. Only messages Go holds by
 * value print (empty), and with --redact a field under a `text` rule (present or not); a `nested` rule
 * that wants the object printer where its message is absent sends the entry there.
 */
function writeAbsentFields(out: TextSink, depth: number, plan: WirePlan, from: number, to: number, redaction: WireRedaction | undefined): void {
  const rules = redaction?.rulesFor(plan);
  for (let j = from; j < to; j++) {
    const rule = rules?.[j];
    if (rule !== undefined) {
      if ('text' in rule) {
        writeRuleText(out, labelAt(plan, j, depth), redaction!, rule.text);
        continue;
      }
      const f = plan.fields[j];
      if ('nested' in rule && (f.kind !== FieldKind.Message || (rule.absent === 'object' && !f.repeated))) throw new FallbackToObject();
    }
    if (plan.codes[j] === Code.MessageByValue) out.bytes(absentAt(plan, j, depth));
  }
}

/** One occurrence of field i under a redaction rule (`first`: the field's first), as writeRedactedField prints the field. */
function writeRuledOccurrence(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, i: number, s: number, e: number, first: boolean, rule: WireRule, redaction: WireRedaction): void {
  const f = plan.fields[i];
  if ('drop' in rule) {
    // Not printed, but decoded: bytes protobufjs rejects there must still fail the entry as they would unredacted.
    if (f.kind === FieldKind.Message) decodeWith(childPlan(plan, i).type, bytes.subarray(s, e));
    if (first && plan.codes[i] === Code.MessageByValue) out.bytes(absentAt(plan, i, depth));
  } else if ('text' in rule) {
    if (first) writeRuleText(out, labelAt(plan, i, depth), redaction, rule.text);
  } else {
    if (f.kind !== FieldKind.Message) throw new FallbackToObject();
    writeNested(out, depth, bytes, plan, i, s, e, rule.nested);
  }
}

/** `name: "text"`, the line a `text` rule prints in the field's place. */
function writeRuleText(out: TextSink, label: Uint8Array, redaction: WireRedaction, text: string): void {
  out.bytes(label);
  writeQuotedBytes(out, redaction.textBytes(text));
  out.byte(0x0a);
}

/** Field i of a message scanned into slots at `base`: its lines, if it has any. */
function writeField(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, i: number, base: number, redaction: WireRedaction | undefined): void {
  if (redaction !== undefined) {
    const rule = redaction.rulesFor(plan)[i];
    if (rule !== undefined && writeRedactedField(out, depth, bytes, plan, i, base, rule, redaction)) return;
  }
  const code = plan.codes[i];
  if (code === Code.Map) {
    const first = slots[base + i];
    if (first >= 0 && !writeWireMap(out, depth, bytes, plan, i, first)) {
      // An entry this printer does not model: the whole message goes the object way, from the start.
      throw new FallbackToObject();
    }
    return;
  }
  if (code === Code.Repeated) {
    for (let k = slots[base + i]; k >= 0; k = occNext[k]) writeValue(out, depth, bytes, plan, i, occStart[k], occEnd[k], occWire[k]);
    return;
  }
  const last = slots[base + plan.codes.length + i];
  if (last < 0) {
    // Absent: only a message Go holds by value is printed (empty); absent scalars are zero.
    if (code === Code.MessageByValue) out.bytes(absentAt(plan, i, depth));
    return;
  }
  writeValue(out, depth, bytes, plan, i, occStart[last], occEnd[last], occWire[last]);
}

/**
 * One value of field i (not a map's), in bytes[s, e) with wire type `wire`: an element of a repeated
 * field, a message, or a singular scalar, which proto3 does not print when it is zero unless a oneof holds it.
 */
function writeValue(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, i: number, s: number, e: number, wire: number): void {
  const code = plan.codes[i];
  if (code === Code.Repeated) writeRepeated(out, depth, bytes, plan, i, s, e, wire);
  else if (code === Code.Message || code === Code.MessageByValue) writeNested(out, depth, bytes, plan, i, s, e);
  else if (code === Code.OneofScalar || !isZeroOnWire(plan.scalars[i], bytes, s, e)) writeScalarLine(out, labelAt(plan, i, depth), plan, i, bytes, s, e);
}

/** Thrown inside a message's printing when it must be printed by the object printer after all. */
class FallbackToObject extends Error {}

/**
 * writeWireMessage for a whole (top-level) message; the sink is left as it was when it throws. With
 * `redaction`, a message that needs the object printer throws WireTextError: the caller prints the
 * redacted decoded entry.
 */
export function writeWireText(out: TextSink, bytes: Uint8Array, type: Type, redaction?: WireRedaction): void {
  const mark = out.length;
  occTop = 0;
  slotTop = 0;
  try {
    writeWireMessage(out, 0, bytes, wirePlanOf(type), 0, bytes.length, redaction);
  } catch (e) {
    out.rewind(mark);
    if (redaction && e instanceof FallbackToObject) throw new WireTextError('left to the object printer (redacted)');
    if (!(e instanceof FallbackToObject)) throw e instanceof WireTextError ? e : new WireTextError((e as Error).message);
    writeDecodedFields(out, '', decodeWith(type, bytes), type);
  }
}

/**
 * A message's one length-delimited field `number` apart from the rest: its value and the message's
 * other fields (copied, in order), for printing the value from the wire and decoding only the rest.
 * Undefined when the top level does not parse or the field is not there exactly once as bytes.
 */
export function splitField(bytes: Uint8Array, number: number): { value: Uint8Array; rest: Uint8Array } | undefined {
  let found: { start: number; end: number; valueStart: number } | undefined;
  try {
    for (let at = 0; at < bytes.length; ) {
      const fieldStart = at;
      const tag = readVarint32(bytes, at, bytes.length);
      at = varintEnd;
      const wire = tag & 7;
      let valueStart = at;
      if (wire === Wire.Varint) at = skipVarint(bytes, at, bytes.length);
      else if (wire === Wire.Fixed64) at += 8;
      else if (wire === Wire.Fixed32) at += 4;
      else if (wire === Wire.Bytes) {
        const length = readVarint32(bytes, at, bytes.length) >>> 0;
        valueStart = varintEnd;
        at = valueStart + length;
      } else return undefined;
      if (at > bytes.length) return undefined;
      if (tag >>> 3 === number) {
        if (found || wire !== Wire.Bytes) return undefined;
        found = { start: fieldStart, end: at, valueStart };
      }
    }
  } catch (e) {
    if (e instanceof WireTextError) return undefined;
    throw e;
  }
  if (!found) return undefined;
  const rest = new Uint8Array(bytes.length - (found.end - found.start));
  rest.set(bytes.subarray(0, found.start));
  rest.set(bytes.subarray(found.end), found.start);
  return { value: bytes.subarray(found.valueStart, found.end), rest };
}

function decodeWith(type: Type, bytes: Uint8Array): object {
  try {
    return type.decode(bytes);
  } catch (e) {
    throw new WireTextError((e as Error).message);
  }
}

// Where each field's values are, for every message being printed (nested ones on top: a stack).
// Occurrences, in wire order: value start and end, wire type, next occurrence of the same field.
let occStart = new Int32Array(4096);
let occEnd = new Int32Array(4096);
let occWire = new Uint8Array(4096);
let occNext = new Int32Array(4096);
let occTop = 0;
// Per message: first and last occurrence of each field, then the field each oneof holds.
let slots = new Int32Array(4096);
let slotTop = 0;
/** Set by scanMessage: the fields (index < 32) that occur in the message it scanned, as bits. */
let presentFields = 0;

function pushOccurrence(start: number, end: number, wire: number): number {
  if (occTop === occStart.length) {
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    occStart = grow(occStart);
    occEnd = grow(occEnd);
    occWire = grow(occWire);
    occNext = grow(occNext);
  }
  occStart[occTop] = start;
  occEnd[occTop] = end;
  occWire[occTop] = wire;
  occNext[occTop] = -1;
  return occTop++;
}

/** Set by readField: the field's number and wire type, and where its value ends. */
let fieldNumber = 0;
let fieldWire = 0;
let fieldEnd = 0;

/**
 * Reads the tag and skips the value of the field at `at`: returns where its value starts (fieldNumber,
 * fieldWire and fieldEnd tell the rest), or -1 for a group (wire types 3/4: legal but unused here, so
 * protobufjs decides). Throws WireTextError for what protobufjs rejects (wire types 6/7, cut off).
 */
function readField(bytes: Uint8Array, at: number, end: number): number {
  const tag = readVarint32(bytes, at, end);
  at = varintEnd;
  const wire = tag & 7;
  let valueStart = at;
  switch (wire) {
    case Wire.Varint:
      at = skipVarint(bytes, at, end);
      break;
    case Wire.Fixed64:
      at += 8;
      break;
    case Wire.Fixed32:
      at += 4;
      break;
    case Wire.Bytes: {
      const length = readVarint32(bytes, at, end) >>> 0;
      valueStart = varintEnd;
      at = valueStart + length;
      break;
    }
    default:
      if (wire === 3 || wire === 4) return -1;
      throw new WireTextError(`invalid wire type ${wire} at offset ${at}`);
  }
  if (at > end) throw new WireTextError(`field ${tag >>> 3} runs past the end of its message (offset ${at} > ${end})`);
  fieldNumber = tag >>> 3;
  fieldWire = wire;
  fieldEnd = at;
  return valueStart;
}

/** The field's index in the plan; -1 where the schema lacks it or expects another wire type (packed numbers aside). */
function fieldIndexOf(plan: WirePlan, number: number, wire: number): number {
  const i = number < plan.byNumber.length ? plan.byNumber[number] : -1;
  if (i < 0) return -1;
  const expected = plan.wire[i];
  if (wire === expected || ((plan.scanFlags[i] & REPEATED) !== 0 && wire === Wire.Bytes && expected !== Wire.Bytes)) return i;
  return -1;
}

/**
 * Indexes a message's fields into the slots; returns where its slots start, or -1 when the object
 * printer must take the message (see the header).
 */
function scanMessage(bytes: Uint8Array, start: number, end: number, plan: WirePlan): number {
  const n = plan.fields.length;
  const base = slotTop;
  const size = 2 * n + plan.oneofCount;
  if (base + size > slots.length) {
    const grown = new Int32Array(Math.max(slots.length * 2, base + size));
    grown.set(slots);
    slots = grown;
  }
  // A loop, not fill(): a message has a few dozen slots, and the builtin call costs more than filling them.
  for (let j = base; j < base + size; j++) slots[j] = -1;
  slotTop = base + size;
  let present = 0;
  let at = start;
  while (at < end) {
    const valueStart = readField(bytes, at, end);
    if (valueStart < 0) return -1; // a group: protobufjs decides
    at = fieldEnd;
    const wire = fieldWire;
    const i = fieldIndexOf(plan, fieldNumber, wire);
    if (i < 0) return -1; // unknown to the schema, or not the wire type it expects
    const flags = plan.scanFlags[i];
    const oneof = plan.oneofOf[i];
    if (oneof >= 0) {
      const held = slots[base + 2 * n + oneof];
      if (held >= 0 && held !== i) return -1;
      slots[base + 2 * n + oneof] = i;
    }
    if ((flags & UTF8) !== 0 && !validUtf8(bytes, valueStart, at)) return -1;
    const last = slots[base + n + i];
    // A message field given twice is merged by protobufjs (as protobuf specifies): left to it.
    if (last >= 0 && (flags & SINGLE_MESSAGE) !== 0) return -1;
    const k = pushOccurrence(valueStart, at, wire);
    if (last < 0) slots[base + i] = k;
    else occNext[last] = k;
    slots[base + n + i] = k;
    present |= 1 << i; // i >= 32 sets another bit, but such types visit every field
  }
  presentFields = present;
  return base;
}

/** `name: <`, the nested message in bytes[s, e) one level deeper, `>`. */
function writeNested(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, i: number, s: number, e: number, redaction?: WireRedaction): void {
  out.bytes(openingAt(plan, i, depth));
  writeWireMessage(out, depth + 1, bytes, childPlan(plan, i), s, e, redaction);
  out.bytes(closingAt(depth));
}

/**
 * Field i of a message under a redaction rule, printed as the object printer prints the redacted copy.
 * Returns false where the field prints as it is after all (a `nested` rule on an absent message).
 */
function writeRedactedField(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, i: number, base: number, rule: WireRule, redaction: WireRedaction): boolean {
  const f = plan.fields[i];
  if ('drop' in rule) {
    // Not printed, but decoded: bytes protobufjs rejects there must still fail the entry as they would unredacted.
    if (f.kind === FieldKind.Message) for (let k = slots[base + i]; k >= 0; k = occNext[k]) decodeWith(childPlan(plan, i).type, bytes.subarray(occStart[k], occEnd[k]));
    if (plan.codes[i] === Code.MessageByValue) out.bytes(absentAt(plan, i, depth));
    return true;
  }
  if ('text' in rule) {
    writeRuleText(out, labelAt(plan, i, depth), redaction, rule.text);
    return true;
  }
  if (f.kind !== FieldKind.Message) throw new FallbackToObject();
  if (f.repeated) {
    for (let k = slots[base + i]; k >= 0; k = occNext[k]) writeNested(out, depth, bytes, plan, i, occStart[k], occEnd[k], rule.nested);
    return true;
  }
  const last = slots[base + plan.fields.length + i];
  if (last < 0) {
    if (rule.absent === 'object') throw new FallbackToObject();
    return false;
  }
  writeNested(out, depth, bytes, plan, i, occStart[last], occEnd[last], rule.nested);
  return true;
}

/** `name: value` for field i's scalar in bytes[s, e). */
function writeScalarLine(out: TextSink, label: Uint8Array, plan: WirePlan, i: number, bytes: Uint8Array, s: number, e: number): void {
  out.bytes(label);
  writeScalar(out, plan, i, bytes, s, e);
  out.byte(0x0a);
}

/** One occurrence of repeated field i, in bytes[s, e) with wire type `occurrenceWire`. */
function writeRepeated(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, i: number, s: number, e: number, occurrenceWire: number): void {
  const f = plan.fields[i];
  if (f.kind === FieldKind.Message) {
    writeNested(out, depth, bytes, plan, i, s, e);
    return;
  }
  const label = labelAt(plan, i, depth);
  const wire = plan.wire[i];
  if (occurrenceWire === Wire.Bytes && wire !== Wire.Bytes) {
    // Packed numbers: one line per value.
    const width = wire === Wire.Fixed64 ? 8 : wire === Wire.Fixed32 ? 4 : 0;
    for (let at = s; at < e; ) {
      const next = width ? at + width : skipVarint(bytes, at, e);
      if (next > e) throw new WireTextError(`packed field ${f.name} runs past its end`);
      writeScalarLine(out, label, plan, i, bytes, at, next);
      at = next;
    }
    return;
  }
  writeScalarLine(out, label, plan, i, bytes, s, e);
}

/**
 * A map<string, V> from its entries (Go sorts the keys; for valid UTF-8, byte order). Returns false for
 * entries the object printer should take: a missing key or value, other fields, non-string keys.
 */
function writeWireMap(out: TextSink, depth: number, bytes: Uint8Array, plan: WirePlan, i: number, first: number): boolean {
  const f = plan.fields[i];
  if (f.mapKeyType !== 'string') return false;
  const valuePlan = mapValuePlan(f);
  const read: { key: Uint8Array; s: number; e: number }[] = [];
  let ordered = true;
  for (let k = first; k >= 0; k = occNext[k]) {
    const entry = readMapEntry(bytes, occStart[k], occEnd[k], valuePlan.wire);
    if (!entry) return false;
    if (ordered && read.length > 0 && compareBytes(read[read.length - 1].key, entry.key) >= 0) ordered = false;
    read.push(entry);
  }
  let sorted = read;
  if (!ordered) {
    // The same key twice: the last one wins, as in the decoded object. latin1 keeps one code unit per
    // byte, so string order is byte order.
    const byKey = new Map<string, { key: Uint8Array; s: number; e: number }>();
    for (const entry of read) byKey.set(Buffer.from(entry.key.buffer, entry.key.byteOffset, entry.key.length).toString('latin1'), entry);
    sorted = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => byKey.get(key)!);
  }
  const inner = indentBytesAt(depth + 1);
  for (const { key: keyBytes, s, e } of sorted) {
    out.bytes(openingAt(plan, i, depth));
    out.bytes(inner);
    out.bytes(KEY);
    writeQuotedBytes(out, keyBytes);
    out.byte(0x0a);
    out.bytes(inner);
    if (f.mapValueIsMessage) {
      out.bytes(VALUE_OPENING);
      writeWireMessage(out, depth + 2, bytes, childPlan(plan, i), s, e);
      out.bytes(closingAt(depth + 1));
    } else {
      out.bytes(VALUE);
      writeScalar(out, plan, i, bytes, s, e);
      out.byte(0x0a);
    }
    out.bytes(closingAt(depth));
  }
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The value of a map field printed with the map field's own scalar printer (it knows the value type). */
function mapValuePlan(f: FieldPlan): { field: FieldPlan; wire: Wire } {
  return { field: f, wire: f.mapValueIsMessage ? Wire.Bytes : scalarWireType(f) };
}

/** Key (field 1, valid UTF-8) and value (field 2) of one map entry; undefined for anything else. */
function readMapEntry(bytes: Uint8Array, start: number, end: number, valueWire: Wire): { key: Uint8Array; s: number; e: number } | undefined {
  let key: Uint8Array | undefined;
  let s = -1;
  let e = -1;
  let at = start;
  while (at < end) {
    const tag = readVarint32(bytes, at, end);
    at = varintEnd;
    const wire = tag & 7;
    const number = tag >>> 3;
    let valueStart = at;
    if (wire === Wire.Bytes) {
      const length = readVarint32(bytes, at, end) >>> 0;
      valueStart = varintEnd;
      at = valueStart + length;
    } else if (wire === Wire.Varint) {
      at = skipVarint(bytes, at, end);
    } else if (wire === Wire.Fixed64) {
      at += 8;
    } else if (wire === Wire.Fixed32) {
      at += 4;
    } else {
      return undefined;
    }
    if (at > end) throw new WireTextError(`map entry runs past its end (offset ${at} > ${end})`);
    if (number === 1 && wire === Wire.Bytes) {
      if (!validUtf8(bytes, valueStart, at)) return undefined;
      key = bytes.subarray(valueStart, at);
    } else if (number === 2 && wire === valueWire) {
      if (s >= 0 && valueWire === Wire.Bytes) return undefined; // a message value twice is merged
      s = valueStart;
      e = at;
    } else {
      return undefined;
    }
  }
  if (!key || s < 0) return undefined;
  return { key, s, e };
}

/** Whether bytes[start, end) is UTF-8 (what protobufjs decodes and the printer re-encodes unchanged). */
function validUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  // Most strings are short ASCII: checked here without a native call.
  if (end - start <= 64) {
    let i = start;
    while (i < end && bytes[i] < 0x80) i++;
    if (i === end) return true;
  }
  return isUtf8(bytes.subarray(start, end));
}

/** Whether a proto3 scalar's value is Go's zero (then it is not printed). */
function isZeroOnWire(scalar: Scalar, bytes: Uint8Array, s: number, e: number): boolean {
  switch (scalar) {
    case Scalar.Bytes:
      return s === e;
    case Scalar.Float:
      return readFloat(bytes, s) === 0;
    case Scalar.Double:
      return readDouble(bytes, s) === 0;
    case Scalar.Fixed32:
    case Scalar.Sfixed32:
    case Scalar.Fixed64:
    case Scalar.Sfixed64:
      for (let i = s; i < e; i++) if (bytes[i] !== 0) return false;
      return true;
    case Scalar.Int64:
    case Scalar.Uint64:
    case Scalar.Sint64:
      readVarint64(bytes, s, e);
      return varintLow === 0 && varintHigh === 0;
    default:
      // 32-bit kinds (and bool, enums) look at the low 32 bits only, as protobufjs does.
      readVarint64(bytes, s, e);
      return varintLow === 0;
  }
}

/**
 * Field i's scalar value in bytes[s, e), read as protobufjs reads it and printed as the object printer's
 * scalar printer prints it: 64-bit integers and enum names directly (no Long object, no BigInt), the
 * rest by that printer.
 */
function writeScalar(out: TextSink, plan: WirePlan, i: number, bytes: Uint8Array, s: number, e: number): void {
  const scalar = plan.scalars[i] as Scalar;
  switch (scalar) {
    case Scalar.Bytes:
      writeQuotedBytes(out, bytes, s, e);
      return;
    case Scalar.Int64:
      readVarint64(bytes, s, e);
      writeInt64(out, varintLow, varintHigh);
      return;
    case Scalar.Uint64:
      readVarint64(bytes, s, e);
      writeUint64(out, varintLow, varintHigh);
      return;
    case Scalar.Sint64: {
      readVarint64(bytes, s, e);
      const mask = -(varintLow & 1);
      writeInt64(out, (((varintLow >>> 1) | (varintHigh << 31)) ^ mask) >>> 0, ((varintHigh >>> 1) ^ mask) >>> 0);
      return;
    }
    case Scalar.Fixed64:
      writeUint64(out, view(bytes).getUint32(s, true), view(bytes).getUint32(s + 4, true));
      return;
    case Scalar.Sfixed64:
      writeInt64(out, view(bytes).getUint32(s, true), view(bytes).getUint32(s + 4, true));
      return;
    case Scalar.Enum: {
      const value = readVarint32(bytes, s, e) | 0;
      const name = enumNameAt(plan, i, value);
      if (name) out.bytes(name);
      else plan.fields[i].scalar(out, value);
      return;
    }
    default:
      plan.fields[i].scalar(out, scalarValue(scalar, bytes, s, e));
  }
}

/** A 32-bit or floating-point scalar's value, as protobufjs reads it. */
function scalarValue(scalar: Scalar, bytes: Uint8Array, s: number, e: number): unknown {
  switch (scalar) {
    case Scalar.Double:
      return readDouble(bytes, s);
    case Scalar.Float:
      return readFloat(bytes, s);
    case Scalar.Fixed32:
      return view(bytes).getUint32(s, true);
    case Scalar.Sfixed32:
      return view(bytes).getInt32(s, true);
    case Scalar.Bool:
      return (readVarint32(bytes, s, e) >>> 0) !== 0;
    case Scalar.Uint32:
      return readVarint32(bytes, s, e) >>> 0;
    case Scalar.Sint32: {
      const n = readVarint32(bytes, s, e);
      return ((n >>> 1) ^ -(n & 1)) | 0;
    }
    default:
      return readVarint32(bytes, s, e) | 0; // int32
  }
}

// Varint reading. Results in module state (no allocation): the end of the last varint, and the two
// halves of the last 64-bit one.
let varintEnd = 0;
let varintLow = 0;
let varintHigh = 0;

/** The low 32 bits of a varint of up to 10 bytes, as protobufjs' uint32() reads it. */
function readVarint32(bytes: Uint8Array, at: number, end: number): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (at >= end) throw new WireTextError(`varint cut off at offset ${at}`);
    const b = bytes[at++];
    value |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      varintEnd = at;
      return value;
    }
  }
  // Longer (a negative int32 is sign-extended to 10 bytes): the high bytes are skipped.
  for (let i = 0; i < 5; i++) {
    if (at >= end) throw new WireTextError(`varint cut off at offset ${at}`);
    if (bytes[at++] < 0x80) {
      varintEnd = at;
      return value;
    }
  }
  throw new WireTextError(`varint longer than 10 bytes at offset ${at}`);
}

function readVarint64(bytes: Uint8Array, at: number, end: number): void {
  let low = 0;
  let high = 0;
  for (let i = 0; i < 10; i++) {
    if (at >= end) throw new WireTextError(`varint cut off at offset ${at}`);
    const b = bytes[at++];
    if (i < 4) low |= (b & 0x7f) << (7 * i);
    else if (i === 4) {
      low |= (b & 0x0f) << 28;
      high |= (b & 0x7f) >> 4;
    } else high |= (b & 0x7f) << (7 * i - 32);
    if (b < 0x80) {
      varintEnd = at;
      varintLow = low >>> 0;
      varintHigh = high >>> 0;
      return;
    }
  }
  throw new WireTextError(`varint longer than 10 bytes at offset ${at}`);
}

function skipVarint(bytes: Uint8Array, at: number, end: number): number {
  for (let i = 0; i < 10; i++) {
    if (at >= end) throw new WireTextError(`varint cut off at offset ${at}`);
    if (bytes[at++] < 0x80) return at;
  }
  throw new WireTextError(`varint longer than 10 bytes at offset ${at}`);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readFloat(bytes: Uint8Array, at: number): number {
  return view(bytes).getFloat32(at, true);
}

function readDouble(bytes: Uint8Array, at: number): number {
  return view(bytes).getFloat64(at, true);
}
