// walpb.Record: {type, crc, data}. Each non-crc record's crc = crc32c(running value, data); a crc record
// (first in every segment) carries the running value at the end of the previous segment and resets it.
import { Reader } from 'protobufjs/light';
import { Messages, toI64, toU64 } from '../codec';
import { readShortVarint, varintEnd } from '../proto/varint';

export enum RecordType {
  Metadata = 1,
  Entry = 2,
  HardState = 3,
  Crc = 4,
  Snapshot = 5,
}

export interface WalRecord {
  type: number;
  crc: number;
  data: Uint8Array;
}

export function decodeWalRecord(bytes: Uint8Array): WalRecord {
  const m = Messages.walRecord.decode(bytes) as unknown as { type?: unknown; crc?: number; data?: Uint8Array };
  const type = toI64(m.type as never);
  return {
    type: type >= -0x80000000n && type <= 0x7fffffffn ? Number(type) : -1,
    crc: (m.crc ?? 0) >>> 0,
    data: m.data ?? new Uint8Array(0),
  };
}

export function encodeWalRecord(record: WalRecord): Uint8Array {
  const message = Messages.walRecord.create({ type: record.type, crc: record.crc, data: record.data });
  return Messages.walRecord.encode(message).finish();
}

export function recordTypeName(type: number): string {
  return RecordType[type] ?? `unknown(${type})`;
}

/** Where a record's fields are, without copying its data: the index scan reads every record of a log. */
export interface RecordView {
  type: number;
  crc: number;
  dataStart: number;
  dataEnd: number;
}

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;

/**
 * walpb.Record's fields in bytes[start, end). The canonical encoding etcd writes (fields 1, 2, 3 with short
 * varints) is read by hand without allocating: the index scan does this for every record of a log.
 * Anything else goes to protobufjs' Reader (the same wire rules as Messages.walRecord, which the tests
 * compare both with). Positions are in `bytes`. Throws on malformed input, like decode().
 */
export function viewWalRecord(bytes: Uint8Array, start = 0, end = bytes.length, into?: RecordView): RecordView {
  const view: RecordView = into ?? { type: 0, crc: 0, dataStart: start, dataEnd: start };
  view.type = 0;
  view.crc = 0;
  view.dataStart = start;
  view.dataEnd = start;
  let p = start;
  while (p < end) {
    const tag = bytes[p++];
    if (tag === 0x08 && p < end && bytes[p] < 0x80) {
      view.type = bytes[p++];
    } else if (tag === 0x10) {
      const crc = readShortVarint(bytes, p, end, 5);
      if (crc < 0 || crc > 0xffffffff) return viewWalRecordByReader(bytes, start, end); // protobufjs truncates
      view.crc = crc;
      p = varintEnd;
    } else if (tag === 0x1a) {
      const length = readShortVarint(bytes, p, end, 5);
      if (length < 0) return viewWalRecordByReader(bytes, start, end);
      p = varintEnd;
      if (p + length > end) return viewWalRecordByReader(bytes, start, end); // it throws the decoder's error
      view.dataStart = p;
      view.dataEnd = p + length;
      p += length;
    } else {
      return viewWalRecordByReader(bytes, start, end);
    }
  }
  return view;
}

/** viewWalRecord with protobufjs' Reader only (the fallback, and what the tests compare the fast path with). */
export function viewWalRecordByReader(bytes: Uint8Array, start = 0, end = bytes.length): RecordView {
  const r = Reader.create(bytes.subarray(start, end));
  const view: RecordView = { type: 0, crc: 0, dataStart: start, dataEnd: start };
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WIRE_VARINT) view.type = smallInt(toI64(r.int64() as never));
    else if (field === 2 && wire === WIRE_VARINT) view.crc = r.uint32() >>> 0;
    else if (field === 3 && wire === WIRE_BYTES) {
      const length = r.uint32();
      if (r.pos + length > r.len) throw new RangeError(`index out of range: ${r.pos + length} + 0 > ${r.len}`);
      view.dataStart = start + r.pos;
      view.dataEnd = start + r.pos + length;
      r.pos += length;
    } else r.skipType(wire);
  }
  return view;
}

