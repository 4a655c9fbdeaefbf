// CRC-32C (Castagnoli), as etcd's WAL and snap files use. Node's zlib.crc32 is the IEEE polynomial.
// Where @node-rs/crc32 loads (a native addon: the CPU's CRC32 instruction, 4-5x faster over a 64 MB
// segment, which is most of an index scan), it is used; elsewhere (the packaged extension, which ships
// no native code, or a platform without a prebuilt binary) the crc-32 package's table code is.
import * as CRC32C from 'crc-32/crc32c';

type Crc32c = (previous: number, data: Uint8Array) => number;

/** The portable implementation (also what the tests compare the native one with). */
export const crc32cPortable: Crc32c = (previous, data) => CRC32C.buf(data, previous | 0) >>> 0;

interface NativeCrc {
  crc32c(input: Uint8Array, initial?: number): number;
}

function loadNative(): Crc32c | undefined {
  if (process.env.SWARM_RAFT_CRC === 'portable') return undefined;
  const addon = loadGlibcBinary() ?? loadPackage();
  if (!addon) return undefined;
  const native = addon.crc32c;
  return (previous, data) => native(data, previous >>> 0) >>> 0;
}

/**
 * The package's glibc build for this CPU, loaded as Node loads any addon (~2 ms). The package's entry
 * takes ~1.5 ms more: it reads /usr/bin/ldd to tell glibc from musl before it loads one. Where that build
 * is not installed (npm installs the build of the machine's libc) or does not load, the entry decides.
 */
function loadGlibcBinary(): NativeCrc | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const build = `linux-${process.arch}-gnu`;
    const addon = { exports: {} as Partial<NativeCrc> };
    process.dlopen(addon, require.resolve(`@node-rs/crc32-${build}/crc32.${build}.node`));
    return typeof addon.exports.crc32c === 'function' ? (addon.exports as NativeCrc) : undefined;
  } catch {
    return undefined;
  }
}

function loadPackage(): NativeCrc | undefined {
  try {
    // A plain require, left to Node at run time (esbuild keeps the package external); optional, so not an import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@node-rs/crc32') as NativeCrc;
  } catch {
    return undefined;
  }
}

/**
 * The addon, loaded on first need (~6 ms: a log of small records never needs it); null where it does not
 * load. Exported for the tests, which hold it to the portable code at every length.
 */
export function crc32cAddon(): Crc32c | null {
  return (addon ??= loadNative() ?? null);
}
let addon: Crc32c | null | undefined;

/**
 * Below this many bytes the table code is faster than a call into the addon (~0.5 us per call: the
 * CRC of a 100-byte record costs less than crossing into native code). A log of 100,000 tiny entries
 * spent 13% of its export's CPU time on those calls (`--cpu-prof`, 2026-12-06).
 */
export const NATIVE_CRC_FROM_BYTES = 256;

/** Which implementation crc32c uses for big inputs here: 'native' or 'portable'. */
export function crc32cBackend(): 'native' | 'portable' {
  return crc32cAddon() ? 'native' : 'portable';
}

/** Continues a CRC-32C over `data` from `previous` (0 to start), like Go's crc32.Update. Unsigned result. */
export function crc32c(previous: number, data: Uint8Array): number {
  if (data.length < NATIVE_CRC_FROM_BYTES) return crc32cPortable(previous, data);
  const native = crc32cAddon();
  return native ? native(previous, data) : crc32cPortable(previous, data);
}
