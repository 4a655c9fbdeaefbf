// Reading SwarmKit's decoded protobuf objects (protobufjs, .proto field names) as the Engine API's JSON
// types read them: 64-bit values exact, durations in nanoseconds, enums as the API's lower-case words.
import { toI64, toU64, type Int64 } from '../codec';

/** A decoded protobuf message as a plain record. */
export type Pb = Record<string, unknown>;

/** A JSON value of the Engine API; 64-bit integers beyond 2^53 stay bigint (written as exact digits). */
export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A message field, or undefined when absent (protobufjs gives null for unset message fields). */
export function msg(o: Pb | undefined, key: string): Pb | undefined {
  const v = o?.[key];
  return v === null || v === undefined || typeof v !== 'object' ? undefined : (v as Pb);
}

export function str(o: Pb | undefined, key: string): string {
  const v = o?.[key];
  return typeof v === 'string' ? v : '';
}

export function num(o: Pb | undefined, key: string): number {
  const v = o?.[key];
  return typeof v === 'number' ? v : 0;
}

export function bool(o: Pb | undefined, key: string): boolean {
  return o?.[key] === true;
}

export function list<T = unknown>(o: Pb | undefined, key: string): T[] {
  const v = o?.[key];
  return Array.isArray(v) ? (v as T[]) : [];
}

export function strMap(o: Pb | undefined, key: string): Record<string, string> {
  const v = o?.[key];
  if (!v || typeof v !== 'object') return {};
  return { ...(v as Record<string, string>) };
}

/** A JSON number when exact, else the bigint (Go's JSON writes every int64 exactly). */
export function exact(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function i64(o: Pb | undefined, key: string): number | bigint {
  return exact(toI64(o?.[key] as Int64));
}

export function u64(o: Pb | undefined, key: string): number | bigint {
  return exact(toU64(o?.[key] as Int64));
}

/** google.protobuf.Duration as Go's time.Duration (int64 nanoseconds). */
export function durationNs(d: Pb): number | bigint {
  return exact(toI64(d.seconds as Int64) * 1_000_000_000n + BigInt(num(d, 'nanos')));
}

/** The name of a protobuf enum value, as the Engine API spells it (lower case, `_` -> `-`). */
export function enumWord(names: readonly string[], value: unknown): string {
  const n = typeof value === 'number' ? value : 0;
  return (names[n] ?? String(n)).toLowerCase().replace(/_/g, '-');
}

export function base64(bytes: unknown): string {
  return bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : '';
}

/** Sets `key` only when the value is not empty ("" / 0 / false / [] / {}), as Go's `omitempty` writes. */
export function put(target: JsonObject, key: string, value: Json | undefined): void {
  if (value === undefined || value === null || value === '' || value === 0 || value === 0n || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return;
  target[key] = value;
}

/** JSON text with bigint written as its exact digits. */
export function jsonText(value: unknown, indent = 2): string {
  const marks: string[] = [];
  // A marker no string in the data holds (checked), replaced by the digits after stringify.
  let tag = 'bigint';
  const plain = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);
  while (plain.includes(tag)) tag += '_';
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    marks.push(v.toString());
    return `${tag}${marks.length - 1}${tag}`;
  }, indent);
  if (!marks.length) return text;
  return text.replace(new RegExp(`"${tag}(\\d+)${tag}"`, 'g'), (_m, i: string) => marks[Number(i)]);
}
