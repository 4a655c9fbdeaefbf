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
      const plain = scratch ? scratch.view(box.length) : new Uint8Array(box.length);
      decryptPrinted(box, plain, redaction);
      return { ok: true, plain, keyLabel: key.label };
    } finally {
      box.dispose();
    }
  }
  return unsealPayload(ctx, data, index, scratch);
}

/** Decrypts the box into `plain` but for the ranges the redacted text does not read, which are zeroed. */
function decryptPrinted(box: AuthenticatedBox, plain: Uint8Array, redaction: WireRedaction): void {
  let readyFrom = 0;
  let readyTo = 0;
  const source: PartlyReadable = {
    bytes: plain,
    need(from, to) {
      if (from >= readyFrom && to <= readyTo) return;
      readyFrom = from;
      readyTo = Math.min(box.length, Math.max(to, from + WALK_AHEAD));
      box.decrypt(plain, readyFrom, readyTo);
    },
  };
  const skipped: number[] = [];
  if (!findRedactedRanges(source, Messages.internalRaftRequest, redaction, 0, box.length, skipped)) {
    box.decrypt(plain, 0, box.length);
    return;
  }
  let from = 0;
  for (let k = 0; k < skipped.length; k += 2) {
    box.decrypt(plain, from, skipped[k]);
    from = skipped[k + 1];
  }
  box.decrypt(plain, from, box.length);
  // Decrypting from a block's start may have written into a skipped range; what stays there is zeros.
  for (let k = 0; k < skipped.length; k += 2) plain.fill(0, skipped[k], skipped[k + 1]);
}
