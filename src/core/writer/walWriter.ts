// The inverse of the WAL reader: etcd 3.3's wal.Create / Save / SaveSnapshot / cut, byte for byte.
// Every segment starts with a crc record (the previous segment's final CRC), the metadata record, then a
// snapshot record {0,0} (first segment) or the last hard state (later ones). A Save batch is written
// whole; if the segment then reaches the segment size it is truncated to its end and the next one starts,
// named <sequence+1>-<last entry index+1>. So, as with etcd, a segment can exceed the size by one batch.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../crypto/crc32c';
import { encodeLengthWord } from '../wal/framing';
import { RecordType } from '../wal/records';
import { formatSegmentName } from '../wal/segmentName';
import { EMPTY_BYTES, encodeEntry, encodeHardState, encodeRecord, encodeWalSnapshot, isEmptyHardState, type HardStateFields } from './rawEncode';
import { prepareEmptyDir } from './outputDir';
import { plainSealer, type DataSealer } from './sealer';

/** etcd's wal.SegmentSizeBytes. */
export const SEGMENT_BYTES = 64 * 1000 * 1000;
const BUFFER_BYTES = 4 * 1024 * 1024;

export interface EntryInput {
  index: bigint;
  term: bigint;
  /** 0 = EntryNormal (default), 1 = EntryConfChange. */
  type?: number;
  /** Plaintext payload, sealed by the writer's sealer. Undefined = raft's empty entry. */
  data?: Uint8Array;
}

export interface WalWriterOptions {
  /** The metadata record repeated at the start of every segment (SwarmKit: a marshalled RaftMember). */
  metadata: Uint8Array;
  /** Seals entry data (SwarmKit encryption); default plainSealer (stored as given). */
  sealer?: DataSealer;
  /** Roll-over threshold; default 64,000,000 like etcd. */
  segmentBytes?: number;
  /** Zero-fill (sparse) every new segment as etcd does; default true. */
  preallocate?: boolean;
  /** Size a new segment is zero-filled to; default `segmentBytes` (or 64,000,000 when that is unbounded). */
  preallocateBytes?: number;
  /**
   * Start as a later segment would (a log whose older segments were purged): that sequence and first
   * index, the CRC carried in, and the hard state repeated at its start. Default: a fresh log (0-0).
   */
  resume?: { sequence: bigint; firstIndex: bigint; crc: number; hardState?: HardStateFields };
}

export interface WrittenSegment {
  path: string;
  name: string;
  /** Bytes of records (the file may be longer: the zero-filled tail of the newest segment). */
  end: number;
}

export interface WalWriteResult {
  segments: WrittenSegment[];
  entries: number;
  records: number;
  /** The running CRC after the last record. */
  endCrc: number;
}

export class WalWriter {
  private readonly segmentBytes: number;
  private readonly preallocate: boolean;
  private readonly preallocateBytes: number;
  private readonly sealer: DataSealer;
  private readonly metadata: Uint8Array;
  private readonly segments: WrittenSegment[] = [];
  private fd = -1;
  private sequence: bigint;
  /** Offset in the current segment of what is written or buffered. */
  private offset = 0;
  private flushedTo = 0;
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private buffered = 0;
  private crc = 0;
  /** etcd's enti: the index of the last entry (or snapshot mark) saved. */
  private lastIndex: bigint;
  private hardState: HardStateFields = { term: 0n, vote: 0n, commit: 0n };
  private entries = 0;
  private records = 0;
  private closed = false;

  private constructor(readonly dir: string, options: WalWriterOptions) {
    this.segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
    this.preallocate = options.preallocate ?? true;
    this.preallocateBytes = options.preallocateBytes ?? (Number.isFinite(this.segmentBytes) ? this.segmentBytes : SEGMENT_BYTES);
    this.sealer = options.sealer ?? plainSealer;
    this.metadata = options.metadata;
    const resume = options.resume;
    this.sequence = resume?.sequence ?? 0n;
    this.lastIndex = resume && resume.firstIndex > 0n ? resume.firstIndex - 1n : 0n;
    if (resume?.hardState) this.hardState = { ...resume.hardState };
    this.crc = resume?.crc ?? 0;
    this.openSegment(formatSegmentName(this.sequence, resume?.firstIndex ?? 0n));
    if (!resume) this.saveSnapshot({ index: 0n, term: 0n });
  }

  /** Creates `dir` (it must be new or empty) and writes the first segment's header, like wal.Create. */
  static create(dir: string, options: WalWriterOptions): WalWriter {
    return new WalWriter(prepareEmptyDir(dir), options);
  }

  /** Bytes of records written or buffered so far, over all segments. */
  get writtenBytes(): number {
    return this.segments.slice(0, -1).reduce((n, s) => n + s.end, 0) + this.offset;
  }

  /** Segments started so far (the current one included). */
  get segmentCount(): number {
    return this.segments.length;
  }

  /** Records the raft index/term a snapshot was taken at (wal.SaveSnapshot). */
  saveSnapshot(mark: { index: bigint; term: bigint }): void {
    this.assertOpen();
    this.writeRecord(RecordType.Snapshot, encodeWalSnapshot(mark.index, mark.term));
    if (mark.index > this.lastIndex) this.lastIndex = mark.index;
  }

