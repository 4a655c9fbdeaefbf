// Poly1305 tag checks with OpenSSL's code, through the CLI's addon (src/core/native/cliNative.ts), else
// none: callers then use libsodium's (sodium-native). Both compute the same function; the tests hold
// them to each other.
import { cliNative } from '../native/cliNative';

/** Whether `tag` is the Poly1305 tag of `message` under the one-time `key` (32 bytes); constant-time compare. */
export type Poly1305Verify = (tag: Uint8Array, message: Uint8Array, key: Uint8Array) => boolean;

/** OpenSSL's Poly1305 check where the addon is built and loads here; null otherwise (SWARM_RAFT_POLY1305=libsodium: always). */
export function opensslPoly1305(): Poly1305Verify | null {
  if (process.env.SWARM_RAFT_POLY1305 === 'libsodium') return null;
  const addon = cliNative();
  return addon?.available ? addon.verify : null;
}
