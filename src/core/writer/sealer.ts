// SwarmKit's encryption of entry and snapshot data, as the writer applies it: each payload becomes a
// marshalled MaybeEncryptedRecord under the data key. Nonces, IVs and Fernet times come from a seeded
// stream, so output is reproducible (SwarmKit itself uses crypto/rand and the wall clock).
import { fernetSeal } from '../crypto/fernet';
import { Algorithm, encodeEncryptedRecord } from '../crypto/maybeEncrypted';
import { SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES, secretboxSeal } from '../crypto/secretbox';
import type { SeededRandom } from './seededRandom';

/** Turns a plaintext payload into what is stored in the file. */
export interface DataSealer {
  readonly algorithm: Algorithm;
  seal(plain: Uint8Array): Uint8Array;
}

/** Payloads stored as they are, with no wrapper (the plain wal-v3 layout and `decrypt` output). */
export const plainSealer: DataSealer = { algorithm: Algorithm.None, seal: (plain) => plain };

/** NaCl secretbox (SwarmKit's default): 24-byte random nonce, tag then ciphertext. */
export function secretboxSealer(key: Uint8Array, random: SeededRandom): DataSealer {
  checkKey(key);
  return {
    algorithm: Algorithm.Secretbox,
    seal(plain) {
      const nonce = random.bytes(SECRETBOX_NONCE_BYTES);
      return encodeEncryptedRecord({ algorithm: Algorithm.Secretbox, data: secretboxSeal(plain, nonce, key), nonce });
    },
  };
}

export interface FernetClock {
  /** Seconds since the epoch written into the next token. */
  next(): bigint;
}

/** A clock that starts at `startSeconds` and advances by `stepSeconds` per token (deterministic). */
export function steppingClock(startSeconds: bigint, stepSeconds = 0n): FernetClock {
  let now = startSeconds;
  return {
    next() {
      const t = now;
      now += stepSeconds;
      return t;
    },
  };
}

/** Fernet (SwarmKit's FIPS mode): the token's base64url text, no nonce field. */
export function fernetSealer(key: Uint8Array, random: SeededRandom, clock: FernetClock): DataSealer {
  checkKey(key);
  return {
    algorithm: Algorithm.Fernet,
    seal(plain) {
      const token = fernetSeal(plain, key, clock.next(), random.bytes(16));
      return encodeEncryptedRecord({ algorithm: Algorithm.Fernet, data: token, nonce: new Uint8Array(0) });
    },
  };
}

/** The sealer SwarmKit would use for `algorithm`; NONE wraps the data in a NONE record (as a DEK header). */
export function sealerFor(algorithm: Algorithm, key: Uint8Array, random: SeededRandom, clock?: FernetClock): DataSealer {
  switch (algorithm) {
    case Algorithm.Secretbox:
      return secretboxSealer(key, random);
    case Algorithm.Fernet:
      return fernetSealer(key, random, clock ?? steppingClock(0n));
    case Algorithm.None:
      return {
        algorithm: Algorithm.None,
        seal: (plain) => encodeEncryptedRecord({ algorithm: Algorithm.None, data: plain, nonce: new Uint8Array(0) }),
      };
    default:
      throw new RangeError(`unknown encryption algorithm ${algorithm as number}`);
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== SECRETBOX_KEY_BYTES) throw new RangeError(`a data key is ${SECRETBOX_KEY_BYTES} bytes, got ${key.length}`);
}
