// Encryption layers: the MaybeEncryptedRecord wrapper of entries and snapshots (algorithm, nonce, data),
// and the decrypted payloads themselves, mutated and sealed again with the real data key so the decoders
// behind decryption (requests, conf changes, snapshots; text, JSON, store, views) see them.
import type { Type } from 'protobufjs';
import { Messages } from '../../../src/core/codec';
import { Algorithm, decodeEncryptedRecord, encodeEncryptedRecord, openRecord } from '../../../src/core/crypto/maybeEncrypted';
import { secretboxSeal } from '../../../src/core/crypto/secretbox';
import { EntryType } from '../../../src/core/wal/segment';
import { RecordType } from '../../../src/core/wal/records';
import { mutateBytes, mutateProto } from '../protoMutate';
import { decodeEntry, decodeSegment, decodeSnap, encodeEntry, encodeSegment, encodeSnap, fixCrcChain } from '../walCodec';
import { pickFile, segmentsOf, short, snapshotsOf, type Layer, type MutationContext } from './context';

/** A stored payload (entry Data or snapshot data) of the input, with a way to put a new one back. */
interface Payload {
  where: string;
  data: Buffer;
  /** For entries: EntryNormal or EntryConfChange; undefined for a snapshot. */
  entryType?: number;
  replace(data: Buffer): void;
}

function entryPayload(ctx: MutationContext): Payload | undefined {
  const seg = pickFile(ctx, segmentsOf(ctx));
  const decoded = seg && decodeSegment(seg.bytes);
  if (!seg || !decoded) return undefined;
  const withData = decoded.recs.map((r, i) => i).filter((i) => Number(decoded.recs[i].type) === RecordType.Entry && (decodeEntry(decoded.recs[i].data ?? Buffer.alloc(0))?.Data?.length ?? 0) > 0);
  if (!withData.length) return undefined;
  const i = ctx.rng.pick(withData);
  const entry = decodeEntry(decoded.recs[i].data!)!;
  return {
    where: `${short(seg.rel)} record ${i}`, data: Buffer.from(entry.Data!), entryType: entry.Type ?? 0,
    replace: (data) => {
      decoded.recs[i] = { ...decoded.recs[i], data: encodeEntry({ ...entry, Data: data }) };
      fixCrcChain(decoded.recs);
      ctx.input.files.set(seg.rel, encodeSegment(decoded.recs, decoded.tail));
    },
  };
}

function snapshotPayload(ctx: MutationContext): Payload | undefined {
  const snap = pickFile(ctx, snapshotsOf(ctx));
  const parts = snap && decodeSnap(snap.bytes);
  if (!snap || !parts?.body) return undefined;
  const body = parts.body;
  return {
    where: short(snap.rel), data: Buffer.from(body.data ?? new Uint8Array(0)),
    replace: (data) => ctx.input.files.set(snap.rel, encodeSnap({ body: { ...body, data } })),
  };
}

function anyPayload(ctx: MutationContext): Payload | undefined {
  return ctx.rng.chance(0.25) ? snapshotPayload(ctx) ?? entryPayload(ctx) : entryPayload(ctx) ?? snapshotPayload(ctx);
}

/** The wrapper's fields: algorithm, nonce and data set to what a decryptor must refuse cleanly. */
function sealedFields(ctx: MutationContext): string | undefined {
  const p = anyPayload(ctx);
  if (!p) return undefined;
  const { rng } = ctx;
  let record;
  try {
    record = decodeEncryptedRecord(p.data);
  } catch {
    return undefined;
  }
  let note: string;
  switch (rng.int(7)) {
    case 0: record.algorithm = rng.pick([Algorithm.None, Algorithm.Fernet, Algorithm.Secretbox, 3, 99, -1, 0x7fffffff]); note = `algorithm ${record.algorithm}`; break;
    case 1: record.nonce = rng.bytes(rng.pick([0, 1, 23, 25, 32, 4096])); note = `nonce of ${record.nonce.length} bytes`; break;
    case 2: record.nonce = rng.bytes(24); note = 'another 24-byte nonce'; break;
    case 3: record.data = Buffer.from(record.data).subarray(0, rng.int(Math.min(record.data.length, 40) + 1)); note = `data cut to ${record.data.length} bytes`; break;
    case 4: record.data = mutateBytes(rng, Buffer.from(record.data)).bytes; note = 'data mutated'; break;
    case 5: record.data = Buffer.from('gAAAAA' + 'A'.repeat(rng.size(200)) + '==', 'latin1'); record.algorithm = Algorithm.Fernet; note = 'a Fernet token of nothing'; break;
    default: {
      const raw = mutateProto(rng, Messages.maybeEncryptedRecord, p.data);
      p.replace(raw.bytes);
      return `${p.where} sealed record: ${raw.note}`;
    }
  }
  p.replace(Buffer.from(encodeEncryptedRecord(record)));
  return `${p.where} sealed record: ${note}`;
}

/** Decrypts the payload, mutates it as its message type, seals it again with the same data key. */
function payloadMessage(ctx: MutationContext): string | undefined {
  const p = anyPayload(ctx);
  if (!p) return undefined;
  const { rng, base } = ctx;
  let plain = p.data;
  let key: Uint8Array | undefined;
  if (base.encrypted) {
    const opened = openRecord(p.data, base.deks);
    if (!opened.ok) return undefined;
    plain = Buffer.from(opened.plain);
    key = opened.keyIndex >= 0 ? base.deks[opened.keyIndex] : undefined;
  }
  const type: Type = p.entryType === undefined ? Messages.swarmSnapshot : p.entryType === EntryType.ConfChange ? Messages.raftConfChange : Messages.internalRaftRequest;
  const m = rng.chance(0.1) ? { bytes: Buffer.from(plain), note: 'unchanged plaintext sealed again' } : mutateProto(rng, type, plain);
  let stored = m.bytes;
  if (key) {
    const nonce = rng.bytes(24);
    stored = Buffer.from(encodeEncryptedRecord({ algorithm: Algorithm.Secretbox, data: secretboxSeal(m.bytes, nonce, key), nonce }));
  } else if (base.encrypted) {
    stored = Buffer.from(encodeEncryptedRecord({ algorithm: Algorithm.None, data: m.bytes, nonce: new Uint8Array(0) }));
  }
  p.replace(stored);
  return `${p.where} payload (${type.name}): ${m.note}`;
}

export const SEALED: Layer = { name: 'sealed', mutators: [sealedFields] };
export const PAYLOAD: Layer = { name: 'payload', mutators: [payloadMessage] };
