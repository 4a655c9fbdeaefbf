// The WAL index as columns: a few typed arrays instead of an object and two BigInts per entry. An entry
// object costs ~200 bytes of heap plus garbage-collector slack; here a block of entries is filled at 22
// bytes an entry. Past the first 16 blocks (131,072 entries, kept so: one load per column read), each
// full block's columns are packed to the bits their values need (packedColumn.ts): on a log SwarmKit
// wrote an entry then takes about 4 bytes (index, term, type, flags and file implied or constant;
// lengths, gaps and offsets in a few bits each), so the index of a long log grows little. Each block
// keeps its first entry's index and term as BigInts and the other entries' as differences from them;
// where the payload starts and ends is kept as a gap from the record's start and end. A row whose values
// do not fit the filled block's columns (only crafted logs: indexes or terms 2^31 away from the block's
// first, offsets past 4 GB, odd types) is kept whole, exactly (index and term as uint64), in its block's
// side table: 60 bytes more, so a log crafted to have only such rows costs at most 82 bytes per entry
// (before the columns, every entry took 55), packed or not.
import type { EntryRef } from './segment';
import type { SeqList } from './seqList';
import { columnBytes, columnMemory, columnValue, openColumn, packColumn, unpackColumn, type Column } from './packedColumn';
import { addWideRow, compactWideRows, newWideRows, wideBytes, wideRow, type RowValues, type WideRows } from './wideRows';

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
  /**
   * The index and term as numbers (>= 0, exact) where the scan read them so: then they count, and
   * `index` and `term` are not read (the scan makes no BigInt per entry). -1 or absent: the bigints.
   */
  indexNumber?: number;
  termNumber?: number;
}

/**
 * The columns of a block: their type while the block is filled, whether the rows kept whole are
 * don't-cares in them (their values are in the side table), and the shapes worth trying when packing.
 */
const COLUMNS = [
  { name: 'indexDelta', type: Int32Array, values: true, shapes: { step: true } },
  { name: 'termDelta', type: Int32Array, values: true, shapes: {} },
  { name: 'offsets', type: Uint32Array, values: true, shapes: { anchors: true } },
  { name: 'recordLengths', type: Uint32Array, values: true, shapes: {} },
  /** recordLength - dataLength (the record's framing and entry header: a few dozen bytes). */
  { name: 'dataGap', type: Uint8Array, values: true, shapes: {} },
  /** dataAt - offset; 0: no payload (dataAt -1). */
  { name: 'dataAtGap', type: Uint8Array, values: true, shapes: {} },
  { name: 'types', type: Uint8Array, values: true, shapes: {} },
  { name: 'flags', type: Uint8Array, values: false, shapes: {} },
  /** The entry's file's number in the table's `files`. */
  { name: 'fileOf', type: Uint16Array, values: false, shapes: {} },
] as const;

type ColumnName = (typeof COLUMNS)[number]['name'];

/** One block of columns: the table grows a block at a time, so it never copies or holds twice its size. */
interface Block extends Record<ColumnName, Column> {
  /** The index and term of the block's first entry; the columns hold the others' differences from them. */
  baseIndex: bigint;
  baseTerm: bigint;
  /** The same as numbers where they are safe integers, else -1 (rows given as numbers are added without BigInts). */
  baseIndexNumber: number;
  baseTermNumber: number;
  /** Rows it has room for: the table's block size while it is filled, the rows it holds once packed or trimmed. */
  size: number;
  /** Packed (full, or trimmed): its columns are read only, but for flags (setFlags). */
  packed: boolean;
  /** Rows (by position in the block) whose values the columns cannot hold. */
  wide: WideRows | undefined;
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

