// walpb.Record: {type, crc, data}. Each non-crc record's crc = crc32c(running value, data); a crc record
// (first in every segment) carries the running value at the end of the previous segment and resets it.
import { Messages, toI64 } from '../codec';

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
