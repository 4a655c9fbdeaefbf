// Scans one WAL segment: frames -> records -> CRC chain -> plaintext headers. Keeps offsets, not data,
// in columns (EntryTable), so an index of many 64 MB segments stays small; payloads are re-read on demand.
import { crc32c } from '../crypto/crc32c';
import { runSteps, type Steps } from '../steps';
import { SMALL_WINDOW_BYTES, withFile, type FileWindow } from '../io/fileWindow';
import { RaftReadError, type Fault } from '../errors';
import { CONTENT_HINT_BYTES, describeContent, NOT_SWARM } from '../io/foreign';
import { Messages, toU64 } from '../codec';
import { coversZeroSector, firstNonZero, frameSlot, readFrame, type Frame, type FrameFound } from './framing';
import { EntryTable, type EntryColumnsInput } from './entryTable';
import { OffsetList } from './offsetList';
import type { DeferredCrcs } from './deferredCrc';
import {
  decodeWalRecord, ENTRY_RECORD_PREFIX_BYTES, isPlainHardState, readEntryRecordPrefix, readScanHeader, RecordType, viewWalRecord,
  type EntryRecordPrefix, type RecordView, type ScanEntryHeader,
} from './records';

export enum EntryType {
  Normal = 0,
  ConfChange = 1,
}

/** Where an entry's record sits, and its plaintext header. */
export interface EntryRef {
  index: bigint;
  term: bigint;
  type: number;
  file: string;
  /** Offset of the frame (length word) in `file`. */
  offset: number;
  recordLength: number;
  /** Size of the (encrypted) entry data. */
  dataLength: number;
  /** Where that data is in `file` (-1: the entry has none): read without decoding the record again. */
  dataAt: number;
  /** False when the record's CRC did not match the chain: the entry is listed but flagged. */
  crcOk: boolean;
  /** Position in the raw record stream over all segments (in the log's EntryTable). */
  seq: number;
  /** True when a later entry at the same or an earlier index replaced this one. */
  overwritten: boolean;
  /** True when the entry is in the effective log but above the hard state's commit index. */
  uncommitted: boolean;
}

export interface HardState {
  term: bigint;
  vote: bigint;
  commit: bigint;
  file: string;
  offset: number;
}

export interface WalSnapshotMark {
  index: bigint;
  term: bigint;
  file: string;
  offset: number;
}

export interface SegmentScan {
  file: string;
  size: number;
  /** Offset just past the last readable frame. */
  end: number;
  /** Why scanning stopped: the zero-filled preallocated tail, the end of file, or a fault. */
  stop: 'zero-length' | 'eof' | 'fault';
  /** The running CRC carried in from the previous segment (the segment's crc record). */
  startCrc?: number;
  /** The running CRC after the last record. */
  endCrc: number;
  records: number;
  /** Where the segment's entries went (the log's table, shared by its segments): `entryCount` from `firstSeq`. */
  table: EntryTable;
  firstSeq: number;
  entryCount: number;
  /**
   * Where the segment's hard state records are (etcd writes one with nearly every batch of entries: tens
   * of thousands per segment, so only their offsets are kept; segmentHardStates reads them again).
   */
  hardStateOffsets: OffsetList;
  /** The segment's last hard state (the one that counts). */
  lastHardState?: HardState;
  snapshots: WalSnapshotMark[];
  /** Plaintext metadata record data (a SwarmKit RaftMember). */
  metadata?: Uint8Array;
  faults: Fault[];
}

export interface ScanOptions {
  /** The newest segment: a bad frame there may be a torn write (a warning, not an error). */
  isLast: boolean;
  /** The table to add the entries to (the log's); a new one when absent. */
  table?: EntryTable;
  /**
   * Go on from where this earlier scan of the same file stopped (a log that is being appended to): its
   * end, running CRC and counts carry on, and the new records, entries and faults are added to it.
   */
  resume?: SegmentScan;
  /**
   * A bad or CRC-failing record at the end of the newest segment may be a write still in progress: stop
   * there with a warning (`torn write in progress`) instead of reporting and skipping it, so a later
   * resumed scan reads it once it is complete.
   */
  tentative?: boolean;
  /**
   * Entry records of at least this many bytes are not read past their header: their CRC checks go to
   * `deferred`, for the reader of their data to settle (deferredCrc.ts). Not with `tentative` or `resume`.
   */
  deferCrcFrom?: number;
  deferred?: DeferredCrcs;
}

