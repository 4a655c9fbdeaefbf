// One column of a finished EntryTable block at the smallest width its values need. A log SwarmKit wrote
// has columns that are implied (consecutive indexes: the row's position), constant (term, type, file,
// flags) or small once a base is taken off (record lengths; offsets, which grow through the block, off
// a base per group of 8 to 64 rows), so most columns take no bytes at all and the others a few bits per
// row: residuals are packed at the bits their spread needs (12 for lengths of up to 4 KB, not 16).
// Every value stays exact: the widest form (32-bit residuals) holds any column the filled block held.
// Plain data (no class), so a block travels to a worker thread by structured clone.

export type ColumnData = Uint8Array | Uint16Array | Uint32Array | Int32Array;
type ColumnType = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Int32ArrayConstructor;

/**
 * value(i) = base + step * i + anchors[i >> anchorShift] + residual i (of `data` while the block is
 * filled, or `width` bits at bit i * width of `bits` once packed), each part present only if needed.
 */
export interface Column {
  base: number;
  /** 0, or 1 for a column that counts up with the row (the index of consecutive entries). */
  step: number;
  /** A base per group of 2^anchorShift rows, above `base`. */
  anchors?: Uint32Array;
  anchorShift?: number;
  data?: ColumnData;
  bits?: Uint32Array;
  /** Bits per residual in `bits`, 1 to 32. */
  width?: number;
}

/** The shapes a column may take beyond a base and residuals (each is tried only where it can pay). */
export interface Shapes {
  step?: boolean;
  anchors?: boolean;
}

/** Groups of 8 to 64 rows: smaller ones keep offsets of bigger records within 16 bits. */
const ANCHOR_SHIFTS = [3, 4, 5, 6];
/** Row >> this is 0 for every row of a block (under 2^31 rows): one group. */
const NO_GROUPS = 31;
const U32_MAX = 0xffff_ffff;

export function columnValue(c: Column, i: number): number {
  const d = c.data;
  const residual = d ? d[i] : c.bits ? readBits(c.bits, c.width!, i) : 0;
  return c.base + c.step * i + (c.anchors ? c.anchors[i >> c.anchorShift!] : 0) + residual;
}

/** A column being filled: its values as they are, in `data`. */
export function openColumn(type: ColumnType, n: number): Column {
  return { base: 0, step: 0, data: new type(n) };
}

/** The column as `openColumn` holds it, from its first `n` rows; rows marked in `skip` read 0. */
export function unpackColumn(c: Column, type: ColumnType, rows: number, n: number, skip?: Uint8Array): Column {
  const data = new type(n);
  for (let i = 0; i < rows; i++) if (!skip?.[i]) data[i] = columnValue(c, i);
  return { base: 0, step: 0, data };
}

/**
 * The smallest form of the first `n` values. Rows marked in `skip` are don't-cares (they read back as
 * anything): rows the block keeps whole elsewhere.
 */
export function packColumn(values: ColumnData, n: number, skip: Uint8Array | undefined, shapes: Shapes): Column {
  let best: Layout | undefined;
  for (const step of shapes.step ? [0, 1] : [0]) {
    for (const shift of shapes.anchors ? [NO_GROUPS, ...ANCHOR_SHIFTS] : [NO_GROUPS]) {
      const layout = layoutOf(values, n, skip, step, shift);
      if (layout && (!best || layout.bytes < best.bytes)) best = layout;
    }
  }
  return build(values, n, skip, best!);
}

export function columnBytes(c: Column): number {
  return (c.anchors?.byteLength ?? 0) + (c.data?.byteLength ?? 0) + (c.bits?.byteLength ?? 0);
}

export function columnMemory(c: Column): ArrayBuffer[] {
  return [c.anchors, c.data, c.bits].filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer);
}

interface Layout {
  step: number;
  /** Each group's smallest residual (one group unless anchored). */
  lows: Float64Array;
  base: number;
  /** Row >> shift is the row's group. */
  shift: number;
  /** Bits per residual (0: every residual is 0). */
  width: number;
  bytes: number;
}

/** The layout of one shape, or undefined if its anchors or residuals would not fit 32 bits. */
function layoutOf(values: ColumnData, n: number, skip: Uint8Array | undefined, step: number, shift: number): Layout | undefined {
  const anchored = shift !== NO_GROUPS;
  const groups = anchored ? (n + (1 << shift) - 1) >> shift : 1;
  const lows = new Float64Array(groups).fill(Infinity);
  const highs = new Float64Array(groups).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    if (skip?.[i]) continue;
    const r = values[i] - step * i;
    const g = i >> shift;
    if (r < lows[g]) lows[g] = r;
    if (r > highs[g]) highs[g] = r;
  }
  let base = Infinity;
  for (const low of lows) base = Math.min(base, low);
  if (base === Infinity) base = 0; // every row skipped
  let spread = 0;
  for (let g = 0; g < groups; g++) {
    if (lows[g] === Infinity) lows[g] = highs[g] = base; // a group of skipped rows
    if (lows[g] - base > U32_MAX) return undefined;
    spread = Math.max(spread, highs[g] - lows[g]);
  }
  if (spread > U32_MAX) return undefined;
  const width = 32 - Math.clz32(spread);
  return { step, lows, base, shift, width, bytes: 4 * wordsFor(n, width) + (anchored ? 4 * groups : 0) };
}

function build(values: ColumnData, n: number, skip: Uint8Array | undefined, layout: Layout): Column {
  const { step, lows, base, shift, width } = layout;
  const column: Column = { base, step };
  if (shift !== NO_GROUPS) {
    column.anchors = Uint32Array.from(lows, (low) => low - base);
    column.anchorShift = shift;
  }
  if (width === 0) return column;
  const bits = new Uint32Array(wordsFor(n, width));
  for (let i = 0; i < n; i++) if (!skip?.[i]) writeBits(bits, width, i, values[i] - step * i - lows[i >> shift]);
  column.bits = bits;
  column.width = width;
  return column;
}

function wordsFor(n: number, width: number): number {
  return Math.ceil((n * width) / 32);
}

/** Residual i of `width` bits (it may straddle two words). */
function readBits(bits: Uint32Array, width: number, i: number): number {
  const at = i * width;
  const word = at >>> 5;
  const shift = at & 31;
  let v = bits[word] >>> shift;
  if (shift + width > 32) v |= bits[word + 1] << (32 - shift);
  return width === 32 ? v >>> 0 : v & (2 ** width - 1);
}

/** Sets residual i (the bits are 0 before). */
function writeBits(bits: Uint32Array, width: number, i: number, v: number): void {
  const at = i * width;
  const word = at >>> 5;
  const shift = at & 31;
  bits[word] |= v << shift;
  if (shift + width > 32) bits[word + 1] |= v >>> (32 - shift);
}
