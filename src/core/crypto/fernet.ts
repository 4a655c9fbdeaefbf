// Fernet tokens (AES-128-CBC + HMAC-SHA256), as SwarmKit's FIPS mode writes them: the record holds the
// token as base64url text with padding. Key bytes 0-15 sign, 16-31 encrypt. No TTL check (logs are old).
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

const VERSION = 0x80;
const HEADER_BYTES = 1 + 8 + 16; // version, big-endian time, IV
const HMAC_BYTES = 32;

/** Returns the plaintext, or undefined when the token is malformed or the key does not verify it. */
export function fernetOpen(tokenText: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  if (key.length !== 32) return undefined;
  const token = Buffer.from(Buffer.from(tokenText).toString('latin1'), 'base64url');
  if (token.length < HEADER_BYTES + 16 + HMAC_BYTES || token[0] !== VERSION) return undefined;
  const signed = token.subarray(0, token.length - HMAC_BYTES);
  const mac = createHmac('sha256', key.subarray(0, 16)).update(signed).digest();
  if (!timingSafeEqual(mac, token.subarray(token.length - HMAC_BYTES))) return undefined;
  const ciphertext = token.subarray(HEADER_BYTES, token.length - HMAC_BYTES);
  if (ciphertext.length % 16 !== 0) return undefined;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key.subarray(16, 32), token.subarray(9, 25));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined; // bad padding despite a valid HMAC: treat as undecryptable
  }
}

/** Builds a token (for the writer and tests); `timeSeconds` and `iv` make it deterministic. */
export function fernetSeal(plain: Uint8Array, key: Uint8Array, timeSeconds: bigint, iv: Uint8Array): Uint8Array {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = VERSION;
  header.writeBigUInt64BE(timeSeconds, 1);
  Buffer.from(iv).copy(header, 9);
  const cipher = createCipheriv('aes-128-cbc', key.subarray(16, 32), iv);
  const body = Buffer.concat([header, cipher.update(plain), cipher.final()]);
  const mac = createHmac('sha256', key.subarray(0, 16)).update(body).digest();
  return Buffer.from(Buffer.concat([body, mac]).toString('base64url').padEnd(Math.ceil((body.length + 32) / 3) * 4, '='), 'latin1');
}