/** How a tentative scan marks a record it stopped at (see ScanOptions.tentative). */
export const IN_PROGRESS = 'torn write in progress';

/** A scanned segment's entries as objects. */
export function segmentEntries(scan: SegmentScan): EntryRef[] {
  return Array.from({ length: scan.entryCount }, (_, i) => scan.table.entry(scan.firstSeq + i));
}

/** Records (or bytes) scanned between two yields of scanSegmentSteps: a millisecond or two of work. */
const STEP_RECORDS = 512;
const STEP_BYTES = 2 * 1024 * 1024;

export function scanSegment(file: FileWindow, displayName: string, options: ScanOptions): SegmentScan {
  return runSteps(scanSegmentSteps(file, displayName, options));
}

/** scanSegment, yielding every few hundred records (or megabytes) so a caller can run it in slices. */
export function* scanSegmentSteps(file: FileWindow, displayName: string, options: ScanOptions): Steps<SegmentScan> {
  const table = options.resume?.table ?? options.table ?? new EntryTable();
  const scan: SegmentScan = options.resume ?? {
    file: displayName, size: file.size, end: 0, stop: 'eof', endCrc: 0, records: 0,
    table, firstSeq: table.length, entryCount: 0, hardStateOffsets: new OffsetList(), snapshots: [], faults: [],
  };
  scan.size = file.size;
  scan.stop = 'eof';
  const fault = (offset: number, message: string, severity: Fault['severity'] = 'error') =>
    scan.faults.push({ file: displayName, offset, message, severity });
  // etcd creates a segment with its crc record already written (a preallocated file renamed into place),
  // so a bad first frame is never a torn write: the file is something else (another program's .wal).
  const foreign = (why: string) => {
    fault(0, `${NOT_SWARM}: ${why}; ${describeContent(file.read(0, CONTENT_HINT_BYTES))}`);
    scan.stop = 'fault';
  };

  const scratch = newScratch();
  let running = options.resume ? scan.endCrc : 0;
  let offset = scan.end;
  const inProgress = (at: number, why: string): boolean => {
    if (!(options.tentative && options.isLast)) return false;
    fault(at, `${IN_PROGRESS}: ${why}`, 'warning');
    scan.stop = 'fault';
    return true;
  };
  const deferred = options.deferred;
  const deferFrom = deferred && !options.tentative && !options.resume ? (options.deferCrcFrom ?? Infinity) : Infinity;
  // Its first 64 KB are read in small windows too: a first window of the usual size would read the first
  // big records whole (a log of small ones pays eight reads for it).
  if (deferFrom !== Infinity && offset === 0) file.smallWindowsBefore = 64 * 1024;
  let stepRecords = 0;
  let stepStart = 0;
  for (;;) {
    if (++stepRecords > STEP_RECORDS || offset - stepStart > STEP_BYTES) {
      yield;
      stepRecords = 0;
      stepStart = offset;
    }
    const result = readFrame(file, offset, scratch.frame);
    if (result.kind === 'end') {
      scan.stop = result.reason;
      // While following, what lies past the zero word may be a write in progress: looked at once the segment is done.
      if (result.reason === 'zero-length' && !(options.tentative && options.isLast)) checkAfterZeroWord(file, offset, fault);
      break;
    }
    if (result.kind === 'bad' && offset === 0 && !crcRecordFollows(file)) {
      foreign(`the first frame is not an etcd WAL frame (${result.message})`);
      break;
    }
    if (result.kind === 'bad') {
      if (inProgress(result.offset, result.message)) break;
      const torn = options.isLast;
      fault(result.offset, torn ? `torn write at the end of the log: ${result.message}` : result.message, torn ? 'warning' : 'error');
      scan.stop = 'fault';
      break;
    }
    const frame = result.frame;
    if (frame.recordLength >= deferFrom && offset > 0 && deferEntryRecord(file, frame, displayName, running, scan, scratch, deferred!)) {
      running = scratch.prefix.crc;
      scan.records++;
      offset = frame.end;
      scan.end = frame.end;
      continue;
    }
    // The record is parsed in place in the window; only its data gets a view (for the CRC).
    const at = file.locate(frame.dataOffset, frame.recordLength);
    if (at < 0) {
      fault(frame.offset, 'the file shrank while it was read');
      scan.stop = 'fault';
      break;
    }
    let record: RecordView;
    try {
      record = viewWalRecord(file.bytes, at, at + frame.recordLength, scratch.record);
    } catch (e) {
      if (offset === 0) {
        foreign(`the first record is not a walpb.Record (${(e as Error).message})`);
        break;
      }
      if (inProgress(frame.offset, `the record does not decode yet (${(e as Error).message})`)) break;
      if (tornFrame(file, frame, options)) {
        fault(frame.offset, 'torn write at the end of the log: the record covers an all-zero sector', 'warning');
        scan.stop = 'fault';
        break;
      }
      fault(frame.offset, `record is not a valid walpb.Record (${(e as Error).message}); skipped`);
      offset = frame.end;
      continue;
    }
    let data = file.plainBytes.subarray(record.dataStart, record.dataEnd);
    const dataAt = frame.dataOffset + (record.dataStart - at);
    if (offset === 0 && record.type !== RecordType.Crc) {
      if (!(record.type in RecordType)) {
        foreign(`the first record has type ${record.type}, and an etcd WAL segment starts with a crc record`);
        break;
      }
      fault(0, `the segment does not start with a crc record (its first record is a ${recordTypeLabel(record.type)} record); CRCs are checked from 0`);
    }
    scan.records++;
    let crcOk = true;
    if (record.type === RecordType.Crc) {
      // Carries the previous segment's final value; a non-first crc record must match the chain.
      if (scan.records > 1 && running !== 0 && record.crc !== running) {
        fault(frame.offset, `crc record ${hex(record.crc)} does not match the running CRC ${hex(running)}`);
      }
      if (scan.startCrc === undefined) scan.startCrc = record.crc;
      running = record.crc;
    } else {
      const computed = crc32c(running, data);
      if (computed !== record.crc) {
        if (inProgress(frame.offset, 'its CRC does not match yet')) {
          scan.records--; // read again, and counted then, by the resumed scan
          break;
        }
        if (tornFrame(file, frame, options)) {
          fault(frame.offset, 'torn write at the end of the log: the record covers an all-zero sector', 'warning');
          scan.stop = 'fault';
          break;
        }
        // tornFrame also read the padding; had that moved the reused window, `data` would be stale (rare: read again).
        data = file.read(dataAt, data.length);
        crcOk = false;
        fault(frame.offset, `CRC mismatch: record says ${hex(record.crc)}, data gives ${hex(computed)}; the record is shown but may be corrupt`);
        running = record.crc; // resynchronise with the writer's chain so one bad record flags only itself
      } else {
        running = computed;
      }
    }
    try {
      addRecord(scan, scratch, record.type, data, dataAt, frame, displayName, crcOk);
    } catch (e) {
      fault(frame.offset, `${recordTypeLabel(record.type)} record data does not decode (${(e as Error).message})`);
    }
    offset = frame.end;
    scan.end = frame.end;
  }
  scan.endCrc = running;
  const last = scratch.lastHardState;
  if (last.offset >= 0) {
    try {
      scan.lastHardState = decodeHardState(file.read(last.dataAt, last.length), displayName, last.offset);
    } catch (e) {
      fault(last.offset, `HardState record data does not decode (${(e as Error).message})`);
    }
  }
  return scan;
}

