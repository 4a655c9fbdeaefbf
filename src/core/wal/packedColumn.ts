// One column of a finished EntryTable block at the smallest width its values need. A log SwarmKit wrote
// has columns that are implied (consecutive indexes: the row's position), constant (term, type, file,
// flags) or small once a base is taken off (record lengths; offsets, which grow through the block, off
// a base per group of 8 to 64 rows), so most columns take no bytes at all and the others one or two per row.
// Every value stays exact: the widest form (Uint32 residuals) holds any column the filled block held.
// Plain data (no class), so a block travels to a worker thread by structured clone.

export type ColumnData = Uint8Array | Uint16Array | Uint32Array | Int32Array;
type ColumnType = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Int32ArrayConstructor;

/** value(i) = base + step * i + anchors[i >> anchorShift] + data[i], each part present only if needed. */
export interface Column {
  base: number;
  /** 0, or 1 for a column that counts up with the row (the index of consecutive entries). */
  step: number;
  /** A base per group of 2^anchorShift rows, above `base`. */
  anchors?: Uint32Array;
  anchorShift?: number;
  data?: ColumnData;
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
  return c.base + c.step * i + (c.anchors ? c.anchors[i >> c.anchorShift!] : 0) + (d ? d[i] : 0);
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
  return (c.anchors?.byteLength ?? 0) + (c.data?.byteLength ?? 0);
}

export function columnMemory(c: Column): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  if (c.anchors) out.push(c.anchors.buffer as ArrayBuffer);
  if (c.data) out.push(c.data.buffer as ArrayBuffer);
  return out;
}

interface Layout {
  step: number;
  /** Each group's smallest residual (one group unless anchored). */
  lows: Float64Array;
  base: number;
  /** Row >> shift is the row's group. */
  shift: number;
  width: 0 | 1 | 2 | 4;
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
  const width = spread === 0 ? 0 : spread <= 0xff ? 1 : spread <= 0xffff ? 2 : spread <= U32_MAX ? 4 : undefined;
  if (width === undefined) return undefined;
  return { step, lows, base, shift, width, bytes: width * n + (anchored ? 4 * groups : 0) };
}

function build(values: ColumnData, n: number, skip: Uint8Array | undefined, layout: Layout): Column {
  const { step, lows, base, shift, width } = layout;
  const column: Column = { base, step };
  if (shift !== NO_GROUPS) {
    column.anchors = Uint32Array.from(lows, (low) => low - base);
    column.anchorShift = shift;
  }
  if (width === 0) return column;
  const data = new (width === 1 ? Uint8Array : width === 2 ? Uint16Array : Uint32Array)(n);
  for (let i = 0; i < n; i++) if (!skip?.[i]) data[i] = values[i] - step * i - lows[i >> shift];
  column.data = data;
  return column;
}
