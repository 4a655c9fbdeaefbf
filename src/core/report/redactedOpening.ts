// Opens an entry for its redacted text (dump-wal --redact): a big sealed entry is authenticated whole
// but only the bytes its redacted text prints are decrypted, not the secret and config data it replaces
// with a fixed text (66 MB of configs in a real log of 159 entries, most of its export time). Small
// entries, other algorithms, a box no key verifies and anything the walk is unsure of take the usual
// way (unsealPayload), which also says what is wrong.
import { Messages } from '../codec';
import { Algorithm, decodeEncryptedRecord, type EncryptedRecord } from '../crypto/maybeEncrypted';
import type { PlainScratch } from '../crypto/secretbox';
import { authenticateSecretbox, secretboxPartsAvailable, type AuthenticatedBox } from '../crypto/secretboxParts';
import { unsealPayload, type PayloadContext, type Unsealed } from '../state/entryPayload';
import { findRedactedRanges, type PartlyReadable } from '../text/redactedRanges';
import type { WireRedaction } from '../text/wireText';

/** Below this many sealed bytes an entry is opened whole: what skipping saves would not pay for the walk and
 * the subkey (~50 us while V8 still interprets it; opening 128 KB takes ~150 us, checking its tag ~70). */
let partialFromBytes = 128 * 1024;

/** For the tests: open entries in parts from this size (0: every sealed entry). */
export function setPartialOpeningFrom(bytes: number): void {
  partialFromBytes = bytes;
}

/** Plaintext decrypted ahead of a walk's position, so that it asks the box for a few blocks at a time. */
const WALK_AHEAD = 1024;

/** As unsealPayload, for an InternalRaftRequest printed under `redaction`. */
export function unsealForRedactedText(ctx: PayloadContext, data: Uint8Array, index: bigint | undefined, redaction: WireRedaction, scratch?: PlainScratch): Unsealed {
  if (!ctx.encrypted || ctx.keys.length === 0 || data.length < partialFromBytes || !secretboxPartsAvailable()) return unsealPayload(ctx, data, index, scratch);
  let record: EncryptedRecord;
  try {
    record = decodeEncryptedRecord(data);
  } catch {
    return unsealPayload(ctx, data, index, scratch); // which reports it
  }
  if (record.algorithm !== Algorithm.Secretbox) return unsealPayload(ctx, data, index, scratch);
  for (const key of ctx.keys) {
    const box = authenticateSecretbox(record.data, record.nonce, key.key);
    if (!box) continue;
    try {
      const plain = scratch ? scratch.zeroedView(box.length) : new Uint8Array(box.length);
      decryptPrinted(box, plain, redaction, scratch ? (from, to) => scratch.wrote(from, to) : undefined);
      return { ok: true, plain, keyLabel: key.label };
    } finally {
      box.dispose();
    }
  }
  return unsealPayload(ctx, data, index, scratch);
}

/**
 * Decrypts the box into `plain` (all zeros) but for the ranges the redacted text does not read, which
 * stay zero. `wrote` hears of every range before it is written (a part starts at its block's first byte,
 * up to 63 bytes before the one asked for), so that memory reused for the next box is zeroed there.
 */
function decryptPrinted(box: AuthenticatedBox, plain: Uint8Array, redaction: WireRedaction, wrote?: (from: number, to: number) => void): void {
  const written: number[] = [];
  const decrypt = (from: number, to: number): void => {
    if (to <= from) return;
    const start = Math.max(0, from - 63);
    const end = Math.min(to, box.length);
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