/** Objects the scan fills for every record instead of allocating new ones (their garbage was a third of the time). */
interface Scratch {
  frame: FrameFound;
  record: RecordView;
  header: ScanEntryHeader;
  prefix: EntryRecordPrefix;
  row: EntryColumnsInput;
  /** The newest hard state record in etcd's plain form: decoded once, when the scan ends (offset -1: none). */
  lastHardState: { offset: number; dataAt: number; length: number };
}

function newScratch(): Scratch {
  return {
    frame: frameSlot(),
    record: { type: 0, crc: 0, dataStart: 0, dataEnd: 0 },
    header: { term: 0n, index: 0n, termNumber: -1, indexNumber: -1, type: 0, dataLength: 0, dataStart: -1 },
    prefix: { crc: 0, entryStart: 0, type: 0, termNumber: 0, indexNumber: 0, dataStart: -1, dataLength: 0 },
    row: { index: 0n, term: 0n, indexNumber: -1, termNumber: -1, type: 0, offset: 0, recordLength: 0, dataLength: 0, dataAt: -1, crcOk: true },
    lastHardState: { offset: -1, dataAt: 0, length: 0 },
  };
}

/**
 * A big entry record added from its first bytes, its CRC check left to `deferred` (ScanOptions.deferCrcFrom).
 * False when its layout is not the plain one readEntryRecordPrefix takes: it is then read whole.
 */
