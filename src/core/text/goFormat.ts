// Go's spellings of the values the reference prints: quoted strings/bytes as golang/protobuf's text
// writer escapes them, floats as fmt's %v, and os.FileMode's String().
import { createWasmQuoter, type WasmQuoter } from './quoteWasm';
import { TextSink } from './textSink';

// Per byte: its escaped spelling as up to 4 ASCII bytes packed little-endian into one uint32 (1 byte when
// printable, 2 for \n-style, 4 for octal) and how many of them count. Byte by byte, so multi-byte UTF-8
// comes out as octal escapes too.
const ESCAPED = new Uint32Array(256);
const ESCAPED_LENGTH = new Uint8Array(256);
const NAMED_ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x22: '\\"', 0x5c: '\\\\' };
for (let b = 0; b < 256; b++) {
  const text = NAMED_ESCAPES[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\' + b.toString(8).padStart(3, '0'));
  ESCAPED_LENGTH[b] = text.length;
  let packed = 0;
  for (let i = 0; i < text.length; i++) packed |= text.charCodeAt(i) << (8 * i);
  ESCAPED[b] = packed >>> 0;
}

const utf8 = new TextEncoder();

/** Input bytes quoted per reservation: the sink grows by what the text needs, not 4x the whole input. */
const SLICE_BYTES = 16 * 1024;

/**
 * `"..."` with the text format's escapes, over the raw bytes (of bytes[start, end)), written into the
 * sink's buffer: secrets and configs can be hundreds of KB. Every byte stores all 4 bytes of its
 * spelling and advances by its length: no branch per byte (faster than choosing per byte, most on
 * binary data); the room reserved for a slice's worst case covers the 3 bytes written past its last.
 * Text (most configs) goes 4 bytes at a time while all 4 print as they are.
 */
export function writeQuotedBytes(sink: TextSink, bytes: Uint8Array, start = 0, end = bytes.length): void {
  sink.byte(0x22);
  if (end - start >= WASM_FROM_BYTES && useWasm) {
    const wasmQuoter = loadedWasmQuoter();
    if (wasmQuoter) {
      wasmQuoter.quote(sink, bytes, start, end);
      sink.byte(0x22);
      return;
    }
  }
  const input = end - start >= 64 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
  for (let from = start; from < end; from += SLICE_BYTES) {
    const to = Math.min(end, from + SLICE_BYTES);
    const out = sink.reserve((to - from) * 4);
    sink.commit(input ? quoteWords(input, bytes, from, to, viewOf(out), sink.length) : quoteBytes4(bytes, from, to, viewOf(out), sink.length));
  }
  sink.byte(0x22);
}

/**
 * From this many bytes on, values go to the WebAssembly loop (quoteWasm.ts; 3-4x faster on text): below
 * it, copying in and out of its memory costs more than it saves.
 */
export const WASM_FROM_BYTES = 4096;
/** null once the WebAssembly quoter failed to load (no SIMD): the JavaScript loop does all the work. */
let wasmQuoter: WasmQuoter | null | undefined;
let useWasm = true;

function loadedWasmQuoter(): WasmQuoter | null {
  return (wasmQuoter ??= createWasmQuoter(ESCAPED, ESCAPED_LENGTH) ?? null);
}

/** Whether big values are quoted by WebAssembly here (for the tests). */
export function wasmQuotingAvailable(): boolean {
  return loadedWasmQuoter() !== null;
}

/** For the tests: the JavaScript loop alone (false), or the WebAssembly one for big values (true, the default). */
export function setWasmQuoting(on: boolean): void {
  useWasm = on;
}

/** bytes[from, to) escaped into `out` at `o`, one byte at a time; returns the end. */
function quoteBytes4(bytes: Uint8Array, from: number, to: number, out: DataView, o: number): number {
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    out.setUint32(o, ESCAPED[b], true);
    o += ESCAPED_LENGTH[b];
  }
  return o;
}

/**
 * The same, copying each 4-byte word whose bytes all print as they are (0x20-0x7e but `"` and `\`) in
 * one store. The tests are the exact bit tricks "some byte < n", "some byte > n" and "some byte is zero"
 * (after XOR with the byte looked for), on int32s: a set top bit in the result marks a byte to escape.
 */
function quoteWords(input: DataView, bytes: Uint8Array, from: number, to: number, out: DataView, o: number): number {
  let i = from;
  const lastWord = to - 4;
  while (i <= lastWord) {
    const w = input.getInt32(i, true);
    const quote = w ^ 0x22222222;
    const backslash = w ^ 0x5c5c5c5c;
    const escape = ((w - 0x20202020) & ~w) | (w + 0x01010101) | w | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash);
    if ((escape & 0x80808080) === 0) {
      out.setInt32(o, w, true);
      o += 4;
      i += 4;
      continue;
    }
    o = quoteBytes4(bytes, i, i + 4, out, o);
    i += 4;
  }
  return quoteBytes4(bytes, i, to, out, o);
}

let viewed: Uint8Array | undefined;
let viewedAs: DataView | undefined;

/** A DataView of the sink's buffer, made again only when the buffer changes (most strings are short). */
function viewOf(out: Uint8Array): DataView {
  if (out !== viewed) {
    viewed = out;
    viewedAs = new DataView(out.buffer, out.byteOffset, out.byteLength);
  }
  return viewedAs!;
}

