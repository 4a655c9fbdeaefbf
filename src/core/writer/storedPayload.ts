// Payloads as stored in an existing log, and opening them with the state's data keys: what a rewrite or
// a decrypt needs beyond the reader's decoded view (whether Data was present at all, which key and
// algorithm sealed it, the Fernet token time).
import { Messages } from '../codec';
import { Algorithm, decodeEncryptedRecord, openRecord } from '../crypto/maybeEncrypted';
import type { FileWindow } from '../io/fileWindow';
import type { SwarmState } from '../state/swarmState';
import { decodeWalRecord } from '../wal/records';
import type { EntryRef } from '../wal/segment';

/** The entry's Data as stored; undefined when the record has no Data field. */
export function readStoredEntryData(file: FileWindow, ref: Pick<EntryRef, 'offset' | 'recordLength'>): Uint8Array | undefined {
  const record = decodeWalRecord(file.read(ref.offset + 8, ref.recordLength));
  const entry = Messages.raftEntry.decode(record.data) as unknown as { Data?: Uint8Array };
  return Object.prototype.hasOwnProperty.call(entry, 'Data') ? Uint8Array.from(entry.Data ?? []) : undefined;
}

export type OpenedPayload =
  | { ok: true; plain: Uint8Array; sealedWith?: { key: Uint8Array; algorithm: Algorithm; fernetTime?: bigint } }
  | { ok: false; message: string };

/** Opens a stored payload with the state's data keys; plaintext layouts pass it through. */
export function openStoredPayload(state: SwarmState, stored: Uint8Array): OpenedPayload {
  if (!state.layout.encrypted) return { ok: true, plain: stored };
  const keys = state.keyRing.keys.map((k) => k.key);
  const opened = openRecord(stored, keys);
  if (!opened.ok) return { ok: false, message: opened.message };
  if (opened.keyIndex < 0) return { ok: true, plain: opened.plain };
  const algorithm = decodeEncryptedRecord(stored).algorithm as Algorithm;
  const fernetTime = algorithm === Algorithm.Fernet ? fernetTokenTime(decodeEncryptedRecord(stored).data) : undefined;
  return { ok: true, plain: opened.plain, sealedWith: { key: keys[opened.keyIndex], algorithm, fernetTime } };
}

/** The big-endian seconds after the version byte of a Fernet token (base64url text). */
function fernetTokenTime(tokenText: Uint8Array): bigint {
  const token = Buffer.from(Buffer.from(tokenText).toString('latin1'), 'base64url');
  return token.length >= 9 ? token.readBigUInt64BE(1) : 0n;
}
