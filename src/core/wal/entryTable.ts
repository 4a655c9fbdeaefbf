// The WAL index as columns: a few typed arrays instead of an object and two BigInts per entry. An entry
// object costs ~200 bytes of heap plus garbage-collector slack; here an entry is 22 bytes, and objects are
// made only for what is used. Each block keeps its first entry's index and term as BigInts and the other
// entries' as 32-bit differences from them; offsets and lengths are 32-bit, and where the payload starts
// and ends is kept as a byte-sized gap from the record's start and end. A row whose values do not fit
// (only crafted logs: indexes or terms 2^31 away from the block's first, offsets past 4 GB, odd types) is
// kept whole, exactly (index and term as uint64), in its block's side table: 60 bytes more, so a log
// crafted to have only such rows costs at most 82 bytes per entry (before, every entry took 55).
import type { EntryRef } from './segment';
import { addWideRow, newWideRows, wideBytes, wideRow, type RowValues, type WideRows } from './wideRows';

const CRC_OK = 1;
const OVERWRITTEN = 2;
const UNCOMMITTED = 4;
/** The row's values are in the block's `wide` side table, not in its columns. */
const WIDE = 8;
/** Flags a selection carries over to its copy of a row (WIDE is the copy's own business). */
const ROW_FLAGS = CRC_OK | OVERWRITTEN | UNCOMMITTED;

/** The plaintext header and place of one entry record, as the scan adds it. */
export interface EntryColumnsInput extends RowValues {
  crcOk: boolean;
}

