// walpb.Record: {type, crc, data}. Each non-crc record's crc = crc32c(running value, data); a crc record
// (first in every segment) carries the running value at the end of the previous segment and resets it.
import { Reader } from 'protobufjs/light';
import { Messages, toI64, toU64 } from '../codec';

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
 * walpb.Record read field by field with protobufjs' Reader (same wire rules as Messages.walRecord, which
 * the tests compare it with), skipping unknown fields. Throws on malformed input, like decode().
 */
export function viewWalRecord(bytes: Uint8Array): RecordView {
  const r = Reader.create(bytes);
  const view: RecordView = { type: 0, crc: 0, dataStart: 0, dataEnd: 0 };
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WIRE_VARINT) view.type = smallInt(toI64(r.int64() as never));
    else if (field === 2 && wire === WIRE_VARINT) view.crc = r.uint32() >>> 0;
    else if (field === 3 && wire === WIRE_BYTES) {
      const length = r.uint32();
      view.dataStart = r.pos;
      view.dataEnd = r.pos + length;
      if (view.dataEnd > r.len) throw new RangeError(`index out of range: ${view.dataEnd} + 0 > ${r.len}`);
      r.pos = view.dataEnd;
    } else r.skipType(wire);
  }
  return view;
}

export interface EntryHeader {
  term: bigint;
  index: bigint;
  type: number;
  dataLength: number;
  /** Where Data starts in the entry's bytes (-1: no Data). */
  dataStart: number;
}

/** raftpb.Entry's plaintext header (Term, Index, Type) and where its Data is, without copying Data. */
export function readEntryHeader(bytes: Uint8Array): EntryHeader {
  const r = Reader.create(bytes);
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
      header.dataStart = r.pos; // a repeated Data field: the last one counts, as when decoded
      if (r.pos + header.dataLength > r.len) throw new RangeError(`index out of range: ${r.pos + header.dataLength} + 0 > ${r.len}`);
      r.pos += header.dataLength;
    } else r.skipType(wire);
  }
  return header;
}

function smallInt(v: bigint): number {
  return v >= -0x80000000n && v <= 0x7fffffffn ? Number(v) : -1;
}
