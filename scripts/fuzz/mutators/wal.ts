// WAL layers: length words (framing), record protobufs, entries and log semantics, CRCs.
import { Messages } from '../../../src/core/codec';
import { RecordType } from '../../../src/core/wal/records';
import { mutateBytes, mutateProto } from '../protoMutate';
import { decodeEntry, decodeSegment, encodeEntry, encodeSegment, fixCrcChain, frameOf, joinFrames, splitFrames, type Rec } from '../walCodec';
import { pickFile, segmentsOf, short, type Layer, type MutationContext, type Mutator } from './context';

const TOP_BIT = 0x80000000;

/** One length word set to a hostile value: huge, negative, just past the end, off by a few, odd padding. */
const lengthWord: Mutator = (ctx) => {
  const seg = pickFile(ctx, segmentsOf(ctx));
  if (!seg) return undefined;
  const { frames, tail } = splitFrames(seg.bytes);
  if (!frames.length) return undefined;
  const { rng } = ctx;
  const i = rng.int(frames.length);
  const f = frames[i];
  const low = f.word.readUInt32LE(0);
  const high = f.word.readUInt32LE(4);
  const offsetAfter = frames.slice(0, i + 1).reduce((n, x) => n + 8 + x.record.length + x.padding.length, 0);
  const remaining = seg.bytes.length - (offsetAfter - f.record.length - f.padding.length);
  const word = Buffer.alloc(8);
  let note: string;
  switch (rng.int(10)) {
    case 0: word.writeUInt32LE(0xffffffff, 0); word.writeUInt32LE(0x00ffffff, 4); note = 'length 2^56-1'; break;
    case 1: word.fill(0xff); note = 'length word -1 (all ones)'; break;
    case 2: word.writeUInt32LE(remaining + rng.range(1, 8), 0); note = 'length just past the end of the file'; break;
    case 3: {
      const len = Math.max(0, f.record.length + rng.pick([-16, -8, -3, -1, 1, 2, 7, 8, 9, 64]));
      word.writeUInt32LE(len, 0);
      word.writeUInt32LE((high & 0xff000000) >>> 0, 4);
      note = `length ${f.record.length} -> ${len}, padding bits kept`;
      break;
    }
    case 4: word.writeUInt32LE(low, 0); word.writeUInt32LE(((0x80 | rng.int(8)) << 24) >>> 0, 4); note = 'odd padding (flag set, random count)'; break;
    case 5: word.writeUInt32LE(low, 0); word.writeUInt32LE(rng.chance(0.5) ? (rng.range(1, 7) << 24) >>> 0 : TOP_BIT, 4); note = 'padding bits without the flag, or the flag alone'; break;
    case 6: word.writeUInt32LE(0, 0); word.writeUInt32LE((0x87 << 24) >>> 0, 4); note = 'zero length with padding 7'; break;
    case 7: word.writeUInt32LE(1, 0); word.writeUInt32LE(0x200000, 4); note = 'length 2^53+1'; break;
    case 8: word.writeUInt32LE(low, 0); word.writeUInt32LE((high | rng.range(1, 0xffffff)) >>> 0, 4); note = 'high length bits set'; break;
    default: rng.pick(frames).word.copy(word); note = "another frame's length word"; break;
  }
  frames[i] = { ...f, word };
  ctx.input.files.set(seg.rel, joinFrames(frames, tail));
  return `${short(seg.rel)} frame ${i}: ${note}`;
};

/** The framing cut or padded: a zero word mid-segment, a cut inside a word or record, junk after the end. */
const framingCut: Mutator = (ctx) => {
  const seg = pickFile(ctx, segmentsOf(ctx));
  if (!seg) return undefined;
  const { frames, tail } = splitFrames(seg.bytes);
  const { rng } = ctx;
  const ends: number[] = [];
  let at = 0;
  for (const f of frames) ends.push((at += 8 + f.record.length + f.padding.length));
  switch (rng.int(4)) {
    case 0: {
      if (frames.length < 2) return undefined;
      const i = rng.range(1, frames.length - 1);
      frames[i] = { ...frames[i], word: Buffer.alloc(8) };
      ctx.input.files.set(seg.rel, joinFrames(frames, tail));
      return `${short(seg.rel)}: zero length word at frame ${i}, records after it`;
    }
    case 1: {
      const cut = rng.int(seg.bytes.length + 1);
      ctx.input.files.set(seg.rel, seg.bytes.subarray(0, cut));
      return `${short(seg.rel)}: cut at ${cut}`;
    }
    case 2: {
      const junk = rng.bytes(rng.range(1, 40));
      ctx.input.files.set(seg.rel, Buffer.concat([joinFrames(frames, Buffer.alloc(0)), junk, tail]));
      return `${short(seg.rel)}: ${junk.length} junk bytes after the last frame`;
    }
    default: {
      // An all-zero sector inside the last record: etcd's torn-write signature.
      const end = ends.at(-1) ?? 0;
      if (end < 1024) return undefined;
      const sector = Math.floor(rng.range(end / 2, end - 1) / 512) * 512;
      const b = Buffer.from(seg.bytes);
      b.fill(0, sector, Math.min(sector + 512, end));
      ctx.input.files.set(seg.rel, b);
      return `${short(seg.rel)}: zero sector at ${sector}`;
    }
  }
};

