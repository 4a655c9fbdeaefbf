// The one varint reader of the hand-written fast paths (records, entry headers, MaybeEncryptedRecord).
// It reads only what it can read exactly and as protobufjs would; anything else is left to protobufjs.

/** Where the last readShortVarint ended (a module variable: no result object per call). */
export let varintEnd = 0;

/**
 * The varint at bytes[p] if it takes at most `maxBytes` bytes (at most 7: below 2^49, exact as a number),
 * else -1 (longer, or cut off by `end`). Lengths and uint32 fields pass 5, the most a canonical uint32
 * takes: protobufjs keeps only the low 32 bits of a longer one, so those are left to it.
 */
export function readShortVarint(bytes: Uint8Array, p: number, end: number, maxBytes: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes && p < end; i++) {
    const b = bytes[p++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      varintEnd = p;
      return value;
    }
    scale *= 128;
  }
  return -1;
}
