// Offsets of records in one segment file, 4 bytes each: a JS array of numbers takes 8 and grows by half
// again, and etcd writes a hard state record with nearly every batch (tens of thousands per segment).
// An offset past 4 GB (a crafted file) widens the list to doubles, so every offset stays exact.
export class OffsetList {
  private items: Uint32Array | Float64Array = new Uint32Array(64);
  private count = 0;

  get length(): number {
    return this.count;
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
  }

  /** Gives back the room kept for more offsets (the segment is read; a later push grows it again). */
  trim(): void {
    if (this.items.length > this.count) this.items = this.items.slice(0, this.count);
  }

  toArray(): number[] {
    return Array.from(this.items.subarray(0, this.count));
  }
}
