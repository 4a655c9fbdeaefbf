// etcd WAL framing: an 8-byte little-endian length word, then the record, then padding to 8 bytes.
// Low 56 bits = record length; if the top bit is set, the top byte's low 3 bits = padding bytes.
// A zero length word (the preallocated area) or the end of the file ends the segment.
import type { FileWindow } from '../io/fileWindow';

export const FRAME_HEADER_BYTES = 8;
const SECTOR_BYTES = 512;

export interface Frame {
  /** Offset of the length word. */
  offset: number;
  /** Offset of the record bytes (offset + 8). */
  dataOffset: number;
  recordLength: number;
  paddingLength: number;
  /** Offset just past the padding: where the next frame starts. */
  end: number;
}

export type FrameResult =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'end'; offset: number; reason: 'eof' | 'zero-length' }
  | { kind: 'bad'; offset: number; message: string };

export function decodeLengthWord(word: Buffer, at = 0): { recordLength: number; paddingLength: number } {
  const low = word.readUInt32LE(at);
  const high = word.readUInt32LE(at + 4);
  const paddingLength = high & 0x80000000 ? (high >>> 24) & 0x7 : 0;
  // The 56-bit length may exceed 2^53 in a crafted file; it is only compared with the file size, so a
  // rounded value is as good as an exact one there.
  const recordLength = (high & 0x00ffffff) * 0x100000000 + low;
  return { recordLength, paddingLength };
}

export function encodeLengthWord(recordLength: number): { word: Buffer; paddingLength: number } {
  const paddingLength = (8 - (recordLength % 8)) % 8;
  const word = Buffer.alloc(FRAME_HEADER_BYTES);
  word.writeUInt32LE(recordLength % 0x100000000, 0);
  let high = Math.floor(recordLength / 0x100000000) & 0x00ffffff;
  if (paddingLength > 0) high = (high | ((0x80 | paddingLength) << 24)) >>> 0;
  word.writeUInt32LE(high >>> 0, 4);
  return { word, paddingLength };
}

export type FrameFound = Extract<FrameResult, { kind: 'frame' }>;

/** A result for readFrame to fill in place of a new one: a scan reuses one for every record. */
export function frameSlot(): FrameFound {
  return { kind: 'frame', frame: { offset: 0, dataOffset: 0, recordLength: 0, paddingLength: 0, end: 0 } };
}

/**
 * Reads the frame starting at `offset`, without allocating more than the file holds. A found frame is
 * written into `slot` when one is given (and the slot returned): valid until its next use.
 */
export function readFrame(file: FileWindow, offset: number, slot?: FrameFound): FrameResult {
  if (offset + FRAME_HEADER_BYTES > file.size) {
    if (offset < file.size && !isAllZero(file.read(offset, file.size - offset))) {
      return { kind: 'bad', offset, message: `truncated length word (${file.size - offset} of 8 bytes)` };
    }
    return { kind: 'end', offset, reason: 'eof' };
  }
  // The word is read in place (locate, not a view): this runs for every record of the log.
  const at = file.locate(offset, FRAME_HEADER_BYTES);
  if (at < 0) return { kind: 'bad', offset, message: 'the file shrank while it was read' };
  const window = file.bytes;
  if (window.readUInt32LE(at) === 0 && window.readUInt32LE(at + 4) === 0) return { kind: 'end', offset, reason: 'zero-length' };
  const { recordLength, paddingLength } = decodeLengthWord(window, at);
  const dataOffset = offset + FRAME_HEADER_BYTES;
  const end = dataOffset + recordLength + paddingLength;
  if (recordLength === 0) return { kind: 'bad', offset, message: 'zero record length with a non-zero length word' };
  if (end > file.size) {
    return {
      kind: 'bad',
      offset,
      message: `max entry size limit exceeded: record of ${recordLength} bytes (+${paddingLength} padding) runs past the end of the segment (${file.size} bytes)`,
    };
  }
  if (!slot) return { kind: 'frame', frame: { offset, dataOffset, recordLength, paddingLength, end } };
  const frame = slot.frame;
  frame.offset = offset;
  frame.dataOffset = dataOffset;
  frame.recordLength = recordLength;
  frame.paddingLength = paddingLength;
  frame.end = end;
  return slot;
}

/**
 * etcd's torn-write test: a frame whose bytes cover an all-zero 512-byte sector (sectors counted from the
 * file start) was cut short by a crash before the sector was written.
 */
export function coversZeroSector(file: FileWindow, frame: Frame): boolean {
  let at = frame.dataOffset;
  while (at < frame.end) {
    const sectorEnd = Math.min(frame.end, (Math.floor(at / SECTOR_BYTES) + 1) * SECTOR_BYTES);
    if (isAllZero(file.read(at, sectorEnd - at))) return true;
    at = sectorEnd;
  }
  return false;
}

export function isAllZero(bytes: Uint8Array): boolean {
  return firstNonZero(bytes) === bytes.length;
}

const ZEROS = new Uint8Array(4096);

/**
 * Where the first non-zero byte is (bytes.length: none). Compared with zeros 4 KB at a time in native
 * code: the zero-filled tail after a segment's last record is the usual input (~30x faster than a loop
 * the JIT has not optimized yet, which it has not when a scan ends).
 */
export function firstNonZero(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length; at += ZEROS.length) {
    const end = Math.min(bytes.length, at + ZEROS.length);
    if (Buffer.compare(bytes.subarray(at, end), ZEROS.subarray(0, end - at)) === 0) continue;
    for (let i = at; i < end; i++) if (bytes[i] !== 0) return i;
  }
  return bytes.length;
}
