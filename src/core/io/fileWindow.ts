// Positional, read-only access to a file through one cached window, so scanning a 64 MB segment costs
// a few large reads instead of two syscalls per record, and memory stays bounded by the window.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { RaftReadError } from '../errors';

const WINDOW_BYTES = 4 * 1024 * 1024;
/** A window read near a skipped record (smallWindowsBefore): a few frames and the next record's header. */
export const SMALL_WINDOW_BYTES = 8 * 1024;

export interface FileWindowOptions {
  /**
   * Read each new window into this memory. A view returned by read() is then only valid until the next
   * read(): right for a single pass that copies what it keeps (the index scan), where a fresh 4 MB buffer
   * per window costs a thousand page faults (half the time of reading a cached segment). One WindowMemory
   * serves files read one after another (the segments of one log).
   */
  reuseWindow?: WindowMemory;
  /** Bytes per window (default 4 MiB); a few small reads (a key check) need no more than 64 KiB. */
  windowBytes?: number;
}

/** A window's worth of memory for FileWindows that read one after another (reuseWindow). */
export class WindowMemory {
  readonly buffer = Buffer.allocUnsafe(WINDOW_BYTES);
}

export class FileWindow {
  readonly size: number;
  private readonly fd: number;
  private windowStart = 0;
  private window: Buffer = Buffer.alloc(0);
  /** The window as a plain Uint8Array: its subarray() is several times cheaper than a Buffer's. */
  private plain: Uint8Array = new Uint8Array(0);
  private readonly windowBytes: number;
  private readonly windowMemory?: Buffer;

  constructor(readonly path: string, options: FileWindowOptions = {}) {
    const opened = openRegularFile(path);
    this.fd = opened.fd;
    this.size = opened.size;
    this.windowMemory = options.reuseWindow?.buffer;
    this.windowBytes = Math.min(options.windowBytes ?? WINDOW_BYTES, WINDOW_BYTES);
  }

  /**
   * Returns `length` bytes at `offset`, or fewer at the end of the file. The result may share memory with
   * the window: copy it if it must outlive the next call.
   */
  read(offset: number, length: number): Buffer {
    const end = Math.min(offset + length, this.size);
    if (offset >= end) return Buffer.alloc(0);
    if (offset >= this.windowStart && end <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, end - this.windowStart);
    }
    if (end - offset > this.windowBytes) return this.readExact(offset, end - offset);
    const at = this.locate(offset, end - offset);
    // -1 here: the file shrank since it was opened, and the window (loaded at `offset`) has what is left.
    return at < 0 ? this.window.subarray(0, end - offset) : this.window.subarray(at, at + end - offset);
  }

  /**
   * Makes bytes[offset, offset + length) of the file readable in `bytes` (the window) without creating a
   * view, and returns where they start there; -1 when the file ends before them. Valid until the next
   * read() or locate(). A range larger than a window becomes the window, in memory of its own.
   */
  locate(offset: number, length: number): number {
    const end = offset + length;
    if (end > this.size) return -1;
    if (offset < this.windowStart || end > this.windowStart + this.window.length) {
      if (length > this.windowBytes) {
        this.window = this.readExact(offset, length);
      } else {
        const wanted = offset < this.smallWindowsBefore ? Math.max(SMALL_WINDOW_BYTES, length) : this.windowBytes;
        const windowLength = Math.min(wanted, this.size - offset);
        this.window = this.readExact(offset, windowLength, this.windowMemory);
      }
      this.plain = new Uint8Array(this.window.buffer, this.window.byteOffset, this.window.length);
      this.windowStart = offset;
      if (this.window.length < length) return -1; // the file shrank under us
    }
    return offset - this.windowStart;
  }

  /**
   * Windows that start before this offset read SMALL_WINDOW_BYTES only: a scan that skips over big
   * records (reading their first bytes) sets it past each one, so the next frame does not pull in the
   * next few megabytes it would skip too.
   */
  smallWindowsBefore = 0;

  /** The window's bytes (see locate). */
  get bytes(): Buffer {
    return this.window;
  }

  /** The window's bytes as a plain Uint8Array (see locate), for views made by the thousand. */
  get plainBytes(): Uint8Array {
    return this.plain;
  }

  private readExact(offset: number, length: number, into?: Buffer): Buffer {
    const buf = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? buf : buf.subarray(0, done);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Opens, uses and always closes a file window. */
export function withFile<T>(path: string, use: (file: FileWindow) => T, options?: FileWindowOptions): T {
  const file = new FileWindow(path, options);
  try {
    return use(file);
  } finally {
    file.close();
  }
}

// Without O_NONBLOCK, opening a FIFO named like a segment would wait forever for a writer (0 on Windows).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens a file read-only (never locking, creating or modifying it) and refuses anything that is not a
 * regular file: a directory, FIFO or device named like a segment, snapshot or key.
 */
export function openRegularFile(path: string): { fd: number; size: number } {
  const fd = openSync(path, OPEN_FLAGS);
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  if (!st.isFile()) {
    closeSync(fd);
    throw new RaftReadError(`not a regular file (${fileKind(st)})`, path, 0);
  }
  return { fd, size: st.size };
}

/** The whole of a regular file (see openRegularFile); for the small files: snapshots, keys, certificates. */
export function readRegularFile(path: string): Buffer {
  const file = new FileWindow(path);
  try {
    return file.read(0, file.size); // a buffer of its own: the window dies with `file`
  } finally {
    file.close();
  }
}

function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
