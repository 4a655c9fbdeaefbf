// The WAL index as columns: a few typed arrays instead of an object and two BigInts per entry. An entry
// object costs ~200 bytes of heap plus garbage-collector slack, so an index of several segments grew by
// tens of megabytes per segment; here an entry is 55 bytes, and objects are made only for what is used.
import type { EntryRef } from './segment';

/** Per entry in `numbers`: offset, recordLength, dataLength, dataAt. */
const NUMBERS = 4;
const CRC_OK = 1;
const OVERWRITTEN = 2;
const UNCOMMITTED = 4;

/** The plaintext header and place of one entry record, as the scan adds it. */
export interface EntryColumnsInput {
  index: bigint;
  term: bigint;
  type: number;
  offset: number;
  recordLength: number;
  dataLength: number;
  dataAt: number;
  crcOk: boolean;
}

/** One block of columns: the table grows a block at a time, so it never copies or holds twice its size. */
interface Block {
  indexes: BigUint64Array;
  terms: BigUint64Array;
  types: Int32Array;
  numbers: Float64Array;
  flags: Uint8Array;
  fileOf: Uint16Array;
}

/** A table as postMessage carries it to a worker thread (its columns' memory transferred, not copied). */
export interface TransferredTable {
  count: number;
  blockEntries: number;
  files: string[];
  blocks: Block[];
}

export class EntryTable {
  private readonly blocks: Block[] = [];
  /** Files by number; an entry stores its file's number. */
  readonly files: string[] = [];
  private count = 0;
  private lastFile = '';
  private lastFileNumber = -1;
  private readonly shift: number;
  private readonly mask: number;

  /** `blockEntries`: entries per block, a power of two (small ones for tests). */
  constructor(private readonly blockEntries = 8192) {
    this.shift = Math.log2(blockEntries);
    if (!Number.isInteger(this.shift)) throw new RangeError(`block size ${blockEntries} is not a power of two`);
    this.mask = blockEntries - 1;
  }

  get length(): number {
    return this.count;
  }

  /** Appends an entry of `file`; returns its position (the entry's seq). */
  add(file: string, e: EntryColumnsInput): number {
    const seq = this.count;
    const i = seq & this.mask;
    if (i === 0) this.blocks.push(newBlock(this.blockEntries));
    let b = this.blocks[seq >>> this.shift];
    if (b.flags.length <= i) b = this.blocks[seq >>> this.shift] = widened(b, this.blockEntries); // added to after trim()
    b.indexes[i] = e.index;
    b.terms[i] = e.term;
    b.types[i] = e.type;
    const at = i * NUMBERS;
    b.numbers[at] = e.offset;
    b.numbers[at + 1] = e.recordLength;
    b.numbers[at + 2] = e.dataLength;
    b.numbers[at + 3] = e.dataAt;
    b.flags[i] = e.crcOk ? CRC_OK : 0;
    b.fileOf[i] = this.fileNumber(file);
    this.count++;
    return seq;
  }

  /** Gives back the room the last block keeps for more entries (once the log is read). */
  trim(): void {
    const used = this.count & this.mask;
    const last = this.blocks[this.blocks.length - 1];
    if (used === 0 || !last || last.flags.length === used) return;
    this.blocks[this.blocks.length - 1] = {
      indexes: last.indexes.slice(0, used), terms: last.terms.slice(0, used), types: last.types.slice(0, used),
      numbers: last.numbers.slice(0, used * NUMBERS), flags: last.flags.slice(0, used), fileOf: last.fileOf.slice(0, used),
    };
  }

  index(seq: number): bigint {
    return this.block(seq).indexes[seq & this.mask];
  }

  term(seq: number): bigint {
    return this.block(seq).terms[seq & this.mask];
  }

  type(seq: number): number {
    return this.block(seq).types[seq & this.mask];
  }

  file(seq: number): string {
    return this.files[this.block(seq).fileOf[seq & this.mask]];
  }

  offset(seq: number): number {
    return this.block(seq).numbers[(seq & this.mask) * NUMBERS];
  }

  dataLength(seq: number): number {
    return this.block(seq).numbers[(seq & this.mask) * NUMBERS + 2];
  }

  crcOk(seq: number): boolean {
    return (this.block(seq).flags[seq & this.mask] & CRC_OK) !== 0;
  }

  overwritten(seq: number): boolean {
    return (this.block(seq).flags[seq & this.mask] & OVERWRITTEN) !== 0;
  }

  markOverwritten(seq: number): void {
    this.block(seq).flags[seq & this.mask] |= OVERWRITTEN;
  }

