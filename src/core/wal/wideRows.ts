// The rows of an EntryTable block that its compact columns cannot hold (only crafted logs have them),
// kept exactly in typed arrays as the table kept every row before it was compact: 60 bytes a row.
// Plain data (no class), so a block travels to a worker thread by structured clone.

/** The values of one row (its flags live in the table's flags column). */
export interface RowValues {
  /** uint64 */
  index: bigint;
  /** uint64 */
  term: bigint;
  type: number;
  offset: number;
  recordLength: number;
  dataLength: number;
  /** Where the payload starts in the file; -1: the entry has none. */
  dataAt: number;
}

/** Per row in `numbers`: type, offset, recordLength, dataLength, dataAt. */
const NUMBERS = 5;

export interface WideRows {
  count: number;
  /** The rows' positions in their block, ascending (rows are added in order). */
  rows: Uint32Array;
  indexes: BigUint64Array;
  terms: BigUint64Array;
  numbers: Float64Array;
}

export function newWideRows(): WideRows {
  return sized({ count: 0, rows: new Uint32Array(0), indexes: new BigUint64Array(0), terms: new BigUint64Array(0), numbers: new Float64Array(0) }, 4);
}

/** Appends row `row` (above every row already kept). */
export function addWideRow(w: WideRows, row: number, v: RowValues): void {
  if (w.count > 0 && w.rows[w.count - 1] >= row) throw new RangeError(`wide row ${row} added out of order`);
  if (w.count === w.rows.length) Object.assign(w, sized(w, w.count * 2));
  const k = w.count++;
  w.rows[k] = row;
  w.indexes[k] = v.index;
  w.terms[k] = v.term;
  w.numbers.set([v.type, v.offset, v.recordLength, v.dataLength, v.dataAt], k * NUMBERS);
}

export function wideRow(w: WideRows, row: number): RowValues {
  let lo = 0;
  let hi = w.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (w.rows[mid] < row) lo = mid + 1;
    else hi = mid;
  }
  if (lo === w.count || w.rows[lo] !== row) throw new RangeError(`row ${row} is not kept whole`);
  const at = lo * NUMBERS;
  const n = w.numbers;
  return { index: w.indexes[lo], term: w.terms[lo], type: n[at], offset: n[at + 1], recordLength: n[at + 2], dataLength: n[at + 3], dataAt: n[at + 4] };
}

/** Bytes the side table takes (with its room for more). */
export function wideBytes(w: WideRows): number {
  return w.rows.byteLength + w.indexes.byteLength + w.terms.byteLength + w.numbers.byteLength;
}

function sized(w: WideRows, n: number): WideRows {
  const out: WideRows = { count: w.count, rows: new Uint32Array(n), indexes: new BigUint64Array(n), terms: new BigUint64Array(n), numbers: new Float64Array(n * NUMBERS) };
  out.rows.set(w.rows.subarray(0, w.count));
  out.indexes.set(w.indexes.subarray(0, w.count));
  out.terms.set(w.terms.subarray(0, w.count));
  out.numbers.set(w.numbers.subarray(0, w.count * NUMBERS));
  return out;
}

/** The side table without its room for more rows (its block is full). */
export function compactWideRows(w: WideRows): WideRows {
  return w.count === w.rows.length ? w : sized(w, w.count);
}
