// HSalsa20 (Bernstein, "Extending the Salsa20 nonce"): the step that turns XSalsa20's key and the first 16
// bytes of its 24-byte nonce into the Salsa20 key of that nonce. sodium-native does not export it, and
// with it a sealed box's keystream can start at any 64-byte block (Salsa20 with a block counter):
// src/core/crypto/secretboxParts.ts decrypts only the parts of a box that are printed.

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]; // "expand 32-byte k"

function word(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** The 32-byte Salsa20 key XSalsa20 uses for `nonce16` (the first 16 bytes of its nonce) under `key`. */
export function hsalsa20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  // Sixteen locals rather than an array: a log has a few big entries, and each call runs mostly in V8's
  // interpreter, where locals and inline rotations cost a fraction of typed-array accesses and calls.
  let x0 = SIGMA[0], x5 = SIGMA[1], x10 = SIGMA[2], x15 = SIGMA[3];
  let x1 = word(key, 0), x2 = word(key, 4), x3 = word(key, 8), x4 = word(key, 12);
  let x11 = word(key, 16), x12 = word(key, 20), x13 = word(key, 24), x14 = word(key, 28);
  let x6 = word(nonce16, 0), x7 = word(nonce16, 4), x8 = word(nonce16, 8), x9 = word(nonce16, 12);
  let t: number;
  for (let round = 0; round < 20; round += 2) {
    // Column round, then row round (the Salsa20 double round); each step adds two words, rotates the sum
    // left and xors it into a third.
    t = ((x0 + x12) | 0); x4 ^= (t << 7) | (t >>> 25); t = ((x4 + x0) | 0); x8 ^= (t << 9) | (t >>> 23); t = ((x8 + x4) | 0); x12 ^= (t << 13) | (t >>> 19); t = ((x12 + x8) | 0); x0 ^= (t << 18) | (t >>> 14);
    t = ((x5 + x1) | 0); x9 ^= (t << 7) | (t >>> 25); t = ((x9 + x5) | 0); x13 ^= (t << 9) | (t >>> 23); t = ((x13 + x9) | 0); x1 ^= (t << 13) | (t >>> 19); t = ((x1 + x13) | 0); x5 ^= (t << 18) | (t >>> 14);
    t = ((x10 + x6) | 0); x14 ^= (t << 7) | (t >>> 25); t = ((x14 + x10) | 0); x2 ^= (t << 9) | (t >>> 23); t = ((x2 + x14) | 0); x6 ^= (t << 13) | (t >>> 19); t = ((x6 + x2) | 0); x10 ^= (t << 18) | (t >>> 14);
    t = ((x15 + x11) | 0); x3 ^= (t << 7) | (t >>> 25); t = ((x3 + x15) | 0); x7 ^= (t << 9) | (t >>> 23); t = ((x7 + x3) | 0); x11 ^= (t << 13) | (t >>> 19); t = ((x11 + x7) | 0); x15 ^= (t << 18) | (t >>> 14);
    t = ((x0 + x3) | 0); x1 ^= (t << 7) | (t >>> 25); t = ((x1 + x0) | 0); x2 ^= (t << 9) | (t >>> 23); t = ((x2 + x1) | 0); x3 ^= (t << 13) | (t >>> 19); t = ((x3 + x2) | 0); x0 ^= (t << 18) | (t >>> 14);
    t = ((x5 + x4) | 0); x6 ^= (t << 7) | (t >>> 25); t = ((x6 + x5) | 0); x7 ^= (t << 9) | (t >>> 23); t = ((x7 + x6) | 0); x4 ^= (t << 13) | (t >>> 19); t = ((x4 + x7) | 0); x5 ^= (t << 18) | (t >>> 14);
    t = ((x10 + x9) | 0); x11 ^= (t << 7) | (t >>> 25); t = ((x11 + x10) | 0); x8 ^= (t << 9) | (t >>> 23); t = ((x8 + x11) | 0); x9 ^= (t << 13) | (t >>> 19); t = ((x9 + x8) | 0); x10 ^= (t << 18) | (t >>> 14);
    t = ((x15 + x14) | 0); x12 ^= (t << 7) | (t >>> 25); t = ((x12 + x15) | 0); x13 ^= (t << 9) | (t >>> 23); t = ((x13 + x12) | 0); x14 ^= (t << 13) | (t >>> 19); t = ((x14 + x13) | 0); x15 ^= (t << 18) | (t >>> 14);
  }
  // No feed-forward (unlike the Salsa20 block function): words 0, 5, 10, 15 and 6-9.
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  const words = [x0, x5, x10, x15, x6, x7, x8, x9];
  for (let i = 0; i < 8; i++) view.setUint32(4 * i, words[i] >>> 0, true);
  return out;
}
