// NaCl secretbox (XSalsa20-Poly1305), which Node's crypto module lacks. SwarmKit stores the tag first,
// then the ciphertext: the standard NaCl "easy" layout.
// Three implementations of the same function: libsodium as a native addon (sodium-native), where its
// prebuilt binary is installed (the CLI; not the packaged extension, which ships no native code): it
// loads in ~3 ms and opens big records 1.6-3x faster than WebAssembly, small ones as fast; libsodium as
// WebAssembly (~3.7x tweetnacl on the 100 KB+ records of a busy log, ~56 ms to load), where the addon
// does not load; both once loadFastSecretbox() has resolved (the WebAssembly build can only start
// asynchronously). Until then tweetnacl, the synchronous reference port, opens small boxes, and the
// addon, loaded on the first, big ones. All give identical results (test/unit/crypto.test.ts).
import { dirname, join } from 'node:path';
import type * as TweetNacl from 'tweetnacl';

export const SECRETBOX_KEY_BYTES = 32;
export const SECRETBOX_NONCE_BYTES = 24;
/** The Poly1305 tag in front of the ciphertext. */
export const SECRETBOX_TAG_BYTES = 16;

/**
 * tweetnacl, loaded on first use: where the addon loads it is never used, and loading it costs ~8 ms of
 * every start (it loads Node's crypto module for its random numbers).
 */
function tweetnacl(): typeof TweetNacl {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (naclModule ??= require('tweetnacl') as typeof TweetNacl);
}
let naclModule: typeof TweetNacl | undefined;

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
  /** The binary returns libsodium's status; the package's entry throws instead (and returns nothing). */
  crypto_secretbox_easy(c: Uint8Array, m: Uint8Array, n: Uint8Array, k: Uint8Array): number | undefined;
}

/** Which implementation is wanted: SWARM_RAFT_SECRETBOX=tweetnacl|libsodium pins one (tests, benchmark). */
const pinned = process.env.SWARM_RAFT_SECRETBOX;

/** Boxes from this size up go to the native addon, where it loads, even before loadFastSecretbox. */
export const NATIVE_FROM_BYTES = 64 * 1024;

/** The addon: undefined until first wanted, null where it does not load (or is pinned away). */
let native: NativeSodium | null | undefined;

function nativeSodium(): NativeSodium | undefined {
  if (native === undefined) native = pinned === 'tweetnacl' || pinned === 'libsodium' ? null : loadNative();
  return native ?? undefined;
}

function loadNative(): NativeSodium | null {
  return loadPrebuiltBinary() ?? loadNativePackage();
}

/**
 * sodium-native's prebuilt binary for this platform, loaded as Node loads any addon (~3 ms). The
 * package's own entry takes ~25 ms: an addon resolver and 100 KB of argument checks for its whole API.
 * The binary checks nothing in a release build, so both callers here pass exact sizes (secretboxOpen
 * checks key and nonce; nativeOpen and nativeSeal size the output from the input).
 */
function loadPrebuiltBinary(): NativeSodium | null {
  try {
    const dir = dirname(require.resolve('sodium-native/package.json'));
    const addon = { exports: {} as Partial<NativeSodium> };
    process.dlopen(addon, join(dir, 'prebuilds', `${process.platform}-${process.arch}`, 'sodium-native.node'));
    return isNativeSodium(addon.exports) ? addon.exports : null;
  } catch {
    return null;
  }
}

/** Through the package's entry: where its binary is not where loadPrebuiltBinary looks (built from source). */
function loadNativePackage(): NativeSodium | null {
  try {
    // A plain require, left to Node at run time (esbuild keeps the package external); optional, so not an import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('sodium-native') as Partial<NativeSodium>;
    return isNativeSodium(lib) ? lib : null;
  } catch {
    return null;
  }
}

function isNativeSodium(lib: Partial<NativeSodium>): lib is NativeSodium {
  return typeof lib.crypto_secretbox_open_easy === 'function' && typeof lib.crypto_secretbox_easy === 'function';
}

