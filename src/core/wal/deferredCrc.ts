// CRC checks of big entry records, left by the index scan for whoever reads the records' data anyway.
// An export reads every entry it prints; checking the CRC then, instead of in a scan that read the whole
// segment first, reads a log of big entries once instead of twice. Every record's CRC is chained from
// the CRC the record before it states (the scan resynchronises on it either way), so each check stands
// alone and can be done in any order.
//
// Only a scan whose reader settles every check before trusting what it built may defer (the CLI's
// dump-wal text): a failing check means the index could differ (a torn write ends the log there), so the
// reader starts again without deferring. Nothing read from a deferred record is shown before then.
import { crc32c } from '../crypto/crc32c';
import { RaftReadError } from '../errors';
import { FileWindow, WindowMemory } from '../io/fileWindow';
import { entryDataView, type EntryRef } from './segment';

/** What locates an entry's record and data (an EntryRef, or the index's row of one). */
export type EntryRefPlace = Pick<EntryRef, 'file' | 'offset' | 'recordLength' | 'dataAt' | 'dataLength'>;

/** A deferred check: the record's data (a raftpb.Entry) and the CRCs it is to be checked against. */
export interface DeferredCrc {
  file: string;
  /** The record's frame (the entry's `offset`). */
  frameOffset: number;
  /** Where the record's data is in the file, and its length. */
  at: number;
  length: number;
  /** The running CRC before the record, and the one the record states. */
  previous: number;
  expected: number;
}

/** Records from this size on are checked when read (ScanOptions.deferCrcFrom): a few in a log, at most. */
export const DEFER_CRC_FROM_BYTES = 256 * 1024;

/** A deferred check failed: the reader must start again without deferring (see the file comment). */
export class DeferredCrcMismatch extends RaftReadError {
  constructor(check: DeferredCrc) {
    super('CRC mismatch found after the index was built: read again with every CRC checked first', check.file, check.frameOffset);
    this.name = 'DeferredCrcMismatch';
  }
}

/** The checks a scan deferred and nobody has settled yet, by file and frame offset. */
export class DeferredCrcs {
  private readonly byFile = new Map<string, Map<number, DeferredCrc>>();
  private count = 0;
  private shortestLength = Infinity;

  get size(): number {
    return this.count;
  }

  /** The shortest record data ever deferred here (Infinity: none). */
  get shortest(): number {
    return this.shortestLength;
  }

  add(check: DeferredCrc): void {
    this.shortestLength = Math.min(this.shortestLength, check.length);
    let checks = this.byFile.get(check.file);
    if (!checks) this.byFile.set(check.file, (checks = new Map()));
    if (!checks.has(check.frameOffset)) this.count++;
    checks.set(check.frameOffset, check);
  }

  /** The unsettled check of the record whose frame is at file:frameOffset, if any. */
  find(file: string, frameOffset: number): DeferredCrc | undefined {
    return this.count === 0 ? undefined : this.byFile.get(file)?.get(frameOffset);
  }

  /** Checks the record's data, read by the caller (bytes[start, start + check.length)); throws DeferredCrcMismatch. */
  settle(check: DeferredCrc, bytes: Uint8Array, start: number): void {
    if (!this.settleChecked(check)) return;
    if (crc32c(check.previous, bytes.subarray(start, start + check.length)) !== check.expected) throw new DeferredCrcMismatch(check);
  }

  /** Settles a check whose bytes were checked elsewhere (recordPrefetch.ts: the addon's thread); false if it was not open. */
  settleChecked(check: DeferredCrc): boolean {
    if (!this.byFile.get(check.file)?.delete(check.frameOffset)) return false;
    this.count--;
    return true;
  }

  /** Reads and checks every record still unsettled (in file order); throws DeferredCrcMismatch at the first bad one. */
  settleAll(): void {
    if (this.count === 0) return;
    const memory = new WindowMemory();
    for (const [path, checks] of [...this.byFile]) {
      if (checks.size === 0) continue;
      let file: FileWindow;
      try {
        file = new FileWindow(path, { reuseWindow: memory });
      } catch {
        throw new DeferredCrcMismatch(checks.values().next().value!); // gone since the scan: the plain read says how
      }
      try {
        for (const check of [...checks.values()].sort((a, b) => a.frameOffset - b.frameOffset)) {
          const at = locateOrFail(file, check); // before plainBytes: locating may replace the window
          this.settle(check, file.plainBytes, at);
        }
      } finally {
        file.close();
      }
    }
  }
}

/** Where the check's bytes are in the file's window; a file that shrank since the scan fails the check. */
function locateOrFail(file: FileWindow, check: DeferredCrc): number {
  const at = file.locate(check.at, check.length);
  if (at < 0) throw new DeferredCrcMismatch(check);
  return at;
}

/**
 * entryDataView (a view of the entry's data in the file's window), settling the record's deferred check
 * first if it has one: the record is then read whole once, for both.
 */
export function checkedEntryDataView(file: FileWindow, entry: EntryRefPlace, deferred: DeferredCrcs): Uint8Array {
  const check = deferred.find(entry.file, entry.offset);
  if (check) {
    const at = locateOrFail(file, check); // before plainBytes: locating may replace the window
    deferred.settle(check, file.plainBytes, at);
  }
  return entryDataView(file, entry);
}
