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

/** The libsodium module under the wrappers (emscripten): its C functions and heap. */
interface RawSodium {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(address: number): void;
  _crypto_secretbox_open_easy(m: number, c: number, clenLow: number, clenHigh: number, n: number, k: number): number;
}

let sodium: SodiumSecretbox | undefined;
let raw: RawOpener | undefined;
let loading: Promise<void> | undefined;

/**
 * crypto_secretbox_open_easy called on one heap area kept between calls. The wrapper allocates, copies
 * and frees key, nonce, box and result on every call: most of the time on a log of small entries.
 */
class RawOpener {
  private area = 0;
  private areaBytes = 0;

  constructor(private readonly lib: RawSodium) {}

  open(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    const need = SECRETBOX_KEY_BYTES + SECRETBOX_NONCE_BYTES + 2 * box.length;
    if (need > this.areaBytes) {
      if (this.area) this.lib._free(this.area);
      this.areaBytes = Math.max(need, 64 * 1024);
      this.area = this.lib._malloc(this.areaBytes);
      if (!this.area) {
        this.areaBytes = 0;
        return sodiumOpen(box, nonce, key);
      }
    }
    const heap = this.lib.HEAPU8; // read after _malloc: a grown memory is a new array
    const k = this.area;
    const n = k + SECRETBOX_KEY_BYTES;
    const c = n + SECRETBOX_NONCE_BYTES;
    const m = c + box.length;
    heap.set(key, k);
    heap.set(nonce, n);
    heap.set(box, c);
    const opened = this.lib._crypto_secretbox_open_easy(m, c, box.length, 0, n, k) === 0;
    heap.fill(0, k, k + SECRETBOX_KEY_BYTES); // no data key left in the heap between calls
    return opened ? heap.slice(m, m + box.length - nacl.secretbox.overheadLength) : undefined;
  }
}

function isRawSodium(lib: unknown): lib is RawSodium {
  const l = lib as Partial<RawSodium> | undefined;
  return !!l && l.HEAPU8 instanceof Uint8Array && typeof l._malloc === 'function' && typeof l._free === 'function' && typeof l._crypto_secretbox_open_easy === 'function';
}

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
      const under = (lib as unknown as { libsodium?: unknown }).libsodium;
      raw = isRawSodium(under) ? new RawOpener(under) : undefined;
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
  return raw ? raw.open(box, nonce, key) : sodiumOpen(box, nonce, key);
}

/** Through the wrapper's API (when its module is not shaped as RawSodium expects). */
function sodiumOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  try {
    return sodium!.crypto_secretbox_open_easy(box, nonce, key);
  } catch {
    return undefined; // libsodium throws where tweetnacl returns null: the tag did not verify
  }
}

/** For the tests: both libsodium paths, to compare (after loadFastSecretbox). */
export const libsodiumOpenPaths = {
  direct: (box: Uint8Array, nonce: Uint8Array, key: Uint8Array) => raw?.open(box, nonce, key),
  wrapper: sodiumOpen,
  hasDirect: () => raw !== undefined,
};

export function secretboxSeal(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return sodium ? sodium.crypto_secretbox_easy(plain, nonce, key) : nacl.secretbox(plain, nonce, key);
}
