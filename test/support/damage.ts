// Damage as a disk fault or a power loss leaves it (shared/notes/recovery.md), done to scratch copies only.
import { closeSync, openSync, readSync, truncateSync, writeSync } from 'node:fs';

/** Flips every bit of one byte. */
export function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] ^= 0xff;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

/** Zero-fills `length` bytes at `offset` (sectors that never reached the disk). */
export function zeroFill(path: string, offset: number, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length), 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

export function truncateTo(path: string, size: number): void {
  truncateSync(path, size);
}