/** sodium-native's XSalsa20 keystream, Salsa20 from a block and Poly1305 check (src/core/crypto/secretboxParts.ts). */
export interface NativeStream {
  /** The binary returns libsodium's status; the package's entry throws instead (and returns nothing). */
  crypto_stream(c: Uint8Array, n: Uint8Array, k: Uint8Array): number | undefined;
  crypto_stream_salsa20_xor_ic(c: Uint8Array, m: Uint8Array, n: Uint8Array, ic: number, k: Uint8Array): number | undefined;
  crypto_onetimeauth_verify(h: Uint8Array, m: Uint8Array, k: Uint8Array): boolean;
}

/** Those functions where the addon loads (and is not pinned away), else undefined. */
export function nativeStream(): NativeStream | undefined {
  const lib = nativeSodium() as Partial<NativeStream> | undefined;
  const complete = typeof lib?.crypto_stream === 'function' && typeof lib.crypto_stream_salsa20_xor_ic === 'function' && typeof lib.crypto_onetimeauth_verify === 'function';
  return complete ? (lib as NativeStream) : undefined;
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

  /**
   * With `inPlace`, the plaintext is a view of the heap, valid until the next call (a caller with a
   * PlainScratch): no new memory per box, which cost as much as a third of opening a small one.
   */
  open(box: Uint8Array, nonce: Uint8Array, key: Uint8Array, inPlace = false): Uint8Array | undefined {
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
    if (!opened) return undefined;
    const plainEnd = m + box.length - SECRETBOX_TAG_BYTES;
    return inPlace ? heap.subarray(m, plainEnd) : heap.slice(m, plainEnd);
  }
}

function isRawSodium(lib: unknown): lib is RawSodium {
  const l = lib as Partial<RawSodium> | undefined;
  return !!l && l.HEAPU8 instanceof Uint8Array && typeof l._malloc === 'function' && typeof l._free === 'function' && typeof l._crypto_secretbox_open_easy === 'function';
}

/**
 * Switches small boxes to the native addon where it loads (~3 ms), else to libsodium's WebAssembly build
 * (~56 ms of loading). Safe to call many times; never rejects (on failure tweetnacl stays).
 */
export function loadFastSecretbox(): Promise<void> {
  if (pinned === 'tweetnacl') return Promise.resolve();
  if (pinned !== 'libsodium' && nativeSodium()) return Promise.resolve();
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
  if (nativeFor(boxBytes)) return 'native';
  return sodium ? 'libsodium' : 'tweetnacl';
}

/**
 * Memory for plaintexts a caller is done with before it opens the next box (an export prints each entry
 * straight from its bytes): boxes the native addon opens (every box once loaded; else the big ones) go
 * into it instead of into new memory each time. New memory is the cost on big records: on these machines
 * the kernel's page faults on 66 MB of fresh plaintext took longer than decrypting it (big-wal's export:
 * 0.41 s instead of ~0.6 s).
 */
export class PlainScratch {
  private memory?: ArrayBuffer;
  /** [from, to) pairs of the memory that may hold non-zero bytes (new memory holds none). */
  private dirty: number[] = [];

  /** `length` bytes of the scratch memory, holding what an earlier view left; the caller may write all of them. */
  view(length: number): Uint8Array {
    const view = this.memoryFor(length);
    this.dirty = [0, length, ...this.dirtyFrom(length)];
    return view;
  }

  /**
   * `length` zero bytes of the scratch memory, for a caller that writes a few parts of them (a box
   * decrypted in parts) and says which through wrote(), before it asks for the next view. Only what
   * earlier views may have written is zeroed: zeroing a whole 415 KB plaintext per entry cost as much
   * as checking its tag.
   */
  zeroedView(length: number): Uint8Array {
    const view = this.memoryFor(length);
    for (let k = 0; k < this.dirty.length; k += 2) {
      if (this.dirty[k] < length) view.fill(0, this.dirty[k], Math.min(this.dirty[k + 1], length));
    }
    this.dirty = this.dirtyFrom(length);
    return view;
  }

