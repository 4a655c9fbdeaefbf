// One column of a finished EntryTable block at the smallest width its values need. A log SwarmKit wrote
// has columns that are implied (consecutive indexes: the row's position), constant (term, type, file,
// flags) or small once a base is taken off (record lengths; offsets, which grow through the block, off
// a base per group of 8 to 64 rows), so most columns take no bytes at all and the others a few bits per
// row: residuals are packed at the bits their spread needs (12 for lengths of up to 4 KB, not 16).
// Every value stays exact: the widest form (32-bit residuals) holds any column the filled block held.
// Plain data (no class), so a block travels to a worker thread by structured clone; every column has
// the same fields in the same order (absent parts undefined), so reading one stays a monomorphic load.

export type ColumnData = Uint8Array | Uint16Array | Uint32Array | Int32Array;
type ColumnType = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Int32ArrayConstructor;

/**
 * Packed: value(i) = base + step * i + anchors[i >> anchorShift] + `width` bits at bit i * width of
 * `bits`, each part present only if needed. Plain (a block being filled, or kept at full width):
 * value(i) = data[i], base and step 0, no anchors.
 */
export interface Column {
  base: number;
  /** 0, or 1 for a column that counts up with the row (the index of consecutive entries). */
  step: number;
  /** A base per group of 2^anchorShift rows, above `base`. */
  anchors: Uint32Array | undefined;
  anchorShift: number;
  data: ColumnData | undefined;
  bits: Uint32Array | undefined;
  /** Bits per residual in `bits`, 1 to 32 (0: none). */
  width: number;
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
  if (c.data !== undefined) return c.data[i]; // a plain column: base 0, no step, no anchors
  return c.base + c.step * i + (c.anchors ? c.anchors[i >> c.anchorShift] : 0) + (c.bits ? readBits(c.bits, c.width, i) : 0);
}

function column(base: number, step: number, anchors: Uint32Array | undefined, anchorShift: number, data: ColumnData | undefined, bits: Uint32Array | undefined, width: number): Column {
  return { base, step, anchors, anchorShift, data, bits, width };
}

/** A column being filled: its values as they are, in `data`. */
export function openColumn(type: ColumnType, n: number): Column {
  return column(0, 0, undefined, 0, new type(n), undefined, 0);
}

/** The column as `openColumn` holds it (room for `n` rows), from its first `rows` rows. */
export function unpackColumn(c: Column, type: ColumnType, rows: number, n: number): Column {
  const data = new type(n);
  for (let i = 0; i < rows; i++) data[i] = columnValue(c, i);
  return column(0, 0, undefined, 0, data, undefined, 0);
}

/**
 * The smallest form of the first `n` values. Rows marked in `skip` are don't-cares (they read back as
 * anything): rows the block keeps whole elsewhere.
 */
export function packColumn(values: ColumnData, n: number, skip: Uint8Array | undefined, shapes: Shapes): Column {
  const finest = shapes.anchors ? ANCHOR_SHIFTS[0] : NO_GROUPS;
  let best: Layout | undefined;
  for (const step of shapes.step ? [0, 1] : [0]) {
    const fine = rangesOf(values, n, skip, step, finest); // one pass over the rows; coarser groups from it
    for (const shift of shapes.anchors ? [NO_GROUPS, ...ANCHOR_SHIFTS] : [NO_GROUPS]) {
      const layout = layoutOf(coarser(fine, shift === NO_GROUPS ? fine.lows.length : 1 << (shift - finest)), n, step, shift);
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

/** The smallest and largest residual of each group of 2^shift rows (Infinity, -Infinity: all skipped). */
interface Ranges {
  lows: Float64Array;
  highs: Float64Array;
}

function rangesOf(values: ColumnData, n: number, skip: Uint8Array | undefined, step: number, shift: number): Ranges {
  const groups = shift === NO_GROUPS ? 1 : (n + (1 << shift) - 1) >> shift;
  const lows = new Float64Array(groups).fill(Infinity);
  const highs = new Float64Array(groups).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    if (skip !== undefined && skip[i] !== 0) continue;
    const r = values[i] - step * i;
    const g = i >> shift;
    if (r < lows[g]) lows[g] = r;
    if (r > highs[g]) highs[g] = r;
  }
  return { lows, highs };
}

/** Groups of `factor` groups of `r`, in arrays of their own. */
function coarser(r: Ranges, factor: number): Ranges {
  const groups = Math.ceil(r.lows.length / factor);
  const lows = new Float64Array(groups).fill(Infinity);
  const highs = new Float64Array(groups).fill(-Infinity);
  for (let g = 0; g < r.lows.length; g++) {
    const to = Math.floor(g / factor);
    lows[to] = Math.min(lows[to], r.lows[g]);
    highs[to] = Math.max(highs[to], r.highs[g]);
  }
  return { lows, highs };
}

/** The layout of one shape, or undefined if its anchors or residuals would not fit 32 bits. */
function layoutOf({ lows, highs }: Ranges, n: number, step: number, shift: number): Layout | undefined {
  let base = Infinity;
  for (const low of lows) base = Math.min(base, low);
  if (base === Infinity) base = 0; // every row skipped
  let spread = 0;
  for (let g = 0; g < lows.length; g++) {
    if (lows[g] === Infinity) lows[g] = highs[g] = base; // a group of skipped rows
    if (lows[g] - base > U32_MAX) return undefined;
    spread = Math.max(spread, highs[g] - lows[g]);
  }
  if (spread > U32_MAX) return undefined;
  const width = 32 - Math.clz32(spread);
  return { step, lows, base, shift, width, bytes: 4 * wordsFor(n, width) + (shift === NO_GROUPS ? 0 : 4 * lows.length) };
}

function build(values: ColumnData, n: number, skip: Uint8Array | undefined, layout: Layout): Column {
  const { step, lows, base, shift, width } = layout;
  const anchors = shift === NO_GROUPS ? undefined : Uint32Array.from(lows, (low) => low - base);
  if (width === 0) return column(base, step, anchors, shift, undefined, undefined, 0);
  const bits = new Uint32Array(wordsFor(n, width));
  for (let i = 0; i < n; i++) if (!skip?.[i]) writeBits(bits, width, i, values[i] - step * i - lows[i >> shift]);
  return column(base, step, anchors, shift, undefined, bits, width);
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
  return (v & (-1 >>> (32 - width))) >>> 0;
}

/** Sets residual i (the bits are 0 before). */
function writeBits(bits: Uint32Array, width: number, i: number, v: number): void {
  const at = i * width;
  const word = at >>> 5;
  const shift = at & 31;
  bits[word] |= v << shift;
  if (shift + width > 32) bits[word + 1] |= v >>> (32 - shift);
}