/** Frames and records of one segment, for the record-level layers (undefined if it does not decode). */
function records(ctx: MutationContext) {
  const seg = pickFile(ctx, segmentsOf(ctx));
  if (!seg) return undefined;
  const decoded = decodeSegment(seg.bytes);
  return decoded && decoded.recs.length ? { ...seg, ...decoded } : undefined;
}

function store(ctx: MutationContext, rel: string, recs: Rec[], tail: Buffer, fixCrc: boolean): void {
  if (fixCrc) fixCrcChain(recs);
  ctx.input.files.set(rel, encodeSegment(recs, tail));
}

/** A record's protobuf bytes mutated (blind or by field), re-framed; the CRC chain repaired half the time. */
const recordBytes: Mutator = (ctx) => {
  const seg = pickFile(ctx, segmentsOf(ctx));
  if (!seg) return undefined;
  const { frames, tail } = splitFrames(seg.bytes);
  if (!frames.length) return undefined;
  const i = ctx.rng.int(frames.length);
  const donor = ctx.rng.pick(frames).record;
  const m = mutateProto(ctx.rng, Messages.walRecord, frames[i].record, donor);
  frames[i] = frameOf(m.bytes);
  const bytes = joinFrames(frames, tail);
  const decoded = ctx.rng.chance(0.5) ? decodeSegment(bytes) : undefined;
  if (decoded) store(ctx, seg.rel, decoded.recs, decoded.tail, true);
  else ctx.input.files.set(seg.rel, bytes);
  return `${short(seg.rel)} record ${i}: ${m.note}${decoded ? ' (CRCs repaired)' : ''}`;
};

/** A record's type set to something unexpected (0, unknown, negative, huge), CRCs repaired. */
const recordType: Mutator = (ctx) => {
  const r = records(ctx);
  if (!r) return undefined;
  const i = ctx.rng.int(r.recs.length);
  const type = ctx.rng.pick<number | bigint>([0, 6, 7, 255, -1, 0x7fffffff, 2n ** 40n, -(2n ** 63n), RecordType.Crc, RecordType.Metadata, RecordType.Snapshot, RecordType.HardState]);
  r.recs[i] = { ...r.recs[i], type };
  store(ctx, r.rel, r.recs, r.tail, true);
  return `${short(r.rel)} record ${i}: type ${type}`;
};

/** Entry headers at the edges, and log semantics: duplicates, regressions, gaps, reordering. */
const entryFields: Mutator = (ctx) => {
  const r = records(ctx);
  if (!r) return undefined;
  const { rng } = ctx;
  const entries = r.recs.map((x, i) => [x, i] as const).filter(([x]) => Number(x.type) === RecordType.Entry);
  if (!entries.length) return undefined;
  const [rec, i] = rng.pick(entries);
  const e = decodeEntry(rec.data ?? Buffer.alloc(0));
  if (!e) return undefined;
  let note: string;
  switch (rng.int(6)) {
    case 0: e.Index = rng.u64().toString(); note = `Index ${e.Index}`; break;
    case 1: e.Term = rng.u64().toString(); note = `Term ${e.Term}`; break;
    case 2: e.Type = rng.pick([1, 2, 3, 255, -1, 0x7fffffff]); note = `Type ${e.Type}`; break;
    case 3: {
      const other = decodeEntry(rng.pick(entries)[0].data ?? Buffer.alloc(0));
      e.Data = other?.Data;
      note = "Data of another entry";
      break;
    }
    case 4: e.Data = rng.chance(0.5) ? undefined : Buffer.alloc(0); note = 'Data removed or empty'; break;
    default: e.Index = (BigInt(String(e.Index ?? 0)) - BigInt(rng.range(1, 5))).toString(); note = `Index moved back to ${e.Index}`; break;
  }
  r.recs[i] = { ...rec, data: encodeEntry(e) };
  store(ctx, r.rel, r.recs, r.tail, rng.chance(0.9));
  return `${short(r.rel)} entry record ${i}: ${note}`;
};

