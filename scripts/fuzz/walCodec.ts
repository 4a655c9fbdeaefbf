// Segment and snapshot files taken apart and put back together for the mutators: raw frames (to damage
// the framing), records (to damage fields), and re-encoding that can repair the CRC chain afterwards so
// a mutation reaches the layers behind the CRC check.
import { Messages } from '../../src/core/codec';
import { crc32c } from '../../src/core/crypto/crc32c';
import { decodeLengthWord, encodeLengthWord } from '../../src/core/wal/framing';
import { RecordType } from '../../src/core/wal/records';

export interface RawFrame {
  word: Buffer;
  record: Buffer;
  padding: Buffer;
}

/** The frames of a segment as long as they are well-formed, and whatever follows them. */
export function splitFrames(seg: Buffer): { frames: RawFrame[]; tail: Buffer } {
  const frames: RawFrame[] = [];
  let at = 0;
  while (at + 8 <= seg.length) {
    const word = seg.subarray(at, at + 8);
    if (word.every((b) => b === 0)) break;
    const { recordLength, paddingLength } = decodeLengthWord(word);
    const end = at + 8 + recordLength + paddingLength;
    if (recordLength === 0 || end > seg.length) break;
    frames.push({ word: Buffer.from(word), record: Buffer.from(seg.subarray(at + 8, at + 8 + recordLength)), padding: Buffer.from(seg.subarray(at + 8 + recordLength, end)) });
    at = end;
  }
  return { frames, tail: Buffer.from(seg.subarray(at)) };
}

export function joinFrames(frames: readonly RawFrame[], tail: Buffer): Buffer {
  return Buffer.concat([...frames.flatMap((f) => [f.word, f.record, f.padding]), tail]);
}

/** A frame around `record` as etcd writes it (8-byte alignment, padding flagged in the top byte). */
export function frameOf(record: Buffer): RawFrame {
  const { word, paddingLength } = encodeLengthWord(record.length);
  return { word, record, padding: Buffer.alloc(paddingLength) };
}

export interface Rec {
  type: number | bigint;
  crc: number;
  data?: Buffer;
}

export function decodeRec(bytes: Buffer): Rec | undefined {
  try {
    const m = Messages.walRecord.decode(bytes) as unknown as { type?: { toString(): string } | number; crc?: number; data?: Uint8Array };
    return { type: Number(m.type?.toString() ?? 0), crc: (m.crc ?? 0) >>> 0, data: m.data ? Buffer.from(m.data) : undefined };
  } catch {
    return undefined;
  }
}

export function encodeRec(rec: Rec): Buffer {
  const fields: Record<string, unknown> = { type: typeof rec.type === 'bigint' ? rec.type.toString() : rec.type, crc: rec.crc >>> 0 };
  if (rec.data !== undefined) fields.data = rec.data;
  return Buffer.from(Messages.walRecord.encode(Messages.walRecord.create(fields)).finish());
}

/** Recomputes every record's CRC from the segment's crc record on (what a consistent writer would have written). */
export function fixCrcChain(recs: Rec[]): void {
  let running = 0;
  for (const r of recs) {
    if (Number(r.type) === RecordType.Crc) running = r.crc;
    else {
      r.crc = crc32c(running, r.data ?? new Uint8Array(0));
      running = r.crc;
    }
  }
}

/** The records of a segment whose frames all decode (undefined otherwise), plus the bytes after them. */
export function decodeSegment(seg: Buffer): { recs: Rec[]; tail: Buffer } | undefined {
  const { frames, tail } = splitFrames(seg);
  const recs: Rec[] = [];
  for (const f of frames) {
    const r = decodeRec(f.record);
    if (!r) return undefined;
    recs.push(r);
  }
  return { recs, tail };
}

export function encodeSegment(recs: readonly Rec[], tail: Buffer): Buffer {
  return joinFrames(recs.map((r) => frameOf(encodeRec(r))), tail);
}

export interface EntryFields {
  Term?: unknown;
  Index?: unknown;
  Type?: number;
  Data?: Uint8Array;
}

export function decodeEntry(data: Uint8Array): EntryFields | undefined {
  try {
    return Messages.raftEntry.toObject(Messages.raftEntry.decode(data), { longs: String }) as EntryFields;
  } catch {
    return undefined;
  }
}

export function encodeEntry(e: EntryFields): Buffer {
  return Buffer.from(Messages.raftEntry.encode(Messages.raftEntry.fromObject(e)).finish());
}

export interface SnapParts {
  crc: number;
  data: Buffer;
  /** raftpb.Snapshot as a plain object (longs as strings). */
  body?: { data?: Uint8Array; metadata?: { conf_state?: { nodes?: string[]; learners?: string[] }; index?: string; term?: string } };
}

export function decodeSnap(bytes: Buffer): SnapParts | undefined {
  try {
    const outer = Messages.snapFile.decode(bytes) as unknown as { crc?: number; data?: Uint8Array };
    const data = Buffer.from(outer.data ?? new Uint8Array(0));
    let body: SnapParts['body'];
    try {
      body = Messages.raftSnapshot.toObject(Messages.raftSnapshot.decode(data), { longs: String }) as SnapParts['body'];
    } catch {
      body = undefined;
    }
    return { crc: (outer.crc ?? 0) >>> 0, data, body };
  } catch {
    return undefined;
  }
}

/** A snap file around `body` (or the raw `data`), with a correct CRC unless `crc` is given. */
export function encodeSnap(parts: { body?: SnapParts['body']; data?: Buffer; crc?: number }): Buffer {
  const data = parts.body ? Buffer.from(Messages.raftSnapshot.encode(Messages.raftSnapshot.fromObject(parts.body)).finish()) : parts.data ?? Buffer.alloc(0);
  const crc = parts.crc ?? crc32c(0, data);
  return Buffer.from(Messages.snapFile.encode(Messages.snapFile.create({ crc, data })).finish());
}
