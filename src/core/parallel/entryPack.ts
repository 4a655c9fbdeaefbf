// A batch's entries as a few typed arrays for the trip to a worker thread: structured-cloning a thousand
// entry objects (a dozen fields, two BigInts each) cost the main thread more than reading their data,
// and on logs of small entries the workers waited for it.
import type { WalEntry } from '../wal/walLog';

export interface PackedEntries {
  count: number;
  index: BigUint64Array;
  term: BigUint64Array;
  type: Int32Array;
  /** Per entry: offset, recordLength, dataLength, dataAt, seq. */
  numbers: Float64Array;
  /** Per entry: crcOk | overwritten << 1 | uncommitted << 2. */
  flags: Uint8Array;
  /** Per entry: its file, as a position in `files`. */
  fileOf: Uint16Array;
  files: string[];
}

const NUMBERS = 5;

export function packEntries(entries: readonly WalEntry[]): PackedEntries {
  const n = entries.length;
  const packed: PackedEntries = {
    count: n, index: new BigUint64Array(n), term: new BigUint64Array(n), type: new Int32Array(n),
    numbers: new Float64Array(n * NUMBERS), flags: new Uint8Array(n), fileOf: new Uint16Array(n), files: [],
  };
  let lastFile = '';
  let lastFileAt = -1;
  for (let i = 0; i < n; i++) {
    const e = entries[i];
    packed.index[i] = e.index;
    packed.term[i] = e.term;
    packed.type[i] = e.type;
    const at = i * NUMBERS;
    packed.numbers[at] = e.offset;
    packed.numbers[at + 1] = e.recordLength;
    packed.numbers[at + 2] = e.dataLength;
    packed.numbers[at + 3] = e.dataAt;
    packed.numbers[at + 4] = e.seq;
    packed.flags[i] = (e.crcOk ? 1 : 0) | (e.overwritten ? 2 : 0) | (e.uncommitted ? 4 : 0);
    if (e.file !== lastFile || lastFileAt < 0) {
      lastFile = e.file;
      lastFileAt = packed.files.indexOf(e.file);
      if (lastFileAt < 0) lastFileAt = packed.files.push(e.file) - 1;
    }
    packed.fileOf[i] = lastFileAt;
  }
  return packed;
}

export function unpackEntry(packed: PackedEntries, i: number): WalEntry {
  const at = i * NUMBERS;
  const flags = packed.flags[i];
  return {
    index: packed.index[i], term: packed.term[i], type: packed.type[i], file: packed.files[packed.fileOf[i]],
    offset: packed.numbers[at], recordLength: packed.numbers[at + 1], dataLength: packed.numbers[at + 2],
    dataAt: packed.numbers[at + 3], seq: packed.numbers[at + 4],
    crcOk: (flags & 1) !== 0, overwritten: (flags & 2) !== 0, uncommitted: (flags & 4) !== 0,
  };
}

/** The arrays' memory, to transfer rather than copy. */
export function packedMemory(packed: PackedEntries): ArrayBuffer[] {
  return [packed.index, packed.term, packed.type, packed.numbers, packed.flags, packed.fileOf].map((a) => a.buffer as ArrayBuffer);
}
