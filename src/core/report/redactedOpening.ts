// Opens an entry for its redacted text (dump-wal --redact): a big sealed entry is authenticated whole
// but only the bytes its redacted text prints are decrypted, not the secret and config data it replaces
// with a fixed text (66 MB of configs in a real log of 159 entries, most of its export time). Small
// entries, other algorithms, a box no key verifies and anything the walk is unsure of take the usual
// way (unsealPayload), which also says what is wrong.
import { Messages } from '../codec';
import { Algorithm, decodeEncryptedRecord, type EncryptedRecord } from '../crypto/maybeEncrypted';
import { SECRETBOX_TAG_BYTES, type PlainScratch } from '../crypto/secretbox';
import { authenticateSecretbox, secretboxPartsAvailable, type AuthenticatedBox } from '../crypto/secretboxParts';
import { unsealPayload, type PayloadContext, type Unsealed } from '../state/entryPayload';
import { findRedactedRanges, type PartlyReadable } from '../text/redactedRanges';
import type { WireRedaction } from '../text/wireText';
import { keptBytes, PartialRecord, type VerifiedBox } from '../wal/recordPrefetch';

/** Below this many sealed bytes an entry is opened whole: what skipping saves would not pay for the walk and
 * the subkey (~50 us while V8 still interprets it; opening 128 KB takes ~150 us, checking its tag ~70). */
let partialFromBytes = 128 * 1024;

/** For the tests: open entries in parts from this size (0: every sealed entry). */
export function setPartialOpeningFrom(bytes: number): void {
  partialFromBytes = bytes;
}

/** Plaintext decrypted ahead of a walk's position, so that it asks the box for a few blocks at a time. */
const WALK_AHEAD = 1024;

/**
 * As unsealPayload, for an InternalRaftRequest printed under `redaction`. `verified`: `data` came from the
 * record prefetch, whose thread checked the box's tag, and may hold only some of the record's bytes: any
 * way that would read others throws PartialRecord (the caller reads the record whole and tries again).
 */
export function unsealForRedactedText(
  ctx: PayloadContext, data: Uint8Array, index: bigint | undefined, redaction: WireRedaction, scratch?: PlainScratch, verified?: VerifiedBox,
): Unsealed {
  if (!ctx.encrypted || ctx.keys.length === 0 || data.length < partialFromBytes || !secretboxPartsAvailable()) return unsealWhole(ctx, data, index, scratch, verified);
  let record: EncryptedRecord;
  try {
    record = decodeEncryptedRecord(data);
  } catch {
    return unsealWhole(ctx, data, index, scratch, verified); // which reports it
  }
  if (record.algorithm !== Algorithm.Secretbox) return unsealWhole(ctx, data, index, scratch, verified);
  const kept = verified && isVerifiedBox(verified, data, record) ? verified : undefined;
  for (const key of ctx.keys) {
    const box = authenticateSecretbox(record.data, record.nonce, key.key, kept?.key === key.key);
    if (!box) continue;
    try {
      const plain = scratch ? scratch.zeroedView(box.length) : new Uint8Array(box.length);
      // The box's plaintext byte i is under its ciphertext byte at data[boxAt + 16 + i].
      const cipherAt = record.data.byteOffset - data.byteOffset + SECRETBOX_TAG_BYTES;
      const available = kept && ((from: number, to: number) => keptBytes(kept, cipherAt + from, cipherAt + to));
      decryptPrinted(box, plain, redaction, scratch ? (from, to) => scratch.wrote(from, to) : undefined, available);
      return { ok: true, plain, keyLabel: key.label };
    } finally {
      box.dispose();
    }
  }
  return unsealWhole(ctx, data, index, scratch, verified);
}

/** unsealPayload, which reads all of `data`: PartialRecord when the prefetch kept only some of it. */
function unsealWhole(ctx: PayloadContext, data: Uint8Array, index: bigint | undefined, scratch: PlainScratch | undefined, verified: VerifiedBox | undefined): Unsealed {
  if (verified && !keptBytes(verified, 0, data.length)) throw new PartialRecord();
  return unsealPayload(ctx, data, index, scratch);
}

/** Whether the record decoded from `data` is the box the prefetch thread checked: the same bytes, the same nonce. */
function isVerifiedBox(verified: VerifiedBox, data: Uint8Array, record: EncryptedRecord): boolean {
  if (record.data.buffer !== data.buffer || record.data.byteOffset !== data.byteOffset + verified.boxAt || record.data.length !== verified.boxLength) return false;
  const nonce = record.nonce;
  if (nonce.length !== verified.nonce.length) return false;
  for (let i = 0; i < nonce.length; i++) if (nonce[i] !== verified.nonce[i]) return false;
  return true;
}

/**
 * Decrypts the box into `plain` (all zeros) but for the ranges the redacted text does not read, which
 * stay zero. `wrote` hears of every range before it is written (a part starts at its block's first byte,
 * up to 63 bytes before the one asked for), so that memory reused for the next box is zeroed there.
 * `available`: which plaintext ranges can be decrypted (their ciphertext is there); PartialRecord for others.
 */
function decryptPrinted(
  box: AuthenticatedBox, plain: Uint8Array, redaction: WireRedaction, wrote?: (from: number, to: number) => void, available?: (from: number, to: number) => boolean,
): void {
  const written: number[] = [];
  const decrypt = (from: number, to: number): void => {
    if (to <= from) return;
    const start = Math.max(0, from - 63);
    const end = Math.min(to, box.length);
    if (available && !available(start, end)) throw new PartialRecord();
    written.push(start, end);
    wrote?.(start, end);
    box.decrypt(plain, from, to);
  };
  let readyFrom = 0;
  let readyTo = 0;
  const source: PartlyReadable = {
    bytes: plain,
    need(from, to) {
      if (from >= readyFrom && to <= readyTo) return;
      readyFrom = from;
      readyTo = Math.min(box.length, Math.max(to, from + WALK_AHEAD));
      // Reading ahead stops where the record's kept bytes do (the walk itself may not need more).
      if (available && !available(Math.max(0, from - 63), readyTo)) readyTo = Math.min(box.length, to);
      decrypt(readyFrom, readyTo);
    },
  };
  const skipped: number[] = [];
  if (!findRedactedRanges(source, Messages.internalRaftRequest, redaction, 0, box.length, skipped)) {
    decrypt(0, box.length);
    return;
  }
  let from = 0;
  for (let k = 0; k < skipped.length; k += 2) {
    decrypt(from, skipped[k]);
    from = skipped[k + 1];
  }
  decrypt(from, box.length);
  // Plaintext that went into a skipped range (a part decrypted from its block's start, the walk's
  // read-ahead) is zeroed again: only the written parts can hold any.
  for (let k = 0; k < skipped.length; k += 2) {
    for (let w = 0; w < written.length; w += 2) {
      const a = Math.max(skipped[k], written[w]);
      const b = Math.min(skipped[k + 1], written[w + 1]);
      if (a < b) plain.fill(0, a, b);
    }
  }
}