function deferEntryRecord(file: FileWindow, frame: Frame, path: string, running: number, scan: SegmentScan, scratch: Scratch, deferred: DeferredCrcs): boolean {
  const available = Math.min(frame.recordLength, ENTRY_RECORD_PREFIX_BYTES);
  const at = file.locate(frame.dataOffset, available);
  const prefix = scratch.prefix;
  if (at < 0 || !readEntryRecordPrefix(file.plainBytes, at, available, frame.recordLength, prefix)) return false;
  deferred.add({
    file: path, frameOffset: frame.offset, at: frame.dataOffset + prefix.entryStart, length: frame.recordLength - prefix.entryStart,
    previous: running, expected: prefix.crc,
  });
  // crcOk until the check is settled: a failed one makes the reader start again.
  addEntryRow(scan, scratch.row, path, frame, prefix, frame.dataOffset + prefix.dataStart, true);
  // The next frame is read in a small window: a window of the usual size would read the records it skips.
  file.smallWindowsBefore = frame.end + SMALL_WINDOW_BYTES;
  return true;
}

/** What an entry's row takes from its header: the numbers, and the bigints where those are -1. */
type RowHeader = Pick<ScanEntryHeader, 'indexNumber' | 'termNumber' | 'type' | 'dataLength'> & Partial<Pick<ScanEntryHeader, 'index' | 'term'>>;

/** Adds an entry's row to the log's table (`row`: the scan's scratch row). `dataAt`: where its Data is in the file (-1: none). */
function addEntryRow(scan: SegmentScan, row: EntryColumnsInput, file: string, frame: Frame, header: RowHeader, dataAt: number, crcOk: boolean): void {
  // Stale where the numbers are set (the table reads those then).
  if (header.index !== undefined) row.index = header.index;
  if (header.term !== undefined) row.term = header.term;
  row.indexNumber = header.indexNumber;
  row.termNumber = header.termNumber;
  row.type = header.type;
  row.offset = frame.offset;
  row.recordLength = frame.recordLength;
  row.dataLength = header.dataLength;
  row.dataAt = dataAt;
  row.crcOk = crcOk;
  scan.table.add(file, row);
  scan.entryCount++;
}

/** `dataAt`: where `data` (the record's payload) starts in the file. */
function addRecord(scan: SegmentScan, scratch: Scratch, type: number, data: Uint8Array, dataAt: number, frame: Frame, file: string, crcOk: boolean): void {
  switch (type) {
    case RecordType.Entry: {
      const e = readScanHeader(data, 0, data.length, scratch.header);
      addEntryRow(scan, scratch.row, file, frame, e, e.dataStart < 0 ? -1 : dataAt + e.dataStart, crcOk);
      break;
    }
    case RecordType.HardState: {
      const last = scratch.lastHardState;
      if (isPlainHardState(data, 0, data.length)) {
        last.offset = frame.offset;
        last.dataAt = dataAt;
        last.length = data.length;
      } else {
        scan.lastHardState = decodeHardState(data, file, frame.offset); // protobufjs says what is wrong, if anything
        last.offset = -1;
      }
      scan.hardStateOffsets.push(frame.offset);
      break;
    }
    case RecordType.Snapshot: {
      const s = Messages.walSnapshot.decode(data) as unknown as { index?: never; term?: never };
      scan.snapshots.push({ index: toU64(s.index), term: toU64(s.term), file, offset: frame.offset });
      break;
    }
    case RecordType.Metadata:
      scan.metadata ??= Uint8Array.from(data);
      break;
    case RecordType.Crc:
      break;
    default:
      scan.faults.push({ file, offset: frame.offset, message: `unknown record type ${type}; skipped`, severity: 'warning' });
  }
}

