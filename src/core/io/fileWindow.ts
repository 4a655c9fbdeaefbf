// Positional, read-only access to a file through one cached window, so scanning a 64 MB segment costs
// a few large reads instead of two syscalls per record, and memory stays bounded by the window.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const WINDOW_BYTES = 4 * 1024 * 1024;

export class FileWindow {
  readonly size: number;
  private readonly fd: number;
  private windowStart = 0;
  private window: Buffer = Buffer.alloc(0);

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r'); // read-only: never lock, create or modify what we read
    this.size = fstatSync(this.fd).size;
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
    if (end - offset > WINDOW_BYTES) return this.readExact(offset, end - offset);
    this.windowStart = offset;
    this.window = this.readExact(offset, Math.min(WINDOW_BYTES, this.size - offset));
    return this.window.subarray(0, end - offset);
  }

  private readExact(offset: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
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
export function withFile<T>(path: string, use: (file: FileWindow) => T): T {
  const file = new FileWindow(path);
  try {
    return use(file);
  } finally {
    file.close();
  }
}
