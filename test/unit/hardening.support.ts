// Foreign files for the hardening tests: what a user may open by mistake as a .wal or .snap.

/** An SQLite write-ahead log: the 32-byte header (magic, format 3007000, page size 4096, ...) and one frame. */
export function sqliteWal(): Buffer {
  const b = Buffer.alloc(32 + 24 + 4096);
  b.writeUInt32BE(0x377f0682, 0);
  b.writeUInt32BE(3007000, 4);
  b.writeUInt32BE(4096, 8);
  b.writeUInt32BE(1, 12);
  b.write('SQLite format 3\0', 56, 'latin1');
  return b;
}

/** A Jest snapshot file, as `jest --ci` writes next to a test. */
export const JEST_SNAP = '// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`x 1`] = `\n<div>\n  hello\n</div>\n`;\n';
