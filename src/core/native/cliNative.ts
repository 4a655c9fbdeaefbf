// The CLI's native addon (src/native/*.c, built by `npm run build` where a C compiler and Node's headers
// are): Poly1305 through the OpenSSL Node is built with, and the record prefetcher's thread. Callers do
// without it wherever it is not built or does not load (an Electron extension host links BoringSSL).
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface CliNative {
  /** Whether `tag` is the Poly1305 tag of `message` under the one-time `key` (32 bytes); constant-time compare. */
  verify(tag: Uint8Array, message: Uint8Array, key: Uint8Array): boolean;
  /** False where this OpenSSL has no Poly1305 (a FIPS-only configuration). */
  available: boolean;
  /** CRC-32C continuing from `previous`, as the prefetcher's thread computes it (for the tests). */
  crc32c(previous: number, data: Uint8Array): number;
  /** The same, the byte-at-a-time way the addon takes on CPUs without SSE 4.2 (for the tests). */
  crc32cTable(previous: number, data: Uint8Array): number;
  recordPrefetch: {
    /** Starts the thread; returns its handle and the records' kept bytes (record j's at (j % keptRecords) * (headBytes + tailBytes)). */
    start(jobs: Float64Array, keys: Uint8Array, headBytes: number, tailBytes: number, keptRecords: number): [handle: unknown, kept: Uint8Array];
    take(handle: unknown, record: number): number;
    close(handle: unknown): void;
  };
}

/**
 * Where a build puts the addon: dist/native/ beside the bundles (dist/cli-main.js, dist/textWorker.js), or,
 * for these sources run by tsx (the tests), the checkout's dist/native/; never a place outside either.
 */
const PLACE = basename(__dirname) === 'native' && basename(dirname(__dirname)) === 'core'
  ? join(__dirname, '..', '..', '..', 'dist', 'native', 'cli_native.node')
  : join(__dirname, 'native', 'cli_native.node');

let addon: CliNative | null | undefined;

/** The addon where it is built and loads here, else null. */
export function cliNative(): CliNative | null {
  if (addon === undefined) addon = load();
  return addon;
}

function load(): CliNative | null {
  try {
    const loaded = { exports: {} as Partial<CliNative> };
    // RTLD_NOW: every OpenSSL symbol resolved at load. In a process without OpenSSL's (an Electron
    // extension host links BoringSSL) the load fails here, instead of the first call aborting the process.
    process.dlopen(loaded, PLACE, constants.dlopen.RTLD_NOW);
    const e = loaded.exports;
    return typeof e.verify === 'function' && typeof e.crc32c === 'function' && typeof e.recordPrefetch?.start === 'function' ? (e as CliNative) : null;
  } catch {
    return null; // not built there, or not loadable in this process
  }
}
