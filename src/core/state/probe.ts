// Is this one file Swarm Raft data? For an editor asked to open any .wal/.snap (another program's WAL, a
// Jest snapshot): checks the first frame and record, or the snapshot header, reading a few bytes only.
import { extname } from 'node:path';
import { FileWindow } from '../io/fileWindow';
import { CONTENT_HINT_BYTES, describeContent, NOT_SWARM } from '../io/foreign';
import { checkSnapHeader, SNAP_HEADER_BYTES } from '../snap/snapshotFile';
import { readFrame } from '../wal/framing';
import { decodeWalRecord, RecordType } from '../wal/records';

export interface ProbeResult {
  kind: 'wal' | 'snap' | 'unknown';
  /** Why the file is 'unknown' ("not Swarm Raft data: ..."), or a note on a recognized one (an empty segment). */
  reason?: string;
  /** Where the problem was found (with `reason`). */
  offset?: number;
}

/**
 * Tries the file as what its extension claims first (.wal: a WAL segment, .snap: a snapshot), then as the
 * other; `unknown` with what the file looks like and why it is not what its name says.
 */
export function probeRaftFile(path: string): ProbeResult {
  let file: FileWindow;
  try {
    file = new FileWindow(path);
  } catch (e) {
    return { kind: 'unknown', reason: `cannot read ${path}: ${(e as Error).message}`, offset: 0 };
  }
  try {
    if (file.size === 0) return { kind: 'unknown', reason: `${NOT_SWARM}: the file is empty`, offset: 0 };
    const snapFirst = extname(path).toLowerCase() === '.snap';
    const tries = snapFirst ? [probeSnap(file), probeWal(file)] : [probeWal(file), probeSnap(file)];
    const found = tries.find((t) => t.kind !== 'unknown');
    if (found) return found;
    const as = snapFirst ? 'as an etcd snapshot' : 'as an etcd WAL segment';
    return { kind: 'unknown', reason: `${NOT_SWARM}: ${describeContent(file.read(0, CONTENT_HINT_BYTES))}; ${as}, ${tries[0].reason}`, offset: tries[0].offset };
  } finally {
    file.close();
  }
}

/** A WAL segment: a zero first word (nothing written yet) or a first frame holding a walpb crc record. */
function probeWal(file: FileWindow): ProbeResult {
  const first = readFrame(file, 0);
  if (first.kind === 'end') return { kind: 'wal', reason: 'an empty segment: no records (zero-filled)', offset: 0 };
  if (first.kind === 'bad') return { kind: 'unknown', reason: `the first frame is not a WAL frame (${first.message})`, offset: 0 };
  // A crc record is three small fields: a frame much longer than that is not one, so do not read it all.
  if (first.frame.recordLength > 64) return { kind: 'unknown', reason: `a first record of ${first.frame.recordLength} bytes is not a crc record`, offset: 0 };
  try {
    const record = decodeWalRecord(file.read(first.frame.dataOffset, first.frame.recordLength));
    if (record.type !== RecordType.Crc) return { kind: 'unknown', reason: `the first record has type ${record.type}, not a crc record`, offset: 0 };
  } catch (e) {
    return { kind: 'unknown', reason: `the first record is not a walpb.Record (${(e as Error).message})`, offset: 0 };
  }
  return { kind: 'wal' };
}

function probeSnap(file: FileWindow): ProbeResult {
  const check = checkSnapHeader(file.read(0, SNAP_HEADER_BYTES), file.size);
  if (check.ok) return { kind: 'snap' };
  // A snapshot cut short is still a snapshot (a damaged one): the reader will say what is missing.
  if (!check.foreign) return { kind: 'snap', reason: check.message, offset: check.offset };
  return { kind: 'unknown', reason: check.message, offset: check.offset };
}
