// Where the text printer writes: straight into a growing byte buffer. The reference's text is ASCII
// (strings and bytes are octal-escaped byte by byte), so characters are stored as bytes as they come,
// with no list of parts to join and no UTF-8 encoding afterwards; large exports hand the bytes to the
// output (or from a worker thread to the main thread) as they are. Non-ASCII text (a file name in a
// problem note) is stored as UTF-8.

const encoder = new TextEncoder();
const NON_ASCII = /[\u0080-\uffff]/;

export class TextSink {
  private buf: Buffer;
  private used = 0;

  /** `memory`: an ArrayBuffer to write into (e.g. one handed back for reuse), if it holds `initialBytes`. */
  constructor(initialBytes = 64 * 1024, memory?: ArrayBuffer) {
    this.buf = memory && memory.byteLength >= initialBytes ? Buffer.from(memory) : Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  get length(): number {
    return this.used;
  }

  /** Appends `text` (UTF-8). Short strings are copied by a loop, long ones natively. */
  write(text: string): void {
    const n = text.length;
    if (this.used + n > this.buf.length) this.grow(n);
    if (n > 48) {
      if (NON_ASCII.test(text)) this.writeUtf8(text);
      else this.used += this.buf.write(text, this.used, 'latin1');
      return;
    }
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        this.used = at;
        this.writeUtf8(text.slice(i));
        return;
      }
      buf[at++] = c;
    }
    this.used = at;
  }

  /** Appends bytes (text encoded once beforehand: labels, indents); short ones by a loop, long ones natively. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.used + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    const at = this.used;
    if (n > 48) buf.set(b, at);
    else for (let i = 0; i < n; i++) buf[at + i] = b[i];
    this.used = at + n;
  }

  /** Appends one ASCII byte (a newline, a quote). */
  byte(c: number): void {
    if (this.used === this.buf.length) this.grow(1);
    this.buf[this.used++] = c;
  }

  /** Room for `n` more bytes, for writers that fill the buffer themselves (see reserve/commit). */
  reserve(n: number): Buffer {
    if (this.used + n > this.buf.length) this.grow(n);
    return this.buf;
  }

  /** After filling the buffer from `length` up to `end` (taken from reserve()). */
  commit(end: number): void {
    this.used = end;
  }

  /** Drops what was written after `mark` (a length read earlier). */
  rewind(mark: number): void {
    if (mark < this.used) this.used = Math.max(0, mark);
  }

  toString(): string {
    return this.buf.toString('utf8', 0, this.used);
  }

  /** The bytes written, as an own copy (e.g. to transfer to another thread); the sink starts over. */
  take(): Uint8Array {
    const out = new Uint8Array(this.buf.subarray(0, this.used));
    this.used = 0;
    return out;
  }

  /**
   * The bytes written, without a copy: the caller gets the sink's memory (a whole allocation of its own,
   * never Node's shared pool) and the sink starts over in `next`: memory handed back for reuse, or a new
   * buffer of that many bytes. Copying out with take() costs as much as writing the text once more
   * (67 MB of configs: ~70 ms), and so does writing into new memory each time: reuse is what saves it.
   */
  handOff(next: ArrayBuffer | number): Uint8Array {
    if (!this.ownsMemory()) return this.take(); // a small first buffer from Node's pool: copy out
    const out = new Uint8Array(this.buf.buffer, 0, this.used);
    this.buf = typeof next === 'number' ? Buffer.allocUnsafeSlow(Math.max(16, next)) : Buffer.from(next);
    this.used = 0;
    return out;
  }

  /**
   * The bytes written, handing over the sink's memory (no copy) when it is a whole ArrayBuffer of its own,
   * so it can be transferred to another thread; else a copy. The sink is not to be used afterwards.
   */
  detach(): Uint8Array {
    return this.ownsMemory() ? new Uint8Array(this.buf.buffer, 0, this.used) : this.take();
  }

  /** Whether the buffer is a whole ArrayBuffer of its own (not a slice of Node's shared pool). */
  private ownsMemory(): boolean {
    return this.buf.byteOffset === 0 && this.buf.buffer.byteLength === this.buf.length;
  }

  /** Forgets the text; a buffer grown past `keepBytes` is given back to the garbage collector. */
  reset(keepBytes = 4 << 20): void {
    this.used = 0;
    if (this.buf.length > keepBytes) this.buf = Buffer.allocUnsafeSlow(keepBytes);
  }

  private writeUtf8(text: string): void {
    const most = text.length * 3;
    if (this.used + most > this.buf.length) this.grow(most);
    this.used += encoder.encodeInto(text, this.buf.subarray(this.used)).written;
  }

  private grow(more: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.used + more));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}
