// NaCl secretbox (XSalsa20-Poly1305), which Node's crypto module lacks. SwarmKit stores the tag first,
// then the ciphertext: the standard NaCl "easy" layout.
// Two implementations of the same function: libsodium (WebAssembly, ~3.7x faster on the 100 KB+
// records of a busy log) once loadFastSecretbox() has resolved — it can only start asynchronously —
// and tweetnacl, the synchronous reference port, until then. Both give identical results.
import nacl from 'tweetnacl';

export const SECRETBOX_KEY_BYTES = 32;
export const SECRETBOX_NONCE_BYTES = 24;

interface SodiumSecretbox {
  crypto_secretbox_open_easy(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  crypto_secretbox_easy(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
}

let sodium: SodiumSecretbox | undefined;
let loading: Promise<void> | undefined;

/**
 * Switches secretbox to libsodium. Safe to call many times; never rejects (on failure tweetnacl stays).
 * SWARM_RAFT_SECRETBOX=tweetnacl keeps the reference port (for comparisons in tests and the benchmark).
 */
export function loadFastSecretbox(): Promise<void> {
  if (process.env.SWARM_RAFT_SECRETBOX === 'tweetnacl') return Promise.resolve();
  loading ??= import('libsodium-wrappers').then(
    async (mod) => {
      const lib = mod.default;
      await lib.ready;
      sodium = lib;
    },
    () => undefined,
  ).catch(() => undefined);
  return loading;
}

export function secretboxBackend(): 'libsodium' | 'tweetnacl' {
  return sodium ? 'libsodium' : 'tweetnacl';
}

/** Returns the plaintext, or undefined when the key does not authenticate the box. */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  if (key.length !== SECRETBOX_KEY_BYTES || nonce.length !== SECRETBOX_NONCE_BYTES) return undefined;
  if (box.length < nacl.secretbox.overheadLength) return undefined;
  if (!sodium) return nacl.secretbox.open(box, nonce, key) ?? undefined;
  try {
    return sodium.crypto_secretbox_open_easy(box, nonce, key);
  } catch {
    return undefined; // libsodium throws where tweetnacl returns null: the tag did not verify
  }
}

export function secretboxSeal(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return sodium ? sodium.crypto_secretbox_easy(plain, nonce, key) : nacl.secretbox(plain, nonce, key);
}
