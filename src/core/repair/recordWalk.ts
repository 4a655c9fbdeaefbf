// Walks one WAL segment record by record, as a repair needs it: unlike the index scan (which stops where
// etcd would), it goes on past damage. A stretch that holds no readable frame (zero-filled sectors, a
// torn or garbled record) is reported as damage, and the walk picks the log up again at the next frame
// whose record the one after it chains from (its CRC = crc32c(this record's CRC, its data)). A record
// whose CRC does not match the chain while the next one chains from it was damaged in place.
import { crc32c } from '../crypto/crc32c';
import type { FileWindow } from '../io/fileWindow';
import { readFrame } from '../wal/framing';
import { RecordType, viewWalRecord, type RecordView } from '../wal/records';

export interface WalkedRecord {
  kind: 'record';
  /** Offset of the frame (length word) and just past its padding. */
  offset: number;
  end: number;
  type: number;
  /** The record's CRC field (a crc record: the running value carried in). */
  crc: number;
  /** The record's data: a view valid until the walk goes on. */
  data: Uint8Array;
  /**
   * The chain vouches for the data: its CRC matches crc32c(previous record's CRC, data). False for a
   * record damaged in place and for the first record after damage (nothing before it to check against).
   */
  verified: boolean;
  /** Why the record is not verified. */
  problem?: string;
}

export interface DamagedStretch {
  kind: 'damage';
  offset: number;
  /** Where the walk picked the log up again (or the end of the file). */
  end: number;
  reason: string;
}

export type WalkItem = WalkedRecord | DamagedStretch;

/** Records a resync accepts as a place to pick the log up again (crc and metadata records start segments only). */
const RESYNC_TYPES = new Set<number>([RecordType.Entry, RecordType.HardState, RecordType.Snapshot]);
const ZERO_CHUNK = Buffer.alloc(64 * 1024);

/** Every record of the segment in file order, and the damaged stretches between them. */
export function* walkSegment(file: FileWindow): Generator<WalkItem> {
  let offset = 0;
  let running: number | undefined; // undefined: the chain restarts at the next record
  const view: RecordView = { type: 0, crc: 0, dataStart: 0, dataEnd: 0 };
  while (offset < file.size) {
    const found = readFrame(file, offset);
    if (found.kind === 'end' && found.reason === 'eof') return;
    let problem: string | undefined;
    if (found.kind === 'end') {
      // A zero length word ends the records etcd wrote, unless data follows it (a zeroed word or sector).
      if (nextNonZero(file, offset + 8) < 0) return;
      problem = 'a zero length word, with data after it';
    } else if (found.kind === 'bad') {
      problem = found.message;
    } else {
      const frame = found.frame;
      const record = recordAt(file, frame.dataOffset, frame.recordLength, view);
      if (!record) {
        problem = 'the record is not a valid walpb.Record';
      } else if (record.type === RecordType.Crc) {
        running = record.crc;
        yield { kind: 'record', offset, end: frame.end, type: record.type, crc: record.crc, data: dataOf(file, frame.dataOffset, record), verified: true };
        offset = frame.end;
        continue;
      } else {
        const data = dataOf(file, frame.dataOffset, record);
        const crc = record.crc;
        const type = record.type;
        if (running !== undefined && crc32c(running, data) === crc) {
          running = crc;
          yield { kind: 'record', offset, end: frame.end, type, crc, data, verified: true };
          offset = frame.end;
          continue;
        }
        const dataStart = record.dataStart;
        const dataLength = record.dataEnd - record.dataStart;
        if (chainsFrom(file, frame.end, crc)) {
          // The next record continues the chain from this one's CRC: its frame is sound, its bytes are not
          // (or, right after damage, cannot be checked).
          const why = running === undefined ? 'the first record after damaged bytes: its CRC cannot be checked' : 'CRC mismatch: the record was damaged in place';
          running = crc;
          const again = file.read(frame.dataOffset + dataStart, dataLength); // the look-ahead may have moved the window
          yield { kind: 'record', offset, end: frame.end, type, crc, data: again, verified: false, problem: why };
          offset = frame.end;
          continue;
        }
        problem = running === undefined ? 'a record after damaged bytes that nothing chains from' : 'CRC mismatch, and the next record does not chain from it (torn or overwritten bytes)';
      }
    }
    const next = resync(file, offset + 8);
    yield { kind: 'damage', offset, end: next ?? file.size, reason: problem };
    if (next === undefined) return;
    offset = next;
    running = undefined;
  }
}

function recordAt(file: FileWindow, dataOffset: number, length: number, into: RecordView): RecordView | undefined {
  const at = file.locate(dataOffset, length);
  if (at < 0) return undefined;
  try {
    const record = viewWalRecord(file.bytes, at, at + length, into);
    // Positions relative to the record's start, so the data can be read again after the window moves.
    record.dataStart -= at;
    record.dataEnd -= at;
    return record;
  } catch {
    return undefined;
  }
}

function dataOf(file: FileWindow, dataOffset: number, record: RecordView): Uint8Array {
  return file.read(dataOffset + record.dataStart, record.dataEnd - record.dataStart);
}

/** Whether a frame at `offset` holds a record whose CRC continues the chain from `crc`. */
function chainsFrom(file: FileWindow, offset: number, crc: number): boolean {
  const found = readFrame(file, offset);
  if (found.kind !== 'frame' || !looksLikeRecord(file, found.frame.dataOffset)) return false;
  const view: RecordView = { type: 0, crc: 0, dataStart: 0, dataEnd: 0 };
  const record = recordAt(file, found.frame.dataOffset, found.frame.recordLength, view);
  if (!record || !RESYNC_TYPES.has(record.type)) return false;
  return crc32c(crc, dataOf(file, found.frame.dataOffset, record)) === record.crc;
}

/** The first 8-aligned offset from `from` where a frame starts whose successor chains from it; undefined: none. */
function resync(file: FileWindow, from: number): number | undefined {
  let at = Math.ceil(from / 8) * 8;
  const view: RecordView = { type: 0, crc: 0, dataStart: 0, dataEnd: 0 };
  while (at + 8 <= file.size) {
    const nonZero = nextNonZero(file, at);
    if (nonZero < 0) return undefined;
    at = Math.max(at, Math.floor(nonZero / 8) * 8);
    const found = readFrame(file, at);
    if (found.kind === 'frame' && looksLikeRecord(file, found.frame.dataOffset)) {
      const record = recordAt(file, found.frame.dataOffset, found.frame.recordLength, view);
      if (record && RESYNC_TYPES.has(record.type) && chainsFrom(file, found.frame.end, record.crc)) return at;
    }
    at += 8;
  }
  return undefined;
}

/** The first bytes etcd writes for an entry, hard state or snapshot record: type field, then the crc field's tag. */
function looksLikeRecord(file: FileWindow, dataOffset: number): boolean {
  const head = file.read(dataOffset, 3);
  return head.length === 3 && head[0] === 0x08 && RESYNC_TYPES.has(head[1]) && head[2] === 0x10;
}

/** Offset of the first non-zero byte at or after `from`, or -1 (compared 64 KB at a time: the tail of a segment is tens of MB of zeros). */
function nextNonZero(file: FileWindow, from: number): number {
  for (let at = from; at < file.size; at += ZERO_CHUNK.length) {
    const chunk = file.read(at, ZERO_CHUNK.length);
    if (chunk.equals(ZERO_CHUNK.subarray(0, chunk.length))) continue;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) return at + i;
  }
  return -1;
}
