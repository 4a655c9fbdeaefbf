// A decoded protobuf message as an expandable tree of fields for the detail view: fields in declaration
// order, unset/zero fields left out (as the text format does), enums by name, 64-bit integers exact,
// timestamps as RFC 3339 dates, bytes as text when they are printable UTF-8 and as hex otherwise.
// Hidden fields (see hidden.ts) carry only their size and a reveal path, never their value.
import Long from 'long';
import { Enum, type Field, type MapField, type Type } from 'protobufjs/light';
import type { FieldNode } from '../../shared/protocol';
import { byteLength, isHiddenPath } from './hidden';

type Fields = Record<string, unknown>;

export interface FieldTreeOptions {
  /** Object kind for the hidden-field rules ('secret', 'config', 'cluster', ...). */
  kind: string;
  /** Prefix of every reveal path this tree hands out (names the entry action or snapshot object). */
  revealPrefix: string;
}

const MAX_INLINE_BYTES = 4096;

export function messageTree(name: string, message: unknown, type: Type, options: FieldTreeOptions): FieldNode {
  return { name, children: fieldsOf(message as Fields, type, options, []) };
}

function fieldsOf(msg: Fields, type: Type, options: FieldTreeOptions, path: string[]): FieldNode[] {
  const out: FieldNode[] = [];
  for (const field of type.fieldsArray) {
    field.resolve();
    const value = msg[field.name];
    const fieldPath = [...path, field.name];
    if (field.map) {
      const entries = Object.entries((value ?? {}) as Fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) continue;
      out.push({
        name: field.name,
        children: entries.map(([k, v]) => valueNode(k, field as unknown as MapField, v, options, [...fieldPath, k])),
      });
    } else if (field.repeated) {
      const items = (value ?? []) as unknown[];
      if (items.length === 0) continue;
      out.push({ name: field.name, children: items.map((item, i) => valueNode(`[${i}]`, field, item, options, [...fieldPath, String(i)])) });
    } else if (isSet(field, value, msg)) {
      out.push(valueNode(field.name, field, value, options, fieldPath));
    }
  }
  return out;
}

function isSet(field: Field, value: unknown, msg: Fields): boolean {
  if (value === undefined || value === null) return false;
  if (field.partOf) {
    // A oneof member is shown when it is the one held, even when zero.
    const held = msg[field.partOf.name];
    return typeof held === 'string' ? held === field.name : true;
  }
  if (field.resolvedType && !(field.resolvedType instanceof Enum)) return true;
  return !isZero(value);
}

function isZero(value: unknown): boolean {
  if (value === 0 || value === false || value === '') return true;
  if (value instanceof Uint8Array) return value.length === 0;
  if (Long.isLong(value)) return (value as Long).isZero();
  return false;
}

function valueNode(name: string, field: Field | MapField, value: unknown, options: FieldTreeOptions, path: string[]): FieldNode {
  const resolved = field.resolvedType;
  if (isHiddenPath(options.kind, path) && (value instanceof Uint8Array || typeof value === 'string')) {
    return { name, hidden: { bytes: byteLength(value), revealPath: `${options.revealPrefix}${path.join('.')}` } };
  }
  if (resolved instanceof Enum) {
    const n = typeof value === 'number' ? value : Number(value);
    return { name, value: resolved.valuesById[n] ?? String(value) };
  }
  if (resolved) {
    const type = resolved as Type;
    if (type.fullName === '.google.protobuf.Timestamp') return { name, value: timestampText(value as Fields) };
    if (type.fullName === '.google.protobuf.Duration') return { name, value: durationText(value as Fields) };
    return { name, children: fieldsOf((value ?? {}) as Fields, type, options, path) };
  }
  return { name, value: scalarText(field.type, value) };
}

export function scalarText(type: string, value: unknown): string {
  if (value instanceof Uint8Array) return bytesText(value);
  if (Long.isLong(value)) return exactLong(value as Long, type);
  if (typeof value === 'number' && (type === 'double' || type === 'float')) return String(value);
  return String(value);
}

function exactLong(v: Long, type: string): string {
  const unsigned = type === 'uint64' || type === 'fixed64';
  const big = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return (!unsigned && big >= 1n << 63n ? big - (1n << 64n) : big).toString();
}

/** Printable UTF-8 as text; anything else as hex, with the size. */
export function bytesText(bytes: Uint8Array): string {
  const text = printableUtf8(bytes);
  if (text !== undefined) return bytes.length > MAX_INLINE_BYTES ? `${text.slice(0, MAX_INLINE_BYTES)}… (${bytes.length} bytes)` : text;
  const shown = Buffer.from(bytes.subarray(0, 64)).toString('hex');
  return `0x${shown}${bytes.length > 64 ? '…' : ''} (${bytes.length} bytes)`;
}

export function printableUtf8(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text) ? undefined : text;
}

function num(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  if (Long.isLong(v)) return BigInt((v as Long).toString());
  return BigInt(Math.trunc(Number(v)));
}

/** google.protobuf.Timestamp as RFC 3339 in UTC with the nanoseconds kept. */
export function timestampText(ts: Fields | undefined): string {
  const seconds = num(ts?.seconds);
  const nanos = Number(ts?.nanos ?? 0);
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${seconds}s ${nanos}ns`;
  const base = date.toISOString().replace(/\.\d{3}Z$/, '');
  return nanos ? `${base}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z` : `${base}Z`;
}

export function durationText(d: Fields | undefined): string {
  const seconds = num(d?.seconds);
  const nanos = Number(d?.nanos ?? 0);
  if (!nanos) return `${seconds}s`;
  const frac = String(Math.abs(nanos)).padStart(9, '0').replace(/0+$/, '');
  const sign = seconds < 0n || nanos < 0 ? '-' : '';
  const abs = seconds < 0n ? -seconds : seconds;
  return `${sign}${abs}.${frac}s`;
}

/** The value at a field path (names and list positions) of a decoded message, or undefined. */
export function valueAtPath(message: unknown, path: readonly string[]): unknown {
  let cur: unknown = message;
  for (const p of path) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) cur = /^\d+$/.test(p) ? cur[Number(p)] : undefined;
    else if (typeof cur === 'object') cur = (cur as Fields)[p];
    else return undefined;
  }
  return cur;
}
