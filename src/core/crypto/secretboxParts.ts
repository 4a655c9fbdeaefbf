// A NaCl secretbox authenticated whole and decrypted in parts: for an export that prints a big box's
// bytes only in part (--redact replaces a secret's or config's data with a fixed text), opening the
// whole box decrypts megabytes that are never printed. The Poly1305 tag is checked over the whole
// ciphertext first, exactly as opening would check it: a box that does not verify is not read at all.
// XSalsa20's keystream byte 32 + i encrypts plaintext byte i (the first 32 are the Poly1305 key), so a
// part starting at any 64-byte block decrypts with Salsa20 under the HSalsa20 subkey from that block on.
import { hsalsa20 } from './hsalsa20';
import { opensslPoly1305 } from './poly1305';
import { nativeStream, SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES, SECRETBOX_TAG_BYTES as TAG_BYTES, type NativeStream } from './secretbox';

const BLOCK = 64;
/** Keystream bytes in front of the first plaintext byte: the Poly1305 key. */
const KEY_STREAM_BYTES = 32;

/** A box whose tag verified: its plaintext, decrypted on demand. */
export interface AuthenticatedBox {
  /** Bytes of plaintext. */
  readonly length: number;
  /** Writes plaintext bytes [from, to) into `plain` at the same positions (and maybe up to 63 before `from`). */
  decrypt(plain: Uint8Array, from: number, to: number): void;
  /** Forgets the subkey and the first keystream block. */
  dispose(): void;
}

/** Whether boxes can be opened in parts here (the native addon loads). */
export function secretboxPartsAvailable(): boolean {
  return nativeStream() !== undefined;
}

/**
 * The box, once its tag verified under `key`; undefined when it does not (or secretboxPartsAvailable() is
 * false). `tagChecked`: the caller checked these very bytes' tag under this key and nonce already (the
 * record prefetch thread), so only the keys for decrypting are derived.
 */
export function authenticateSecretbox(box: Uint8Array, nonce: Uint8Array, key: Uint8Array, tagChecked = false): AuthenticatedBox | undefined {
  const lib = nativeStream();
  if (!lib || key.length !== SECRETBOX_KEY_BYTES || nonce.length !== SECRETBOX_NONCE_BYTES || box.length < TAG_BYTES) return undefined;
  const firstBlock = new Uint8Array(BLOCK);
  succeeded(lib.crypto_stream(firstBlock, nonce, key));
  const ciphertext = box.subarray(TAG_BYTES);
  const tag = box.subarray(0, TAG_BYTES);
  const polyKey = firstBlock.subarray(0, KEY_STREAM_BYTES);
  const openssl = opensslPoly1305();
  if (!tagChecked && !(openssl ? openssl(tag, ciphertext, polyKey) : lib.crypto_onetimeauth_verify(tag, ciphertext, polyKey))) {
    firstBlock.fill(0);
    return undefined;
  }
  return new PartsOfBox(lib, ciphertext, firstBlock, hsalsa20(key, nonce.subarray(0, 16)), nonce.slice(16));
}

class PartsOfBox implements AuthenticatedBox {
  constructor(
    private readonly lib: NativeStream,
    private readonly ciphertext: Uint8Array,
    /** XSalsa20's first keystream block: the Poly1305 key, then the keystream of plaintext bytes 0-31. */
    private readonly firstBlock: Uint8Array,
    private readonly subkey: Uint8Array,
    private readonly salsaNonce: Uint8Array,
  ) {}

  get length(): number {
    return this.ciphertext.length;
  }

  decrypt(plain: Uint8Array, from: number, to: number): void {
    to = Math.min(to, this.length);
    let p = Math.max(0, from);
    for (; p < to && p < BLOCK - KEY_STREAM_BYTES; p++) plain[p] = this.ciphertext[p] ^ this.firstBlock[KEY_STREAM_BYTES + p];
    if (p >= to) return;
    const block = (p + KEY_STREAM_BYTES) >>> 6; // >= 1
    const start = block * BLOCK - KEY_STREAM_BYTES; // the plaintext byte that block starts at
    succeeded(this.lib.crypto_stream_salsa20_xor_ic(plain.subarray(start, to), this.ciphertext.subarray(start, to), this.salsaNonce, block, this.subkey));
  }

  dispose(): void {
    this.firstBlock.fill(0);
    this.subkey.fill(0);
  }
}

function succeeded(status: number | undefined): void {
  if (status !== undefined && status !== 0) throw new Error(`secretbox: libsodium status ${status}`);
}
