// Poly1305 tag checks with OpenSSL's code, through the CLI's addon (src/native/poly1305.c, built by
// `npm run build` where a C compiler and Node's headers are), else none: callers then use libsodium's
// (sodium-native). Both compute the same function; the tests hold them to each other.
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** Whether `tag` is the Poly1305 tag of `message` under the one-time `key` (32 bytes); constant-time compare. */
export type Poly1305Verify = (tag: Uint8Array, message: Uint8Array, key: Uint8Array) => boolean;

interface Addon {
  verify: Poly1305Verify;
  /** False where this OpenSSL has no Poly1305 (a FIPS-only configuration). */
  available: boolean;
}

/**
 * Where a build puts the addon: dist/native/ beside the bundles (dist/cli-main.js, dist/textWorker.js), or,
 * for these sources run by tsx (the tests), the checkout's dist/native/; never a place outside either.
 */
const PLACES = basename(__dirname) === 'crypto' && basename(dirname(__dirname)) === 'core'
  ? [join(__dirname, '..', '..', '..', 'dist', 'native', 'poly1305.node')]
  : [join(__dirname, 'native', 'poly1305.node')];

let addon: Addon | null | undefined;

/** OpenSSL's Poly1305 check where the addon is built and loads here; null otherwise (SWARM_RAFT_POLY1305=libsodium: always). */
export function opensslPoly1305(): Poly1305Verify | null {
  if (addon === undefined) addon = process.env.SWARM_RAFT_POLY1305 === 'libsodium' ? null : loadAddon();
  return addon ? addon.verify : null;
}

function loadAddon(): Addon | null {
  for (const path of PLACES) {
    try {
      const loaded = { exports: {} as Partial<Addon> };
      // RTLD_NOW: every OpenSSL symbol resolved at load. In a process without OpenSSL's (an Electron
      // extension host links BoringSSL) the load fails here, instead of the first call aborting the process.
      process.dlopen(loaded, path, constants.dlopen.RTLD_NOW);
      if (typeof loaded.exports.verify === 'function' && loaded.exports.available === true) return loaded.exports as Addon;
    } catch {
      // not built there, or not loadable in this process
    }
  }
  return null;
}