export interface EntryHeader {
  term: bigint;
  index: bigint;
  type: number;
  dataLength: number;
  /** Where Data starts in `bytes` (-1: no Data). */
  dataStart: number;
}

/**
 * readScanHeader's result: term and index as numbers where they were read so (exact: below 2^49; the
 * bigints are then not made, and left as they were), else -1 and the bigints.
 */
export interface ScanEntryHeader extends EntryHeader {
  termNumber: number;
  indexNumber: number;
}

/**
 * raftpb.Entry's plaintext header (Term, Index, Type) and where its Data is, in bytes[start, end), without
 * copying Data. Like viewWalRecord: canonical fields by hand (term and index below 2^49), else the Reader.
 */
export function readEntryHeader(bytes: Uint8Array, start = 0, end = bytes.length): EntryHeader {
  if (!readCanonicalHeader(bytes, start, end)) return readEntryHeaderByReader(bytes, start, end);
  return { term: BigInt(read.term), index: BigInt(read.index), type: read.type, dataLength: read.dataLength, dataStart: read.dataStart };
}

/**
 * readEntryHeader for the index scan, which reads every entry: term and index as numbers, no BigInt made
 * (two per entry cost ~70 ns; the 1 GB log has 693,390 entries).
 */
export function readScanHeader(bytes: Uint8Array, start: number, end: number, into: ScanEntryHeader): ScanEntryHeader {
  if (!readCanonicalHeader(bytes, start, end)) {
    const h = readEntryHeaderByReader(bytes, start, end);
    into.term = h.term;
    into.index = h.index;
    into.termNumber = -1;
    into.indexNumber = -1;
    into.type = h.type;
    into.dataLength = h.dataLength;
    into.dataStart = h.dataStart;
    return into;
  }
  into.termNumber = read.term;
  into.indexNumber = read.index;
  into.type = read.type;
  into.dataLength = read.dataLength;
  into.dataStart = read.dataStart;
  return into;
}

/** What readCanonicalHeader read (module state: no object per entry). */
const read = { type: 0, term: 0, index: 0, dataStart: -1, dataLength: 0 };

/** The header in SwarmKit's canonical form (term and index below 2^49) into `read`; false for anything else. */
function readCanonicalHeader(bytes: Uint8Array, start: number, end: number): boolean {
  let type = 0;
  let term = 0;
  let index = 0;
  let dataStart = -1;
  let dataLength = 0;
  let p = start;
  while (p < end) {
    const tag = bytes[p++];
    if (tag === 0x08 && p < end && bytes[p] < 0x80) {
      type = bytes[p++];
    } else if (tag === 0x10 || tag === 0x18) {
      const value = readShortVarint(bytes, p, end, 7);
      if (value < 0) return false;
      if (tag === 0x10) term = value;
      else index = value;
      p = varintEnd;
    } else if (tag === 0x22) {
      const length = readShortVarint(bytes, p, end, 5);
      if (length < 0 || varintEnd + length > end) return false;
      dataStart = varintEnd; // a repeated Data field: the last one counts, as when decoded
      dataLength = length;
      p = varintEnd + length;
    } else {
      return false;
    }
  }
  read.type = type;
  read.term = term;
  read.index = index;
  read.dataStart = dataStart;
  read.dataLength = dataLength;
  return true;
}

/**
 * Whether bytes[start, end) is a raftpb.HardState in the form etcd writes (fields 1-3 as varints of at
 * most 10 bytes, nothing else): checked without decoding, as the scan sees one with nearly every batch.
 */
export function isPlainHardState(bytes: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    const tag = bytes[p++];
    if (tag !== 0x08 && tag !== 0x10 && tag !== 0x18) return false;
    let n = 0;
    for (; p < end && bytes[p] >= 0x80 && n < 9; p++) n++;
    if (p >= end || bytes[p] >= 0x80 || (n === 9 && bytes[p] > 1)) return false;
    p++;
  }
  return true;
}

