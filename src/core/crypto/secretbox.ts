// NaCl secretbox (XSalsa20-Poly1305), which Node's crypto module lacks; tweetnacl is the audited
// reference port. SwarmKit stores the tag first, then the ciphertext: the standard NaCl "easy" layout.
import nacl from 'tweetnacl';

export const SECRETBOX_KEY_BYTES = 32;
export const SECRETBOX_NONCE_BYTES = 24;

/** Returns the plaintext, or undefined when the key does not authenticate the box. */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  if (key.length !== SECRETBOX_KEY_BYTES || nonce.length !== SECRETBOX_NONCE_BYTES) return undefined;
  if (box.length < nacl.secretbox.overheadLength) return undefined;
  return nacl.secretbox.open(box, nonce, key) ?? undefined;
}

export function secretboxSeal(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return nacl.secretbox(plain, nonce, key);
}