// Printable ASCII other than `"` and `\`: such strings (ids, names, most values) print as they are.
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string field: Go keeps strings as UTF-8 bytes and escapes them one by one. */
export function writeQuotedString(sink: TextSink, s: string): void {
  if (PLAIN_ASCII.test(s)) {
    sink.byte(0x22);
    sink.write(s);
    sink.byte(0x22);
  } else {
    writeQuotedBytes(sink, utf8.encode(s));
  }
}

export function quoteBytes(bytes: Uint8Array): string {
  const sink = new TextSink(bytes.length * 4 + 2);
  writeQuotedBytes(sink, bytes);
  return sink.toString();
}

/**
 * A float as Go's fmt %v prints it: strconv 'g' with the shortest digits that round-trip at the
 * value's own width (float32 or float64), e.g. 0.25, 1e-05, 1e+06, 1.234567e+06; non-finite values
 * use golang/protobuf's text spellings (inf, -inf, nan).
 */
export function formatGoFloat(value: number, bits: 32 | 64): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const { digits, exponent } = shortestDigits(Math.abs(value), bits);
  // strconv: %e when exp < -4 || exp >= eprec, and eprec is 6 when the precision is "shortest".
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  const pointAt = exponent + 1; // digits before the decimal point
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/** Shortest decimal digits (no trailing zeros) and base-10 exponent of the first digit. */
function shortestDigits(abs: number, bits: 32 | 64): { digits: string; exponent: number } {
  let text = abs.toExponential(); // shortest round-trip for a double
  if (bits === 32) {
    // A float32 needs at most 9 significant digits; take the fewest that map back to the same float32.
    for (let precision = 1; precision <= 9; precision++) {
      const candidate = abs.toExponential(precision - 1);
      if (Math.fround(Number(candidate)) === abs) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa, exp] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, exponent: Number(exp) };
}

/** os.FileMode.String(): type/permission letters, e.g. 0o444 -> "-r--r--r--", dir|0o755 -> "drwxr-xr-x". */
export function formatGoFileMode(mode: number): string {
  const typeLetters = 'dalTLDpSugct?'; // bits 31, 30, ... in this order
  let out = '';
  for (let i = 0; i < typeLetters.length; i++) {
    if ((mode >>> (31 - i)) & 1) out += typeLetters[i];
  }
  if (out === '') out = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) out += (mode >>> (8 - i)) & 1 ? rwx[i] : '-';
  return out;
}

/**
 * A non-negative integer below 2^53 in decimal, written into the sink's buffer (no string). Above 2^32
 * it is split at 10^9, where the float division cannot round across a multiple (see writeUint64).
 */
export function writeDecimal(sink: TextSink, n: number): void {
  if (n < 4294967296) {
    writeUint32Digits(sink, n, 0);
    return;
  }
  let high = Math.floor(n / 1e9);
  let low = n - high * 1e9;
  if (low < 0) {
    high--;
    low += 1e9;
  }
  writeUint32Digits(sink, high, 0);
  writeUint32Digits(sink, low, 9);
}

/**
 * The unsigned 64-bit integer high * 2^32 + low (both unsigned 32-bit) in decimal, exactly and without
 * BigInt (raft ids are random uint64s: one per entry). Below 2^53 a double holds it; above, it is
 * q * 10^6 + r with q = (high div 10^6) * 2^32 + ((high mod 10^6) * 2^32 + low) div 10^6, every step
 * below 2^53.
 */
export function writeUint64(sink: TextSink, low: number, high: number): void {
  if (high < 0x200000) {
    writeDecimal(sink, high * 4294967296 + low);
    return;
  }
  const highQuotient = Math.floor(high / 1e6);
  const middle = (high - highQuotient * 1e6) * 4294967296 + low;
  const middleQuotient = Math.floor(middle / 1e6);
  writeDecimal(sink, highQuotient * 4294967296 + middleQuotient);
  writeUint32Digits(sink, middle - middleQuotient * 1e6, 6);
}

/** The signed (two's complement) 64-bit integer of the halves, in decimal. */
export function writeInt64(sink: TextSink, low: number, high: number): void {
  if (high < 0x80000000) {
    writeUint64(sink, low, high);
    return;
  }
  sink.byte(0x2d); // '-', then the magnitude: the two's complement negated
  const negLow = (~low + 1) >>> 0;
  writeUint64(sink, negLow, (~high + (negLow === 0 ? 1 : 0)) >>> 0);
}

/** n (an integer in [0, 2^32)) in decimal, left-padded with zeros to `width` digits. */
function writeUint32Digits(sink: TextSink, n: number, width: number): void {
  let digits = digitCount(n);
  if (digits < width) digits = width;
  const buf = sink.reserve(digits);
  const start = sink.length;
  let at = start + digits;
  while (at - start >= 2) {
    // Two digits at a time, from a table.
    const q = (n / 100) >>> 0; // truncates: n < 2^32
    const pair = 2 * (n - q * 100);
    buf[--at] = DIGIT_PAIRS[pair + 1];
    buf[--at] = DIGIT_PAIRS[pair];
    n = q;
  }
  if (at > start) buf[start] = 0x30 + n; // an odd count: the first digit alone
  sink.commit(start + digits);
}

/** "00" to "99" as ASCII bytes. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i % 2 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

function digitCount(n: number): number {
  if (n < 100000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 5;
  return n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}