  /** One raft Ready: the entries, then the hard state (skipped when empty); rolls over when full (wal.Save). */
  save(hardState: HardStateFields | undefined, entries: Iterable<EntryInput> = []): void {
    this.assertOpen();
    // An iterable lets a caller stream a huge batch (decrypting on the fly) without holding it in memory.
    for (const e of entries) this.saveEntry(e);
    if (hardState) this.saveState(hardState);
    if (this.offset >= this.segmentBytes) this.cut();
  }

  /**
   * Writes records of an existing log as they are (their data verbatim), only their CRC chained anew: a
   * repair keeps intact records byte for byte and re-chains around the ones it leaves out.
   */
  saveRawEntry(index: bigint, data: Uint8Array): void {
    this.assertOpen();
    this.writeRecord(RecordType.Entry, data);
    this.lastIndex = index;
    this.entries++;
  }

  /** A hard state record as it is (see saveRawEntry); `state` is its decoded value, repeated at the next segment's start. */
  saveRawHardState(state: HardStateFields, data: Uint8Array): void {
    this.assertOpen();
    this.hardState = { ...state };
    this.writeRecord(RecordType.HardState, data);
  }

  /** A snapshot mark record as it is (see saveRawEntry). */
  saveRawSnapshot(mark: { index: bigint; term: bigint }, data: Uint8Array): void {
    this.assertOpen();
    this.writeRecord(RecordType.Snapshot, data);
    if (mark.index > this.lastIndex) this.lastIndex = mark.index;
  }

  /** The hard state the next segment will start with (the last one saved). */
  get currentHardState(): HardStateFields {
    return { ...this.hardState };
  }

  /** Starts the next segment now (etcd cuts only when full; used to reproduce a given layout). */
  cut(): void {
    this.assertOpen();
    this.finishSegment(true);
    this.sequence += 1n;
    this.openSegment(formatSegmentName(this.sequence, this.lastIndex + 1n));
  }

  /** Flushes and closes; the newest segment keeps its zero-filled tail when preallocating. */
  close(): WalWriteResult {
    if (!this.closed) {
      this.finishSegment(false);
      this.closed = true;
    }
    return { segments: this.segments.map((s) => ({ ...s })), entries: this.entries, records: this.records, endCrc: this.crc };
  }

  private saveEntry(e: EntryInput): void {
    const stored = e.data === undefined && this.sealer === plainSealer ? undefined : this.sealer.seal(e.data ?? EMPTY_BYTES);
    this.writeRecord(RecordType.Entry, encodeEntry({ index: e.index, term: e.term, type: e.type ?? 0, data: stored }));
    this.lastIndex = e.index;
    this.entries++;
  }

  private saveState(state: HardStateFields): void {
    if (isEmptyHardState(state)) return;
    this.hardState = { ...state };
    this.writeRecord(RecordType.HardState, encodeHardState(state));
  }

  private openSegment(name: string): void {
    const path = join(this.dir, name);
    this.fd = openSync(path, 'wx', 0o600); // never replace an existing file
    if (this.preallocate) ftruncateSync(this.fd, this.preallocateBytes);
    this.segments.push({ path, name, end: 0 });
    this.offset = 0;
    this.flushedTo = 0;
    // The crc record carries the running value in and restarts the chain from it.
    this.writeFrame(encodeRecord(RecordType.Crc, this.crc));
    this.writeRecord(RecordType.Metadata, this.metadata);
    if (this.segments.length > 1 || this.sequence > 0n) this.saveState(this.hardState);
  }

  private finishSegment(truncate: boolean): void {
    this.flush();
    // A rolled-over segment ends at its last record, as etcd truncates it; the newest keeps its tail.
    if (truncate || !this.preallocate) ftruncateSync(this.fd, this.offset);
    closeSync(this.fd);
    this.fd = -1;
    this.segments[this.segments.length - 1].end = this.offset;
  }

  private writeRecord(type: RecordType, data: Uint8Array): void {
    this.crc = crc32c(this.crc, data);
    this.writeFrame(encodeRecord(type, this.crc, data));
  }

  private writeFrame(record: Uint8Array): void {
    const { word, paddingLength } = encodeLengthWord(record.length);
    const total = word.length + record.length + paddingLength;
    if (this.buffered + total > this.buffer.length) this.flush();
    if (total > this.buffer.length) this.buffer = Buffer.allocUnsafe(total);
    word.copy(this.buffer, this.buffered);
    this.buffer.set(record, this.buffered + word.length);
    this.buffer.fill(0, this.buffered + word.length + record.length, this.buffered + total);
    this.buffered += total;
    this.offset += total;
    this.records++;
  }

  /** Writes out what is buffered, so a reader following the log sees every record saved so far. */
  flush(): void {
    let done = 0;
    while (done < this.buffered) done += writeSync(this.fd, this.buffer, done, this.buffered - done, this.flushedTo + done);
    this.flushedTo += this.buffered;
    this.buffered = 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the WAL writer is closed');
  }
}
