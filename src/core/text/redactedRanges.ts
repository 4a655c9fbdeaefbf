// Which bytes of a message the redacted wire printing (wireText.ts under a WireRedaction) never reads:
// the values of bytes fields that a `text` rule prints as a fixed text (a secret's or config's data).
// The walk follows the rules as the printer does (by field name, `nested` rules into the field's
// message, every occurrence), reading only tags and lengths. Whatever it is unsure of it leaves in:
// a string field (the printer checks its UTF-8), a map, a field the schema lacks; and where the bytes do
// not parse it gives up, so the caller reads everything. (Where the printer itself leaves a message
// under a rule to the object printer, the entry is printed again from the sealed record, whole.)
import { Type } from 'protobufjs/light';
import { readShortVarint, varintEnd } from '../proto/varint';
import type { WireRedaction } from './wireText';

/** The message's bytes, readable once `need` has been called for a range (a box decrypted on demand). */
export interface PartlyReadable {
  readonly bytes: Uint8Array;
  need(from: number, to: number): void;
}

const MAX_VARINT_BYTES = 10;
const MAX_UINT32 = 0xffffffff;

/**
 * Appends the skippable ranges of the `type` message in bytes[start, end) to `ranges` as start, end
 * pairs in ascending order. False where the bytes do not parse (then `ranges` is to be ignored).
 */
export function findRedactedRanges(source: PartlyReadable, type: Type, redaction: WireRedaction, start: number, end: number, ranges: number[]): boolean {
  const bytes = source.bytes;
  let at = start;
  while (at < end) {
    source.need(at, Math.min(end, at + 2 * MAX_VARINT_BYTES));
    const tag = readShortVarint(bytes, at, end, 5);
    if (tag < 0 || tag > MAX_UINT32) return false;
    at = varintEnd;
    const wire = tag % 8;
    const field = type.fieldsById[Math.floor(tag / 8)];
    if (wire === 0) {
      const last = Math.min(end, at + MAX_VARINT_BYTES);
      while (at < last && bytes[at] >= 0x80) at++;
      if (at === last) return false; // longer than a varint, or cut off
      at++;
    } else if (wire === 1) {
      at += 8;
    } else if (wire === 5) {
      at += 4;
    } else if (wire === 2) {
      const length = readShortVarint(bytes, at, end, 5);
      if (length < 0 || length > MAX_UINT32) return false;
      const valueStart = varintEnd;
      at = valueStart + length;
      if (at > end) return false;
      const rule = field ? redaction.byName[field.name] : undefined;
      if (rule === undefined || field.map) continue;
      if ('text' in rule && field.type === 'bytes') {
        ranges.push(valueStart, at);
      } else if ('nested' in rule && field.resolvedType instanceof Type) {
        if (!findRedactedRanges(source, field.resolvedType, rule.nested, valueStart, at, ranges)) return false;
      }
    } else {
      return false; // groups and invalid wire types: left to the printer and protobufjs
    }
  }
  return at === end;
}