/** readEntryHeader with protobufjs' Reader only. */
export function readEntryHeaderByReader(bytes: Uint8Array, start = 0, end = bytes.length): EntryHeader {
  const r = Reader.create(bytes.subarray(start, end));
  const header: EntryHeader = { term: 0n, index: 0n, type: 0, dataLength: 0, dataStart: -1 };
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WIRE_VARINT) header.type = r.int32();
    else if (field === 2 && wire === WIRE_VARINT) header.term = toU64(r.uint64() as never);
    else if (field === 3 && wire === WIRE_VARINT) header.index = toU64(r.uint64() as never);
    else if (field === 4 && wire === WIRE_BYTES) {
      header.dataLength = r.uint32();
      header.dataStart = start + r.pos;
      if (r.pos + header.dataLength > r.len) throw new RangeError(`index out of range: ${r.pos + header.dataLength} + 0 > ${r.len}`);
      r.pos += header.dataLength;
    } else r.skipType(wire);
  }
  return header;
}

function smallInt(v: bigint): number {
  return v >= -0x80000000n && v <= 0x7fffffffn ? Number(v) : -1;
}

/** What readEntryRecordPrefix found: positions relative to the record's first byte. */
export interface EntryRecordPrefix {
  crc: number;
  /** Where the record's data (the raftpb.Entry) starts; it runs to the record's end. */
  entryStart: number;
  type: number;
  /** Term and index as numbers (below 2^49, as the scan's fast path reads them). */
  termNumber: number;
  indexNumber: number;
  /** Where the entry's Data starts (-1: none) and its length; Data runs to the record's end. */
  dataStart: number;
  dataLength: number;
}

/** The most bytes readEntryRecordPrefix reads: record tags and varints (14), entry tags and varints (24). */
export const ENTRY_RECORD_PREFIX_BYTES = 64;

/**
 * A big entry record's header from its first bytes only (`bytes[start, start + available)`, of a record
 * of `recordLength` bytes), for a scan that leaves the rest unread. Only the layout etcd writes qualifies:
 * type 2, crc, then data running exactly to the record's end; in it, an optional type, then term and
 * index (short varints) and Data running exactly to the end. Nothing can follow such fields, so parsing
 * the whole record (viewWalRecord, readScanHeader) would find the same. False for anything else: the
 * caller then reads the record whole.
 */
export function readEntryRecordPrefix(bytes: Uint8Array, start: number, available: number, recordLength: number, into: EntryRecordPrefix): boolean {
  const end = start + Math.min(available, recordLength);
  const at = (i: number): number => (i < end ? bytes[i] : -1); // -1: past what was read
  if (at(start) !== 0x08 || at(start + 1) !== RecordType.Entry || at(start + 2) !== 0x10) return false;
  const crc = readShortVarint(bytes, start + 3, end, 5);
  if (crc < 0 || crc > 0xffffffff || at(varintEnd) !== 0x1a) return false;
  const entryLength = readShortVarint(bytes, varintEnd + 1, end, 5);
  if (entryLength < 0) return false;
  const entryStart = varintEnd - start;
  if (entryStart + entryLength !== recordLength) return false;
  let p = varintEnd;
  let type = 0;
  if (at(p) === 0x08) {
    type = at(p + 1);
    if (type < 0 || type >= 0x80) return false;
    p += 2;
  }
  if (at(p) !== 0x10) return false;
  const term = readShortVarint(bytes, p + 1, end, 7);
  if (term < 0 || at(varintEnd) !== 0x18) return false;
  const index = readShortVarint(bytes, varintEnd + 1, end, 7);
  if (index < 0 || at(varintEnd) !== 0x22) return false;
  const dataLength = readShortVarint(bytes, varintEnd + 1, end, 5);
  if (dataLength < 0 || varintEnd - start + dataLength !== recordLength) return false;
  into.crc = crc;
  into.entryStart = entryStart;
  into.type = type;
  into.termNumber = term;
  into.indexNumber = index;
  into.dataStart = varintEnd - start;
  into.dataLength = dataLength;
  return true;
}
