// NaCl secretbox (XSalsa20-Poly1305), which Node's crypto module lacks. SwarmKit stores the tag first,
// then the ciphertext: the standard NaCl "easy" layout.
// Three implementations of the same function: libsodium as WebAssembly (~3.7x tweetnacl on the 100 KB+
// records of a busy log) once loadFastSecretbox() has resolved — it can only start asynchronously —
// tweetnacl, the synchronous reference port, until then; and for boxes of 64 KB and more, libsodium as a
// native addon (sodium-native) where its prebuilt binary is installed (not in the packaged extension,
// which ships no native code): 1.6-3x the WebAssembly build on big records, with no copies through its
// heap, but a call into it costs more than WebAssembly's copies on small boxes, and loading it ~25 ms,
// so it is loaded on the first big box (or by readySecretboxFor, for a log of few entries, where it opens
// small boxes too). All give identical results (test/unit/crypto.test.ts).
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

/** sodium-native's two functions used here (it writes into the output array it is given). */
interface NativeSodium {
  crypto_secretbox_open_easy(m: Uint8Array, c: Uint8Array, n: Uint8Array, k: Uint8Array): boolean;
  crypto_secretbox_easy(c: Uint8Array, m: Uint8Array, n: Uint8Array, k: Uint8Array): void;
}

/** Which implementation is wanted: SWARM_RAFT_SECRETBOX=tweetnacl|libsodium pins one (tests, benchmark). */
const pinned = process.env.SWARM_RAFT_SECRETBOX;

/** Boxes from this size up go to the native addon, where it loads. */
export const NATIVE_FROM_BYTES = 64 * 1024;

/** The addon: undefined until first wanted, null where it does not load (or is pinned away). */
let native: NativeSodium | null | undefined;

function nativeSodium(): NativeSodium | undefined {
  if (native === undefined) native = pinned === 'tweetnacl' || pinned === 'libsodium' ? null : loadNative();
  return native ?? undefined;
}

function loadNative(): NativeSodium | null {
  try {
    // A plain require, left to Node at run time (esbuild keeps the package external); optional, so not an import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('sodium-native') as Partial<NativeSodium>;
    return typeof lib.crypto_secretbox_open_easy === 'function' && typeof lib.crypto_secretbox_easy === 'function' ? (lib as NativeSodium) : null;
  } catch {
    return null;
  }
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
 * Switches small boxes to libsodium's WebAssembly build. Safe to call many times; never rejects (on
 * failure tweetnacl stays). Big boxes go to the native addon whenever it loads, awaited or not.
 */
export function loadFastSecretbox(): Promise<void> {
  if (pinned === 'tweetnacl') return Promise.resolve();
  return loadLibsodium();
}

/** libsodium's WebAssembly build (also for the tests, which compare it with the others). */
export function loadLibsodium(): Promise<void> {
  // A require, not import(): the library is bundled apart (scripts/build.mjs), and Node's import() of a
  // CommonJS file scans its 470 KB for export names first (~60 ms).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loading ??= Promise.resolve().then(() => require('libsodium-wrappers') as typeof import('libsodium-wrappers')).then(
    async (lib) => {
      await lib.ready;
      sodium = lib;
      const under = (lib as unknown as { libsodium?: unknown }).libsodium;
      raw = isRawSodium(under) ? new RawOpener(under) : undefined;
    },
    () => undefined,
  ).catch(() => undefined);
  return loading;
}

export type SecretboxBackend = 'native' | 'libsodium' | 'tweetnacl';

/** Which implementation opens a box of `boxBytes` now (loading the addon if the size calls for it). */
export function secretboxBackend(boxBytes = 0): SecretboxBackend {
  if (boxBytes >= NATIVE_FROM_BYTES && nativeSodium()) return 'native';
  return sodium ? 'libsodium' : native ? 'native' : 'tweetnacl';
}

const WEBASSEMBLY_FROM_BOXES = 10_000;

/**
 * Readies secretbox for about `boxes` boxes. Loading the WebAssembly build is ~56 ms of synchronous
 * JavaScript; it pays for itself from ~10,000 small boxes on (a call costs ~1 us less than the addon's).
 * Below that, where the addon loads, it opens every box and the WebAssembly build is never loaded.
 */
export async function readySecretboxFor(boxes: number): Promise<void> {
  if (boxes < WEBASSEMBLY_FROM_BOXES && nativeSodium()) return;
  await loadFastSecretbox();
}

/**
 * Memory for plaintexts a caller is done with before it opens the next box (an export prints each entry
 * straight from its bytes): big boxes open into it instead of into new memory each time. New memory is
 * the cost on big records: on these machines the kernel's page faults on 66 MB of fresh plaintext took
 * longer than decrypting it (big-wal's export: 0.41 s instead of ~0.6 s).
 */