  /** The dirty parts at or past `length` (a shorter view leaves what longer ones wrote there). */
  private dirtyFrom(length: number): number[] {
    const beyond: number[] = [];
    for (let k = 0; k < this.dirty.length; k += 2) {
      if (this.dirty[k + 1] > length) beyond.push(Math.max(this.dirty[k], length), this.dirty[k + 1]);
    }
    return beyond;
  }

  /** Bytes [from, to) of the last zeroedView may now be non-zero. */
  wrote(from: number, to: number): void {
    if (to > from) this.dirty.push(from, to);
  }

  private memoryFor(length: number): Uint8Array {
    if (!this.memory || this.memory.byteLength < length) {
      this.memory = new ArrayBuffer(Math.max(length, 1 << 20));
      this.dirty = [];
    }
    return new Uint8Array(this.memory, 0, length);
  }
}

/**
 * Returns the plaintext, or undefined when the key does not authenticate the box. With `scratch`, the
 * plaintext may be a view of memory the next open reuses: the scratch memory (the native addon's
 * boxes), or libsodium's WebAssembly heap. Use it before opening another box.
 */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array, scratch?: PlainScratch): Uint8Array | undefined {
  if (key.length !== SECRETBOX_KEY_BYTES || nonce.length !== SECRETBOX_NONCE_BYTES) return undefined;
  if (box.length < SECRETBOX_TAG_BYTES) return undefined;
  const lib = nativeFor(box.length);
  if (lib) return nativeOpen(lib, box, nonce, key, scratch);
  if (!sodium) return tweetnacl().secretbox.open(box, nonce, key) ?? undefined;
  return raw ? raw.open(box, nonce, key, scratch !== undefined) : sodiumOpen(box, nonce, key);
}

/** The addon for a box of `boxBytes`: big boxes always; small ones once it is loaded (loadFastSecretbox). */
function nativeFor(boxBytes: number): NativeSodium | undefined {
  if (boxBytes >= NATIVE_FROM_BYTES) return nativeSodium();
  return native ?? undefined;
}

/** The WebAssembly build: on its heap directly, or through the wrapper. */
function libsodiumOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  return raw ? raw.open(box, nonce, key) : sodiumOpen(box, nonce, key);
}

function nativeOpen(lib: NativeSodium, box: Uint8Array, nonce: Uint8Array, key: Uint8Array, scratch?: PlainScratch): Uint8Array | undefined {
  // Not zero-filled (that took ~40% of the time on 450 KB records): libsodium writes every byte of an
  // opened box, and a box that does not open returns nothing. A plain Uint8Array over its own memory.
  const length = box.length - SECRETBOX_TAG_BYTES;
  const plain = scratch ? scratch.view(length) : length < 4096 ? new Uint8Array(length) : new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  return lib.crypto_secretbox_open_easy(plain, box, nonce, key) ? plain : undefined;
}

function nativeSeal(lib: NativeSodium, plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const box = new Uint8Array(plain.length + SECRETBOX_TAG_BYTES);
  const status = lib.crypto_secretbox_easy(box, plain, nonce, key);
  if (status !== undefined && status !== 0) throw new Error(`secretbox: libsodium status ${status}`);
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
  const lib = nativeFor(plain.length + SECRETBOX_TAG_BYTES);
  if (lib) return nativeSeal(lib, plain, nonce, key);
  return sodium ? sodium.crypto_secretbox_easy(plain, nonce, key) : tweetnacl().secretbox(plain, nonce, key);
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
    tweetnacl: { open: (b, n, k) => tweetnacl().secretbox.open(b, n, k) ?? undefined, seal: (p, n, k) => tweetnacl().secretbox(p, n, k) },
  };
  if (sodium) found.libsodium = { open: libsodiumOpen, seal: (p, n, k) => sodium!.crypto_secretbox_easy(p, n, k) };
  const lib = nativeSodium();
  if (lib) found.native = { open: (b, n, k) => nativeOpen(lib, b, n, k), seal: (p, n, k) => nativeSeal(lib, p, n, k) };
  return found;
}