/** One block of columns: the table grows a block at a time, so it never copies or holds twice its size. */
interface Block {
  /** The index and term of the block's first entry; the columns hold the others' differences from them. */
  baseIndex: bigint;
  baseTerm: bigint;
  indexDelta: Int32Array;
  termDelta: Int32Array;
  offsets: Uint32Array;
  recordLengths: Uint32Array;
  /** recordLength - dataLength (the record's framing and entry header: a few dozen bytes). */
  dataGap: Uint8Array;
  /** dataAt - offset; 0: no payload (dataAt -1). */
  dataAtGap: Uint8Array;
  types: Uint8Array;
  flags: Uint8Array;
  fileOf: Uint16Array;
  /** Rows (by position in the block) whose values the columns cannot hold. */
  wide?: WideRows;
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
    return this.addRow(file, e, e.crcOk ? CRC_OK : 0);
  }

  /** Gives back the room the last block keeps for more entries (once the log is read). */
  trim(): void {
    const used = this.count & this.mask;
    const last = this.blocks[this.blocks.length - 1];
    if (used === 0 || !last || last.flags.length === used) return;
    this.blocks[this.blocks.length - 1] = resized(last, used);
  }

  index(seq: number): bigint {
    const b = this.block(seq);
    const i = seq & this.mask;
    return b.flags[i] & WIDE ? wideRow(b.wide!, i).index : b.baseIndex + BigInt(b.indexDelta[i]);
  }

  term(seq: number): bigint {
    const b = this.block(seq);
    const i = seq & this.mask;
    return b.flags[i] & WIDE ? wideRow(b.wide!, i).term : b.baseTerm + BigInt(b.termDelta[i]);
  }

  type(seq: number): number {
    const b = this.block(seq);
    const i = seq & this.mask;
    return b.flags[i] & WIDE ? wideRow(b.wide!, i).type : b.types[i];
  }

  file(seq: number): string {
    return this.files[this.block(seq).fileOf[seq & this.mask]];
  }

  offset(seq: number): number {
    const b = this.block(seq);
    const i = seq & this.mask;
    return b.flags[i] & WIDE ? wideRow(b.wide!, i).offset : b.offsets[i];
  }

  dataLength(seq: number): number {
    const b = this.block(seq);
    const i = seq & this.mask;
    return b.flags[i] & WIDE ? wideRow(b.wide!, i).dataLength : b.recordLengths[i] - b.dataGap[i];
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
    const flags = b.flags[i];
    const values = flags & WIDE ? wideRow(b.wide!, i) : narrowRow(b, i);
    return {
      index: values.index, term: values.term, type: values.type, file: this.files[b.fileOf[i]],
      offset: values.offset, recordLength: values.recordLength, dataLength: values.dataLength, dataAt: values.dataAt,
      crcOk: (flags & CRC_OK) !== 0, seq, overwritten: (flags & OVERWRITTEN) !== 0, uncommitted: (flags & UNCOMMITTED) !== 0,
    };
  }

  /**
   * The rows at `seqs` (from `from` up to `to`) as a table of their own: a batch for a worker thread,
   * one block, every value and flag copied. Its positions are the batch's, not the log's seqs.
   */
  select(seqs: ArrayLike<number>, from = 0, to = seqs.length): EntryTable {
    const n = Math.max(0, to - from);
    const out = new EntryTable(2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, n)))));
    for (let i = 0; i < n; i++) {
      const seq = seqs[from + i];
      const b = this.block(seq);
      const at = seq & this.mask;
      const flags = b.flags[at];
      out.addRow(this.files[b.fileOf[at]], flags & WIDE ? wideRow(b.wide!, at) : narrowRow(b, at), flags & ROW_FLAGS);
    }
    return out;
  }

  /** The table for postMessage, and the memory to transfer with it (the table is unusable afterwards). */
  transfer(): { table: TransferredTable; memory: ArrayBuffer[] } {
    const memory = this.blocks.flatMap((b) => columnsOf(b).map((column) => column.buffer as ArrayBuffer));
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

  /**
   * Bytes the columns and side tables take (with the room the last block keeps), for the benchmarks.
   */
  get byteLength(): number {
    let n = 0;
    for (const b of this.blocks) {
      for (const column of columnsOf(b)) n += column.byteLength;
      if (b.wide) n += wideBytes(b.wide);
    }
    return n;
  }

  /** How many rows are kept whole in side tables (none in a log SwarmKit wrote). */
  get wideRows(): number {
    let n = 0;
    for (const b of this.blocks) n += b.wide?.count ?? 0;
    return n;
  }

  private addRow(file: string, e: RowValues, flags: number): number {
    const seq = this.count;
    const i = seq & this.mask;
    if (i === 0) this.blocks.push(newBlock(this.blockEntries, e.index, e.term));
    let b = this.blocks[seq >>> this.shift];
    if (b.flags.length <= i) b = this.blocks[seq >>> this.shift] = resized(b, this.blockEntries); // added to after trim()
    const indexDelta = e.index - b.baseIndex;
    const termDelta = e.term - b.baseTerm;
    const dataGap = e.recordLength - e.dataLength;
    const dataAtGap = e.dataAt === -1 ? 0 : e.dataAt - e.offset;
    if (fitsInt32(indexDelta) && fitsInt32(termDelta)
      && isUint(e.offset, 0xffff_ffff) && isUint(e.recordLength, 0xffff_ffff) && isUint(e.type, 0xff)
      && isUint(dataGap, 0xff) && isUint(dataAtGap, 0xff) && (dataAtGap !== 0 || e.dataAt === -1)) {
      b.indexDelta[i] = Number(indexDelta);
      b.termDelta[i] = Number(termDelta);
      b.offsets[i] = e.offset;
      b.recordLengths[i] = e.recordLength;
      b.dataGap[i] = dataGap;
      b.dataAtGap[i] = dataAtGap;
      b.types[i] = e.type;
    } else {
      addWideRow((b.wide ??= newWideRows()), i, e);
      flags |= WIDE;
    }
    b.flags[i] = flags;
    b.fileOf[i] = this.fileNumber(file);
    this.count++;
    return seq;
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

/** By comparison, not BigInt.asIntN: that allocates, and this runs for every record of the log. */
function fitsInt32(x: bigint): boolean {
  return x >= -0x8000_0000n && x <= 0x7fff_ffffn;
}

function isUint(x: number, max: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= max;
}

function narrowRow(b: Block, i: number): RowValues {
  const offset = b.offsets[i];
  const recordLength = b.recordLengths[i];
  const dataAtGap = b.dataAtGap[i];
  return {
    index: b.baseIndex + BigInt(b.indexDelta[i]), term: b.baseTerm + BigInt(b.termDelta[i]), type: b.types[i],
    offset, recordLength, dataLength: recordLength - b.dataGap[i], dataAt: dataAtGap === 0 ? -1 : offset + dataAtGap,
  };
}

function columnsOf(b: Block): ArrayBufferView[] {
  return [b.indexDelta, b.termDelta, b.offsets, b.recordLengths, b.dataGap, b.dataAtGap, b.types, b.flags, b.fileOf];
}

/** A copy of `b` with room for `n` rows (more: added to after trim(); fewer: trim()). */
function resized(b: Block, n: number): Block {
  const out = newBlock(n, b.baseIndex, b.baseTerm);
  // Column c of both blocks has the same element type; Uint8Array stands for each of them here.
  const from = columnsOf(b) as Uint8Array[];
  const to = columnsOf(out) as Uint8Array[];
  for (let c = 0; c < from.length; c++) to[c].set(from[c].subarray(0, Math.min(n, from[c].length)));
  if (b.wide) out.wide = b.wide;
  return out;
}

function newBlock(n: number, baseIndex: bigint, baseTerm: bigint): Block {
  return {
    baseIndex, baseTerm, indexDelta: new Int32Array(n), termDelta: new Int32Array(n), offsets: new Uint32Array(n),
    recordLengths: new Uint32Array(n), dataGap: new Uint8Array(n), dataAtGap: new Uint8Array(n), types: new Uint8Array(n),
    flags: new Uint8Array(n), fileOf: new Uint16Array(n),
  };
}
