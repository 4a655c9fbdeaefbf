// Offsets of records in one segment file, read back in order only. etcd writes a hard state record with
// nearly every batch (tens of thousands per segment), so the list is kept small: filled 4 bytes an
// offset, then each full chunk (and the last one at trim()) packed as the differences between neighbours
// (ascending offsets a few KB apart: a dozen bits each, packedColumn.ts). An offset past 4 GB (a crafted
// file) widens the chunk being filled to doubles, left unpacked, so every offset stays exact.
import { columnBytes, columnValue, packColumn, type Column } from './packedColumn';

const CHUNK = 4096;

/** A packed chunk: offset 0 is `first`, offset k is offset k-1 plus step k. */
interface Chunk {
  first: number;
  steps: Column;
  count: number;
}

export class OffsetList {
  private readonly chunks: Chunk[] = [];
  private packedCount = 0;
  private items: Uint32Array | Float64Array = new Uint32Array(64);
  private count = 0;

  get length(): number {
    return this.packedCount + this.count;
  }

  push(offset: number): void {
    if (this.items instanceof Uint32Array && !(Number.isInteger(offset) && offset >= 0 && offset <= 0xffff_ffff)) {
      this.items = Float64Array.from(this.items);
    }
    if (this.count === this.items.length) {
      const wider = new (this.items.constructor as Uint32ArrayConstructor | Float64ArrayConstructor)(Math.max(64, this.count * 2));
      wider.set(this.items);
      this.items = wider;
    }
    this.items[this.count++] = offset;
    if (this.count === CHUNK) this.pack();
  }

  /** Packs the offsets being filled (the segment is read; a later push starts a new chunk). */
  trim(): void {
    this.pack();
    if (this.items.length > this.count) this.items = this.items.slice(0, this.count);
  }

  /** Bytes its arrays take, for the benchmarks. */
  get byteLength(): number {
    return this.chunks.reduce((n, c) => n + columnBytes(c.steps), this.items.byteLength);
  }

  toArray(): number[] {
    const out: number[] = [];
    for (const { first, steps, count } of this.chunks) {
      let offset = first;
      out.push(offset);
      for (let k = 1; k < count; k++) out.push((offset += columnValue(steps, k)));
    }
    for (let k = 0; k < this.count; k++) out.push(this.items[k]);
    return out;
  }

  /** The offsets being filled as a chunk, unless they are doubles or a step does not fit 32 bits. */
  private pack(): void {
    const items = this.items;
    if (this.count === 0 || !(items instanceof Uint32Array)) return;
    const steps = new Int32Array(this.count);
    for (let k = 1; k < this.count; k++) {
      const step = items[k] - items[k - 1];
      if (step < -0x8000_0000 || step > 0x7fff_ffff) return;
      steps[k] = step;
    }
    this.chunks.push({ first: items[0], steps: packColumn(steps, this.count, undefined, {}), count: this.count });
    this.packedCount += this.count;
    this.items = new Uint32Array(64);
    this.count = 0;
  }
}
