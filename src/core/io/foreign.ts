// Telling a user what a file is when it is not Swarm Raft data: another program's .wal (SQLite, ...), a
// Jest .snap, a text file. Only the first bytes are looked at, so the message costs nothing to build.

/** The prefix of every fault that says a whole file is not what its name claims. */
export const NOT_SWARM = 'not Swarm Raft data';

/** How many leading bytes `describeContent` needs. */
export const CONTENT_HINT_BYTES = 48;

const SQLITE_WAL_MAGIC = [0x377f0682, 0x377f0683];

/** A short description of what `head` (a file's first bytes) looks like, for "not Swarm Raft data" faults. */
export function describeContent(head: Uint8Array): string {
  if (head.length === 0) return 'the file is empty';
  if (head.length >= 4) {
    const magic = Buffer.from(head.buffer, head.byteOffset, 4).readUInt32BE(0);
    if (SQLITE_WAL_MAGIC.includes(magic)) return 'it starts like an SQLite write-ahead log (magic 0x' + magic.toString(16) + ')';
  }
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, CONTENT_HINT_BYTES)).toString('latin1');
  if (text.startsWith('// Jest Snapshot')) return 'it is a Jest snapshot file';
  if (/^[\t\n\r\x20-\x7e]+$/.test(text)) return `it starts with text: ${JSON.stringify(text.split(/\r?\n/)[0].slice(0, 40))}`;
  return `it starts with bytes ${Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 8)).toString('hex')}`;
}