function decodeHardState(data: Uint8Array, file: string, offset: number): HardState {
  const h = Messages.raftHardState.decode(data) as unknown as { term?: never; vote?: never; commit?: never };
  return { term: toU64(h.term), vote: toU64(h.vote), commit: toU64(h.commit), file, offset };
}

/** Every hard state record of a scanned segment, read again from its file (scan.file). */
export function segmentHardStates(scan: SegmentScan): HardState[] {
  if (scan.hardStateOffsets.length === 0) return [];
  return withFile(scan.file, (file) => scan.hardStateOffsets.toArray().map((offset) => {
    const frame = readFrame(file, offset);
    if (frame.kind !== 'frame') throw new RaftReadError(`the hard state record is gone (${frame.kind === 'bad' ? frame.message : 'the file ends'})`, scan.file, offset);
    const record = decodeWalRecord(file.read(frame.frame.dataOffset, frame.frame.recordLength));
    return decodeHardState(record.data, scan.file, offset);
  }));
}

interface RawEntry {
  Term?: never;
  Index?: never;
  Type?: number;
  Data?: Uint8Array;
}

/** Reads an entry's record again and returns its (still encrypted) data, as an own copy. */
export function readEntryData(file: FileWindow, ref: Pick<EntryRef, 'offset' | 'recordLength'>): Uint8Array {
  // A memcpy (Buffer.slice would be a view): the copy may be transferred to a worker.
  return new Uint8Array(entryDataView(file, ref));
}

/**
 * readEntryData without the copy: a view into the file's read buffer (copy it to keep or transfer it).
 * With the data's place from the index, the bytes are read directly instead of decoding the record again.
 */
export function entryDataView(file: FileWindow, ref: Pick<EntryRef, 'offset' | 'recordLength'> & Partial<Pick<EntryRef, 'dataAt' | 'dataLength'>>): Uint8Array {
  if (ref.dataAt !== undefined && ref.dataLength !== undefined) {
    if (ref.dataAt < 0) return new Uint8Array(0);
    const at = file.locate(ref.dataAt, ref.dataLength);
    if (at >= 0) return file.plainBytes.subarray(at, at + ref.dataLength);
    // The file is shorter than when it was indexed: decoding the record again says what is wrong.
  }
  const record = decodeWalRecord(file.read(ref.offset + 8, ref.recordLength));
  const e = Messages.raftEntry.decode(record.data) as unknown as RawEntry;
  return e.Data ?? new Uint8Array(0);
}

/** How far past a zero length word to look for data that would be silently skipped. */
const AFTER_ZERO_WORD_BYTES = 64 * 1024;

/**
 * A zero length word ends a segment (etcd's preallocated area), and etcd reads nothing after it. Data
 * right behind one means a zeroed word (or a torn page) hides records: worth a warning. Only the next
 * 64 KiB are looked at, so a 64 MB preallocated tail is not read.
 */
function checkAfterZeroWord(file: FileWindow, offset: number, fault: (offset: number, message: string, severity: Fault['severity']) => void): void {
  const after = file.read(offset + 8, AFTER_ZERO_WORD_BYTES);
  const first = firstNonZero(after);
  if (first === after.length) return;
  fault(offset, `the records end with a zero length word, but non-zero data follows at offset ${offset + 8 + first}: records after it (if any) are not read, as etcd would not`, 'warning');
}

/**
 * The bytes after the first length word are a crc record (type 4, then its crc): a WAL whose first word is
 * damaged. A file too short to tell is taken as a cut-off WAL.
 */
function crcRecordFollows(file: FileWindow): boolean {
  const head = file.read(8, 3);
  return head.length < 3 || (head[0] === 0x08 && head[1] === RecordType.Crc && head[2] === 0x10);
}

function tornFrame(file: FileWindow, frame: Frame, options: ScanOptions): boolean {
  return options.isLast && coversZeroSector(file, frame);
}

function recordTypeLabel(type: number): string {
  return RecordType[type] ?? `type ${type}`;
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
