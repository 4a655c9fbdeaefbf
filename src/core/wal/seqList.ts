// A list of seqs (positions in the EntryTable), such as the effective log's, kept as runs of consecutive
// seqs: a log without overwrites is one run (0..n-1) and each overwrite starts one more, so the list
// takes 8 bytes a run instead of 4 an entry and the index of a long log does not grow by it. A list
// that is not made of runs (a filter's pick) is kept as a plain array, whichever is smaller.

export class SeqList implements Iterable<number> {
  static readonly empty = new SeqList(new Uint32Array(0), undefined, 0, 0);
  /** The run the last at() was in: lists are mostly read in order. */
  private run = 0;

  /**
   * @internal `starts[r]` is run r's first seq and `positions[r]` its place in the list (ascending from
   * 0), for the first `runs` runs. Without positions, `starts` is the list itself.
   */
  constructor(
    private readonly starts: Uint32Array,
    private readonly positions: Uint32Array | undefined,
    private readonly runs: number,
    readonly length: number,
  ) {}

  static of(seqs: Iterable<number>): SeqList {
    const out = new SeqBuilder();
    for (const seq of seqs) out.push(seq);
    return out.owned();
  }

  at(i: number): number {
    if (!(i >= 0 && i < this.length && Number.isInteger(i))) throw new RangeError(`no position ${i} in a list of ${this.length} seqs`);
    if (!this.positions) return this.starts[i];
    const r = this.runOf(i);
    return this.starts[r] + i - this.positions[r];
  }

  /** The first seq, if any. */
  get first(): number | undefined {
    return this.length > 0 ? this.at(0) : undefined;
  }

  /** The list from position `from` on (a plain list's is a view; runs are copied, a few bytes). */
  slice(from: number): SeqList {
    if (from <= 0) return this;
    if (from >= this.length) return SeqList.empty;
    if (!this.positions) return new SeqList(this.starts.subarray(from, this.length), undefined, 0, this.length - from);
    const r = this.runOf(from);
    const starts = this.starts.slice(r, this.runs);
    const positions = this.positions.slice(r, this.runs).map((p) => Math.max(0, p - from));
    starts[0] += from - this.positions[r];
    return new SeqList(starts, positions, this.runs - r, this.length - from);
  }

  filter(keep: (seq: number) => boolean): SeqList {
    const out = new SeqBuilder();
    for (const seq of this) if (keep(seq)) out.push(seq);
    return out.owned();
  }

  *[Symbol.iterator](): Iterator<number> {
    if (!this.positions) {
      for (let i = 0; i < this.length; i++) yield this.starts[i];
      return;
    }
    for (let r = 0; r < this.runs; r++) {
      const end = r + 1 < this.runs ? this.positions[r + 1] : this.length;
      for (let at = this.positions[r], seq = this.starts[r]; at < end; at++) yield seq++;
    }
  }

  /** Bytes its arrays take, for the benchmarks. */
  get byteLength(): number {
    return this.starts.byteLength + (this.positions?.byteLength ?? 0);
  }

  /** The run that holds position `i`. */
  private runOf(i: number): number {
    const positions = this.positions!;
    let r = this.run;
    if (r < this.runs && positions[r] <= i && (r + 1 === this.runs || positions[r + 1] > i)) return r;
    let lo = 0;
    let hi = this.runs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (positions[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    this.run = r = lo;
    return r;
  }
}

/** A SeqList built seq by seq and cut back (raft's overwrite rule): the effective log as it is read. */
export class SeqBuilder {
  private starts = new Uint32Array(16);
  private positions = new Uint32Array(16);
  private runs = 0;
  length = 0;

  push(seq: number): void {
    const r = this.runs - 1;
    if (r >= 0 && seq === this.starts[r] + this.length - this.positions[r]) {
      this.length++;
      return;
    }
    if (this.runs === this.starts.length) this.grow();
    this.starts[this.runs] = seq;
    this.positions[this.runs++] = this.length++;
  }

  /** Keeps the first `n` seqs. */
  truncate(n: number): void {
    if (n >= this.length) return;
    while (this.runs > 0 && this.positions[this.runs - 1] >= n) this.runs--;
    this.length = n;
  }

  /** The list as it is now (valid until the next push or truncate). */
  list(): SeqList {
    return new SeqList(this.starts, this.positions, this.runs, this.length);
  }

  /** The list in arrays of its own: its runs, or the seqs themselves where that is smaller. */
  owned(): SeqList {
    if (this.runs * 2 <= this.length) return new SeqList(this.starts.slice(0, this.runs), this.positions.slice(0, this.runs), this.runs, this.length);
    return new SeqList(Uint32Array.from(this.list()), undefined, 0, this.length);
  }

  private grow(): void {
    const starts = new Uint32Array(this.starts.length * 2);
    const positions = new Uint32Array(this.positions.length * 2);
    starts.set(this.starts);
    positions.set(this.positions);
    this.starts = starts;
    this.positions = positions;
  }
}