  markUncommitted(seq: number): void {
    this.block(seq).flags[seq & this.mask] |= UNCOMMITTED;
  }

  /** The hard state's commit index has reached the entry (a log that is being followed). */
  markCommitted(seq: number): void {
    this.block(seq).flags[seq & this.mask] &= ~UNCOMMITTED;
  }

  uncommitted(seq: number): boolean {
    return (this.block(seq).flags[seq & this.mask] & UNCOMMITTED) !== 0;
  }

  /** The entry as an object (a new one on each call: the log keeps the ones that are shared). */
  entry(seq: number): EntryRef {
    const b = this.block(seq);
    const i = seq & this.mask;
    const at = i * NUMBERS;
    const flags = b.flags[i];
    return {
      index: b.indexes[i], term: b.terms[i], type: b.types[i], file: this.files[b.fileOf[i]],
      offset: b.numbers[at], recordLength: b.numbers[at + 1], dataLength: b.numbers[at + 2], dataAt: b.numbers[at + 3],
      crcOk: (flags & CRC_OK) !== 0, seq, overwritten: (flags & OVERWRITTEN) !== 0, uncommitted: (flags & UNCOMMITTED) !== 0,
    };
  }

  /**
   * The rows at `seqs` (from `from` up to `to`) as a table of their own: a batch for a worker thread,
   * one block, every column and flag copied. Its positions are the batch's, not the log's seqs.
   */
  select(seqs: ArrayLike<number>, from = 0, to = seqs.length): EntryTable {
    const n = Math.max(0, to - from);
    const out = new EntryTable(2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, n)))));
    const b = newBlock(out.blockEntries);
    out.blocks.push(b);
    for (let i = 0; i < n; i++) {
      const seq = seqs[from + i];
      const source = this.block(seq);
      const at = seq & this.mask;
      b.indexes[i] = source.indexes[at];
      b.terms[i] = source.terms[at];
      b.types[i] = source.types[at];
      b.numbers.set(source.numbers.subarray(at * NUMBERS, at * NUMBERS + NUMBERS), i * NUMBERS);
      b.flags[i] = source.flags[at];
      b.fileOf[i] = out.fileNumber(this.files[source.fileOf[at]]);
    }
    out.count = n;
    return out;
  }

  /** The table for postMessage, and the memory to transfer with it (the table is unusable afterwards). */
  transfer(): { table: TransferredTable; memory: ArrayBuffer[] } {
    const memory = this.blocks.flatMap((b) => (Object.values(b) as ArrayBufferView[]).map((column) => column.buffer as ArrayBuffer));
    return { table: { count: this.count, blockEntries: this.blockEntries, files: this.files, blocks: this.blocks }, memory };
  }

  /** A table from what transfer() sent. */
  static received(t: TransferredTable): EntryTable {
    const table = new EntryTable(t.blockEntries);
    table.blocks.push(...t.blocks);
    table.files.push(...t.files);
    table.count = t.count;
    return table;
  }

  /** Bytes the columns take (with the room the last block keeps), for the benchmarks. */
  get byteLength(): number {
    let n = 0;
    for (const b of this.blocks) for (const column of Object.values(b) as ArrayBufferView[]) n += column.byteLength;
    return n;
  }

  private block(seq: number): Block {
    if (!(seq >= 0 && seq < this.count && Number.isInteger(seq))) throw new RangeError(`no entry at position ${seq} (the log has ${this.count})`);
    return this.blocks[seq >>> this.shift];
  }

  private fileNumber(file: string): number {
    if (file !== this.lastFile || this.lastFileNumber < 0) {
      let n = this.files.indexOf(file);
      if (n < 0) {
        if (this.files.length > 0xffff) throw new RangeError('more than 65,536 WAL files in one log');
        n = this.files.push(file) - 1;
      }
      this.lastFile = file;
      this.lastFileNumber = n;
    }
    return this.lastFileNumber;
  }
}

function widened(b: Block, n: number): Block {
  const wide = newBlock(n);
  wide.indexes.set(b.indexes);
  wide.terms.set(b.terms);
  wide.types.set(b.types);
  wide.numbers.set(b.numbers);
  wide.flags.set(b.flags);
  wide.fileOf.set(b.fileOf);
  return wide;
}

function newBlock(n: number): Block {
  return {
    indexes: new BigUint64Array(n), terms: new BigUint64Array(n), types: new Int32Array(n),
    numbers: new Float64Array(n * NUMBERS), flags: new Uint8Array(n), fileOf: new Uint16Array(n),
  };
}