/** Records added, dropped, duplicated or reordered: hard states, snapshot marks, metadata, crc records. */
const recordStream: Mutator = (ctx) => {
  const r = records(ctx);
  if (!r) return undefined;
  const { rng } = ctx;
  const i = rng.int(r.recs.length);
  const j = rng.int(r.recs.length);
  let note: string;
  const u64Message = (type: 'raftHardState' | 'walSnapshot', fields: Record<string, bigint>) =>
    Buffer.from(Messages[type].encode(Messages[type].fromObject(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.toString()])))).finish());
  switch (rng.int(7)) {
    case 0: r.recs.splice(i, 0, { ...r.recs[j] }); note = `record ${j} duplicated at ${i}`; break;
    case 1: r.recs.splice(i, 1); note = `record ${i} dropped`; break;
    case 2: [r.recs[i], r.recs[j]] = [r.recs[j], r.recs[i]]; note = `records ${i} and ${j} swapped`; break;
    case 3: r.recs.splice(i, 0, { type: RecordType.HardState, crc: 0, data: u64Message('raftHardState', { term: rng.u64(), vote: rng.u64(), commit: rng.u64() }) }); note = `hard state inserted at ${i}`; break;
    case 4: r.recs.splice(i, 0, { type: RecordType.Snapshot, crc: 0, data: u64Message('walSnapshot', { index: rng.u64(), term: rng.u64() }) }); note = `snapshot mark inserted at ${i}`; break;
    case 5: r.recs.splice(i, 0, { type: RecordType.Metadata, crc: 0, data: rng.bytes(rng.size(100)) }); note = `metadata record inserted at ${i}`; break;
    default: r.recs.splice(i, 0, { type: RecordType.Crc, crc: rng.u32() }); note = `crc record inserted at ${i}`; break;
  }
  store(ctx, r.rel, r.recs, r.tail, rng.chance(0.8));
  return `${short(r.rel)}: ${note}`;
};

/** A typed record's data mutated as its message (hard state, snapshot mark, metadata), CRCs repaired. */
const recordData: Mutator = (ctx) => {
  const r = records(ctx);
  if (!r) return undefined;
  const typeOf: Record<number, keyof typeof Messages> = {
    [RecordType.Entry]: 'raftEntry', [RecordType.HardState]: 'raftHardState', [RecordType.Snapshot]: 'walSnapshot', [RecordType.Metadata]: 'raftMember',
  };
  const candidates = r.recs.map((x, i) => i).filter((i) => typeOf[Number(r.recs[i].type)]);
  if (!candidates.length) return undefined;
  const i = ctx.rng.pick(candidates);
  const m = mutateProto(ctx.rng, Messages[typeOf[Number(r.recs[i].type)]], r.recs[i].data ?? Buffer.alloc(0));
  r.recs[i] = { ...r.recs[i], data: m.bytes };
  store(ctx, r.rel, r.recs, r.tail, true);
  return `${short(r.rel)} record ${i} data: ${m.note}`;
};

/** CRC values: a random one, one bit off, the crc record's carried value, or a chain broken midway. */
const crcValues: Mutator = (ctx) => {
  const r = records(ctx);
  if (!r) return undefined;
  const { rng } = ctx;
  const i = rng.int(r.recs.length);
  let note: string;
  switch (rng.int(4)) {
    case 0: r.recs[i] = { ...r.recs[i], crc: rng.u32() }; note = `record ${i}: random crc`; break;
    case 1: r.recs[i] = { ...r.recs[i], crc: (r.recs[i].crc ^ (1 << rng.int(32))) >>> 0 }; note = `record ${i}: crc one bit off`; break;
    case 2: {
      const first = r.recs.findIndex((x) => Number(x.type) === RecordType.Crc);
      if (first < 0) return undefined;
      r.recs[first] = { ...r.recs[first], crc: rng.u32() };
      note = 'crc record carries another value';
      break;
    }
    default: {
      fixCrcChain(r.recs);
      for (let k = i; k < r.recs.length; k++) if (Number(r.recs[k].type) !== RecordType.Crc) r.recs[k] = { ...r.recs[k], crc: rng.u32() };
      note = `chain broken from record ${i} on`;
    }
  }
  store(ctx, r.rel, r.recs, r.tail, false);
  return `${short(r.rel)}: ${note}`;
};

/** Raw bytes of a segment, anywhere (including the zero tail). */
const segmentBytes: Mutator = (ctx) => {
  const seg = pickFile(ctx, segmentsOf(ctx));
  if (!seg) return undefined;
  const m = mutateBytes(ctx.rng, seg.bytes);
  ctx.input.files.set(seg.rel, m.bytes);
  return `${short(seg.rel)}: ${m.note}`;
};

export const LENGTH: Layer = { name: 'length', mutators: [lengthWord, lengthWord, framingCut] };
export const RECORD: Layer = { name: 'record', mutators: [recordBytes, recordBytes, recordType, recordData, segmentBytes] };
export const ENTRY: Layer = { name: 'entry', mutators: [entryFields, entryFields, recordStream] };
export const CRC: Layer = { name: 'crc', mutators: [crcValues] };