  /**
   * `blockEntries`: entries per block, a power of two (small ones for tests). `fullWidthBlocks`: the
   * first blocks are never packed (2.9 MB at most): a log of up to 131,072 entries, such as most, is read
   * at one load per column and costs nothing to pack; a longer one grows by packed blocks only.
   */
  constructor(
    private readonly blockEntries = 8192,
    private readonly fullWidthBlocks = 16,
  ) {
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

  /** Gives back the room the last block keeps for more entries, packing it if it is one to pack (once the log is read). */
  trim(): void {
    const last = this.blocks.length - 1;
    const rows = this.count - last * this.blockEntries;
    const b = this.blocks[last];
    if (last < 0 || b.packed || b.size === rows) return;
    this.blocks[last] = last < this.fullWidthBlocks ? unpackedBlock(b, rows) : packBlock(b, rows);
  }

  index(seq: number): bigint {
    const b = this.block(seq);
    const i = seq & this.mask;
    return isWide(b, i) ? wideRow(b.wide!, i).index : b.baseIndex + BigInt(columnValue(b.indexDelta, i));
  }

  term(seq: number): bigint {
    const b = this.block(seq);
    const i = seq & this.mask;
    return isWide(b, i) ? wideRow(b.wide!, i).term : b.baseTerm + BigInt(columnValue(b.termDelta, i));
  }

  type(seq: number): number {
    const b = this.block(seq);
    const i = seq & this.mask;
    return isWide(b, i) ? wideRow(b.wide!, i).type : columnValue(b.types, i);
  }

  file(seq: number): string {
    return this.files[columnValue(this.block(seq).fileOf, seq & this.mask)];
  }

  offset(seq: number): number {
    const b = this.block(seq);
    const i = seq & this.mask;
    return isWide(b, i) ? wideRow(b.wide!, i).offset : columnValue(b.offsets, i);
  }

  dataLength(seq: number): number {
    const b = this.block(seq);
    const i = seq & this.mask;
    return isWide(b, i) ? wideRow(b.wide!, i).dataLength : columnValue(b.recordLengths, i) - columnValue(b.dataGap, i);
  }

  crcOk(seq: number): boolean {
    return (this.flags(seq) & CRC_OK) !== 0;
  }

  overwritten(seq: number): boolean {
    return (this.flags(seq) & OVERWRITTEN) !== 0;
  }

  markOverwritten(seq: number): void {
    this.setFlags(seq, this.flags(seq) | OVERWRITTEN);
  }

  markUncommitted(seq: number): void {
    this.setFlags(seq, this.flags(seq) | UNCOMMITTED);
  }

  /** The hard state's commit index has reached the entry (a log that is being followed). */
  markCommitted(seq: number): void {
    this.setFlags(seq, this.flags(seq) & ~UNCOMMITTED);
  }

  uncommitted(seq: number): boolean {
    return (this.flags(seq) & UNCOMMITTED) !== 0;
  }

  /**
   * Where the term changes among the consecutive rows [first, first + count): each run's first seq and
   * its term. Within a block a row's term is compared by its delta, so a run costs no BigInt per row
   * (the tree groups a 150,000-entry segment by term when it opens).
   */
  termChanges(first: number, count: number): { seq: number; term: bigint }[] {
    const runs: { seq: number; term: bigint }[] = [];
    let last: bigint | undefined;
    let lastBlock: Block | undefined;
    let lastDelta = 0;
    for (let seq = first; seq < first + count; seq++) {
      const b = this.block(seq);
      const i = seq & this.mask;
      let term: bigint;
      if (isWide(b, i)) {
        term = wideRow(b.wide!, i).term;
        lastBlock = undefined;
      } else {
        const delta = columnValue(b.termDelta, i);
        if (b === lastBlock && delta === lastDelta) continue;
        lastBlock = b;
        lastDelta = delta;
        term = b.baseTerm + BigInt(delta);
      }
      if (term !== last) {
        runs.push({ seq, term });
        last = term;
      }
    }
    return runs;
  }

  /** The entry as an object (a new one on each call: the log keeps the ones that are shared). */
  entry(seq: number): EntryRef {
    const b = this.block(seq);
    const i = seq & this.mask;
    const flags = columnValue(b.flags, i);
    const values = flags & WIDE ? wideRow(b.wide!, i) : narrowRow(b, i);
    return {
      index: values.index, term: values.term, type: values.type, file: this.files[columnValue(b.fileOf, i)],
      offset: values.offset, recordLength: values.recordLength, dataLength: values.dataLength, dataAt: values.dataAt,
      crcOk: (flags & CRC_OK) !== 0, seq, overwritten: (flags & OVERWRITTEN) !== 0, uncommitted: (flags & UNCOMMITTED) !== 0,
    };
  }

  /**
   * The rows at `seqs` (from `from` up to `to`) as a table of their own: a batch for a worker thread,
   * one block, every value and flag copied. Its positions are the batch's, not the log's seqs.
   */
  select(seqs: SeqList, from = 0, to = seqs.length): EntryTable {
    const n = Math.max(0, to - from);
    const out = new EntryTable(2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, n)))));
    for (let i = 0; i < n; i++) {
      const seq = seqs.at(from + i);
      const b = this.block(seq);
      const at = seq & this.mask;
      const flags = columnValue(b.flags, at);
      out.addRow(this.files[columnValue(b.fileOf, at)], flags & WIDE ? wideRow(b.wide!, at) : narrowRow(b, at), flags & ROW_FLAGS);
    }
    return out;
  }

  /** The table for postMessage, and the memory to transfer with it (the table is unusable afterwards). */
  transfer(): { table: TransferredTable; memory: ArrayBuffer[] } {
    const memory = this.blocks.flatMap((b) => COLUMNS.flatMap(({ name }) => columnMemory(b[name])));
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
      for (const { name } of COLUMNS) n += columnBytes(b[name]);
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

  private flags(seq: number): number {
    return columnValue(this.block(seq).flags, seq & this.mask);
  }

  private addRow(file: string, e: RowValues & Pick<EntryColumnsInput, 'indexNumber' | 'termNumber'>, flags: number): number {
    const seq = this.count;
    const i = seq & this.mask;
    const k = seq >>> this.shift;
    const indexNumber = e.indexNumber ?? -1;
    const termNumber = e.termNumber ?? -1;
    if (i === 0) this.blocks.push(newBlock(this.blockEntries, exact(indexNumber, e.index), exact(termNumber, e.term)));
    let b = this.blocks[k];
    if (b.packed || b.size <= i) b = this.blocks[k] = unpackedBlock(b, this.blockEntries); // added to after trim()
    const indexDelta = indexNumber >= 0 && b.baseIndexNumber >= 0 ? indexNumber - b.baseIndexNumber : int32Delta(exact(indexNumber, e.index), b.baseIndex);
    const termDelta = termNumber >= 0 && b.baseTermNumber >= 0 ? termNumber - b.baseTermNumber : int32Delta(exact(termNumber, e.term), b.baseTerm);
    const dataGap = e.recordLength - e.dataLength;
    const dataAtGap = e.dataAt === -1 ? 0 : e.dataAt - e.offset;
    if (indexDelta >= -0x8000_0000 && indexDelta <= 0x7fff_ffff && termDelta >= -0x8000_0000 && termDelta <= 0x7fff_ffff
      && isUint(e.offset, 0xffff_ffff) && isUint(e.recordLength, 0xffff_ffff) && isUint(e.type, 0xff)
      && isUint(dataGap, 0xff) && isUint(dataAtGap, 0xff) && (dataAtGap !== 0 || e.dataAt === -1)) {
      b.indexDelta.data![i] = indexDelta;
      b.termDelta.data![i] = termDelta;
      b.offsets.data![i] = e.offset;
      b.recordLengths.data![i] = e.recordLength;
      b.dataGap.data![i] = dataGap;
      b.dataAtGap.data![i] = dataAtGap;
      b.types.data![i] = e.type;
    } else {
      addWideRow((b.wide ??= newWideRows()), i, { ...e, index: exact(indexNumber, e.index), term: exact(termNumber, e.term) });
      flags |= WIDE;
    }
    b.flags.data![i] = flags;
    b.fileOf.data![i] = this.fileNumber(file);
    this.count++;
    if (i === this.mask && k >= this.fullWidthBlocks) this.blocks[k] = packBlock(b, this.blockEntries);
    return seq;
  }

  private block(seq: number): Block {
    if (!(seq >= 0 && seq < this.count && Number.isInteger(seq))) throw new RangeError(`no entry at position ${seq} (the log has ${this.count})`);
    return this.blocks[seq >>> this.shift];
  }

  /** Flags change after the scan (overwritten, committed): a packed flags column becomes a plain one first. */
  private setFlags(seq: number, flags: number): void {
    const b = this.block(seq);
    const c = b.flags;
    if (!(c.data instanceof Uint8Array)) b.flags = unpackColumn(c, Uint8Array, b.size, b.size);
    b.flags.data![seq & this.mask] = flags;
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

function safeNumber(x: bigint): number {
  return x >= 0n && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : -1;
}

/** A row's index or term: its number where the scan gave one (>= 0), else its bigint. */
function exact(n: number, big: bigint): bigint {
  return n >= 0 ? BigInt(n) : big;
}

/**
 * x - base as a number where it fits in an int32, else NaN (no column holds it). By comparison, not
 * BigInt.asIntN: that allocates, and this runs for every row not given as numbers.
 */
function int32Delta(x: bigint, base: bigint): number {
  const d = x - base;
  return d >= -0x8000_0000n && d <= 0x7fff_ffffn ? Number(d) : NaN;
}

function isUint(x: number, max: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= max;
}

/** Whether row `i`'s values are in the side table (no flags read in a block without one). */
function isWide(b: Block, i: number): boolean {
  return b.wide !== undefined && (columnValue(b.flags, i) & WIDE) !== 0;
}

function narrowRow(b: Block, i: number): RowValues {
  const offset = columnValue(b.offsets, i);
  const recordLength = columnValue(b.recordLengths, i);
  const dataAtGap = columnValue(b.dataAtGap, i);
  return {
    index: b.baseIndex + BigInt(columnValue(b.indexDelta, i)), term: b.baseTerm + BigInt(columnValue(b.termDelta, i)),
    type: columnValue(b.types, i), offset, recordLength, dataLength: recordLength - columnValue(b.dataGap, i),
    dataAt: dataAtGap === 0 ? -1 : offset + dataAtGap,
  };
}

function newBlock(n: number, baseIndex: bigint, baseTerm: bigint): Block {
  const columns = {} as Record<ColumnName, Column>;
  for (const { name, type } of COLUMNS) columns[name] = openColumn(type, n);
  return block(baseIndex, baseTerm, n, false, columns, undefined);
}

/** Every block has the same fields in the same order, so reading one stays a monomorphic load. */
function block(baseIndex: bigint, baseTerm: bigint, size: number, packed: boolean, c: Record<ColumnName, Column>, wide: WideRows | undefined): Block {
  return {
    baseIndex, baseTerm, baseIndexNumber: safeNumber(baseIndex), baseTermNumber: safeNumber(baseTerm), size, packed, indexDelta: c.indexDelta, termDelta: c.termDelta, offsets: c.offsets, recordLengths: c.recordLengths,
    dataGap: c.dataGap, dataAtGap: c.dataAtGap, types: c.types, flags: c.flags, fileOf: c.fileOf, wide,
  };
}

/** The first `rows` rows of a filled block, each column at its smallest width. */
function packBlock(b: Block, rows: number): Block {
  const skip = b.wide ? wideMarks(b, rows) : undefined;
  const columns = {} as Record<ColumnName, Column>;
  for (const { name, values, shapes } of COLUMNS) columns[name] = packColumn(b[name].data!, rows, values ? skip : undefined, shapes);
  return block(b.baseIndex, b.baseTerm, rows, true, columns, b.wide && compactWideRows(b.wide));
}

/** A block as one being filled, with room for `n` rows: to add to after trim(), or trimmed at full width. */
function unpackedBlock(b: Block, n: number): Block {
  const columns = {} as Record<ColumnName, Column>;
  for (const { name, type } of COLUMNS) columns[name] = unpackColumn(b[name], type, Math.min(b.size, n), n);
  return block(b.baseIndex, b.baseTerm, n, false, columns, b.wide);
}

/** Non-zero for each of the first `rows` rows kept in the side table. */
function wideMarks(b: Block, rows: number): Uint8Array {
  return Uint8Array.from({ length: rows }, (_, i) => columnValue(b.flags, i) & WIDE);
}