export class PlainScratch {
  private memory?: ArrayBuffer;

  /** `length` bytes of the scratch memory; what an earlier view held is overwritten. */
  view(length: number): Uint8Array {
    if (!this.memory || this.memory.byteLength < length) this.memory = new ArrayBuffer(Math.max(length, 1 << 20));
    return new Uint8Array(this.memory, 0, length);
  }
}

/**
 * Returns the plaintext, or undefined when the key does not authenticate the box. With `scratch`, a big
 * box's plaintext is a view of the scratch memory, valid until the next open with the same scratch.
 */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array, scratch?: PlainScratch): Uint8Array | undefined {
  if (key.length !== SECRETBOX_KEY_BYTES || nonce.length !== SECRETBOX_NONCE_BYTES) return undefined;
  if (box.length < nacl.secretbox.overheadLength) return undefined;
  const lib = nativeFor(box.length);
  if (lib) return nativeOpen(lib, box, nonce, key, box.length >= NATIVE_FROM_BYTES ? scratch : undefined);
  if (!sodium) return nacl.secretbox.open(box, nonce, key) ?? undefined;
  return libsodiumOpen(box, nonce, key);
}

/** The addon for a box of `boxBytes`: big boxes always; small ones when it is loaded and the WebAssembly build is not. */
function nativeFor(boxBytes: number): NativeSodium | undefined {
  if (boxBytes >= NATIVE_FROM_BYTES) return nativeSodium();
  return sodium ? undefined : native ?? undefined;
}

/** The WebAssembly build: on its heap directly, or through the wrapper. */
function libsodiumOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  return raw ? raw.open(box, nonce, key) : sodiumOpen(box, nonce, key);
}

function nativeOpen(lib: NativeSodium, box: Uint8Array, nonce: Uint8Array, key: Uint8Array, scratch?: PlainScratch): Uint8Array | undefined {
  // Not zero-filled (that took ~40% of the time on 450 KB records): libsodium writes every byte of an
  // opened box, and a box that does not open returns nothing. A plain Uint8Array over its own memory.
  const length = box.length - nacl.secretbox.overheadLength;
  const plain = scratch ? scratch.view(length) : length < 4096 ? new Uint8Array(length) : new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  return lib.crypto_secretbox_open_easy(plain, box, nonce, key) ? plain : undefined;
}

function nativeSeal(lib: NativeSodium, plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const box = new Uint8Array(plain.length + nacl.secretbox.overheadLength);
  lib.crypto_secretbox_easy(box, plain, nonce, key);
  return box;
}

/** Through the wrapper's API (when its module is not shaped as RawSodium expects). */
function sodiumOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  try {
    return sodium!.crypto_secretbox_open_easy(box, nonce, key);
  } catch {
    return undefined; // libsodium throws where tweetnacl returns null: the tag did not verify
  }
}

/** For the tests: both libsodium paths, to compare (after loadLibsodium). */
export const libsodiumOpenPaths = {
  direct: (box: Uint8Array, nonce: Uint8Array, key: Uint8Array) => raw?.open(box, nonce, key),
  wrapper: sodiumOpen,
  hasDirect: () => raw !== undefined,
};

export function secretboxSeal(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const lib = nativeFor(plain.length + nacl.secretbox.overheadLength);
  if (lib) return nativeSeal(lib, plain, nonce, key);
  return sodium ? sodium.crypto_secretbox_easy(plain, nonce, key) : nacl.secretbox(plain, nonce, key);
}

interface SecretboxImplementation {
  open(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined;
  seal(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
}

/**
 * For the tests: each implementation on its own, those available here (libsodium after loadLibsodium),
 * called without secretboxOpen's size checks so that each one's own handling is what is compared.
 */
export function secretboxImplementations(): Partial<Record<SecretboxBackend, SecretboxImplementation>> {
  const found: Partial<Record<SecretboxBackend, SecretboxImplementation>> = {
    tweetnacl: { open: (b, n, k) => nacl.secretbox.open(b, n, k) ?? undefined, seal: (p, n, k) => nacl.secretbox(p, n, k) },
  };
  if (sodium) found.libsodium = { open: libsodiumOpen, seal: (p, n, k) => sodium!.crypto_secretbox_easy(p, n, k) };
  const lib = nativeSodium();
  if (lib) found.native = { open: (b, n, k) => nativeOpen(lib, b, n, k), seal: (p, n, k) => nativeSeal(lib, p, n, k) };
  return found;
}
