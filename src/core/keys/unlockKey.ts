// Human-readable unlock keys: "SWMKEY-1-" + 43 characters of unpadded standard base64 = the 32-byte KEK,
// used raw (no KDF). Format errors are told apart from a wrong key, which only decryption can reveal.
import { InvalidUnlockKeyError } from '../errors';

export const UNLOCK_KEY_PREFIX = 'SWMKEY-1-';
const BODY_LENGTH = 43;
const BASE64_BODY = /^[A-Za-z0-9+/]{43}$/;

/** Parses an unlock key into its 32-byte KEK; throws InvalidUnlockKeyError with the reason. */
export function parseUnlockKey(text: string): Uint8Array {
  const problem = unlockKeyProblem(text);
  if (problem) throw new InvalidUnlockKeyError(problem);
  return new Uint8Array(Buffer.from(text.trim().slice(UNLOCK_KEY_PREFIX.length), 'base64'));
}

/** Describes what is wrong with the key's format, or returns undefined when it is well-formed (for input validation as you type). */
export function unlockKeyProblem(text: string): string | undefined {
  const key = text.trim();
  if (!key.startsWith(UNLOCK_KEY_PREFIX)) return `it must start with ${UNLOCK_KEY_PREFIX}`;
  const body = key.slice(UNLOCK_KEY_PREFIX.length);
  if (body.length !== BODY_LENGTH) return `expected ${BODY_LENGTH} characters after ${UNLOCK_KEY_PREFIX}, got ${body.length}`;
  if (!BASE64_BODY.test(body)) return 'the part after the prefix must be base64 (A-Z, a-z, 0-9, +, /)';
  // 43 base64 characters carry 258 bits: the last character's low 2 bits must be zero for exactly 32 bytes.
  if (Buffer.from(Buffer.from(body, 'base64')).toString('base64').replace(/=+$/, '') !== body) return 'the last character is not a valid end of a 32-byte key';
  return undefined;
}

export function formatUnlockKey(kek: Uint8Array): string {
  return UNLOCK_KEY_PREFIX + Buffer.from(kek).toString('base64').replace(/=+$/, '');
}
