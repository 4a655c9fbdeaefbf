// Log semantics over all segments of a WAL directory: sequence order, gaps, the effective log (a later
// entry at an existing index replaces it and drops everything after it) and the commit point.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RaftReadError, type Fault } from '../errors';
import { FileWindow, WindowMemory } from '../io/fileWindow';
import { runSteps, type Steps } from '../steps';
import { parseSegmentName, type SegmentName } from './segmentName';
import { EntryTable } from './entryTable';
import { OffsetList } from './offsetList';
import { SeqBuilder, SeqList } from './seqList';
import { DeferredCrcs } from './deferredCrc';
import { scanSegmentSteps, type EntryRef, type HardState, type SegmentScan, type WalSnapshotMark } from './segment';

export interface SegmentInfo extends SegmentName {
  path: string;
  name: string;
  scan: SegmentScan;
}

/** An entry of the log: where it is, its plaintext header and its place in the raw and effective logs. */
export type WalEntry = EntryRef;

/**
 * The log of a WAL directory. Its index is `table` (columns, by seq) and `effectiveSeqs`; entry objects are
 * made on demand. `raw` and `effective` list every entry as an object, for views that walk the whole log:
 * they are made on first use and kept (~200 bytes per entry), so hot paths use the table instead.
 */
export class WalLog {
  segments: SegmentInfo[] = [];
  /** Every entry record in file order, overwritten ones included: position = seq. */
  readonly table = new EntryTable();
  /** The log as raft sees it, as seqs: ascending indexes, overwritten entries removed. */
  effectiveSeqs: SeqList = SeqList.empty;
  hardState?: HardState;
  snapshots: WalSnapshotMark[] = [];
  /** Plaintext metadata of the first segment (a SwarmKit RaftMember). */
  metadata?: Uint8Array;
  faults: Fault[] = [];
  /** CRC checks the scan left to the reader of the records' data (ReadWalOptions.deferCrcFrom); none by default. */
  readonly deferredCrcs = new DeferredCrcs();
  private objects: (WalEntry | undefined)[] | undefined;
  private rawList: WalEntry[] | undefined;
  /** The scan's window memory, weakly: an export right after the open reads into it instead of 4 MB more. */
  private scanMemory: WeakRef<WindowMemory> | undefined;

  /** @internal readWalDirectorySteps hands over the memory it scanned with. */
  keepScanMemory(memory: WindowMemory): void {
    this.scanMemory = new WeakRef(memory);
  }

  /**
   * The scan's window memory if the garbage collector has not taken it yet, once (its taker owns it);
   * else a new one. Reusing it keeps an export's peak memory 4 MB lower.
   */
  takeScanMemory(): WindowMemory {
    const memory = this.scanMemory?.deref();
    this.scanMemory = undefined;
    return memory ?? new WindowMemory();
  }
  private effectiveList: WalEntry[] | undefined;

  constructor(
    readonly dir: string,
    /** Files in the directory that are not segments (preallocated .tmp, .broken, ...), with why they were skipped. */
    readonly ignored: { name: string; reason: string }[] = [],
  ) {}

  /** The entry at `seq`, one object per entry however often asked (views compare and keep them). */
  entry(seq: number): WalEntry {
    this.objects ??= new Array<WalEntry | undefined>(this.table.length).fill(undefined);
    return (this.objects[seq] ??= this.table.entry(seq));
  }

  /** The entry at `seq` for a single use (an export): the shared object if there is one, else a new one. */
  entryOnce(seq: number): WalEntry {
    return this.objects?.[seq] ?? this.table.entry(seq);
  }

  /**
   * The log grew or its flags changed (a followed log): entry objects of `seqs` are made again when next
   * asked, and the whole-log lists are rebuilt.
   */
  changed(seqs: Iterable<number>): void {
    if (this.objects) for (const seq of seqs) this.objects[seq] = undefined;
    this.rawList = undefined;
    this.effectiveList = undefined;
  }

  /** Every entry record in file order, overwritten ones included. */
  get raw(): WalEntry[] {
    return (this.rawList ??= Array.from({ length: this.table.length }, (_, seq) => this.entry(seq)));
  }

  /** The log as raft sees it: ascending indexes, overwritten entries removed. */
  get effective(): WalEntry[] {
    return (this.effectiveList ??= Array.from(this.effectiveSeqs, (seq) => this.entry(seq)));
  }

  /** The effective log's seqs whose index is above `after` (its tail: indexes ascend). */
  effectiveSeqsAfter(after: bigint): SeqList {
    const seqs = this.effectiveSeqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.table.index(seqs.at(mid)) > after) hi = mid;
      else lo = mid + 1;
    }
    return seqs.slice(lo);
  }
}

export function listSegments(dir: string): { segments: { path: string; name: string; parsed: SegmentName }[]; ignored: WalLog['ignored'] } {
  const segments: { path: string; name: string; parsed: SegmentName }[] = [];
  const ignored: WalLog['ignored'] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new RaftReadError(`cannot list the WAL directory: ${(e as Error).message}`, dir, 0);
  }
  for (const name of names) {
    const parsed = parseSegmentName(name);
    if (parsed) segments.push({ path: join(dir, name), name, parsed });
    else if (name.endsWith('.tmp')) ignored.push({ name, reason: 'preallocated future segment' });
    else if (name.endsWith('.broken')) ignored.push({ name, reason: 'left by a repair tool' });
    else ignored.push({ name, reason: 'not a WAL segment name' });
  }
  return { segments, ignored };
}

export interface ReadWalOptions {
  /**
   * Leave the CRC checks of entry records of this many bytes or more to whoever reads their data
   * (log.deferredCrcs; see deferredCrc.ts): only for a reader that settles them all before it trusts the index.
   */
  deferCrcFrom?: number;
}

export function readWalDirectory(dir: string, options: ReadWalOptions = {}): WalLog {
  return runSteps(readWalDirectorySteps(dir, options));
}

/** readWalDirectory, yielding every few hundred records so a caller can run it in slices (runStepsInSlices). */
export function* readWalDirectorySteps(dir: string, options: ReadWalOptions = {}): Steps<WalLog> {
  const { segments: found, ignored } = listSegments(dir);
  const log = new WalLog(dir, ignored);
  const memory = new WindowMemory(); // one window for all segments: 4 MB, not 4 MB per segment
  for (let i = 0; i < found.length; i++) {
    const seg = found[i];
    const previous = found[i - 1];
    if (previous && seg.parsed.sequence !== previous.parsed.sequence + 1n) {
      log.faults.push({ file: seg.path, offset: 0, severity: 'error',
        message: `segment sequence gap: ${previous.name} is followed by ${seg.name} (a segment is missing; entries between may be lost)` });
    }
    let scan: SegmentScan;
    let file: FileWindow | undefined;
    try {
      file = new FileWindow(seg.path, { reuseWindow: memory }); // the scan copies what it keeps
      scan = yield* scanSegmentSteps(file, seg.path, {
        isLast: i === found.length - 1, table: log.table, deferCrcFrom: options.deferCrcFrom, deferred: log.deferredCrcs,
      });
    } catch (e) {
      // A directory, FIFO or dangling link named like a segment: say so, and read the others.
      scan = unreadableSegment(seg.path, e, log.table);
    } finally {
      file?.close();
    }
    scan.hardStateOffsets.trim();
    log.segments.push({ ...seg.parsed, path: seg.path, name: seg.name, scan });
    log.faults.push(...scan.faults);
    log.snapshots.push(...scan.snapshots);
    if (scan.lastHardState) log.hardState = scan.lastHardState;
    log.metadata ??= scan.metadata;
  }
  log.keepScanMemory(memory);
  yield;
  log.table.trim();
  log.effectiveSeqs = effectiveSeqs(log.table, log.faults);
  const commit = log.hardState?.commit;
  if (commit !== undefined) for (const seq of log.effectiveSeqsAfter(commit)) log.table.markUncommitted(seq);
  return log;
}

export function unreadableSegment(path: string, e: unknown, table: EntryTable): SegmentScan {
  const message = (e as Error).message.replace(`${path}:0: `, '');
  return {
    file: path, size: 0, end: 0, stop: 'fault', endCrc: 0, records: 0, table, firstSeq: table.length, entryCount: 0, hardStateOffsets: new OffsetList(), snapshots: [],
    faults: [{ file: path, offset: 0, severity: 'error', message: `cannot read this segment: ${message}` }],
  };
}

/**
 * Applies raft's overwrite rule (etcd's ReadAll: an entry at index i cuts the log to its first i - first
 * entries and is appended); marks the replaced entries in `table`. Returns the effective log's seqs.
 */
export function effectiveSeqs(table: EntryTable, faults: Fault[]): SeqList {
  const effective = new EffectiveLog();
  effective.add(table, 0, faults);
  return effective.seqsOwned();
}

/** The effective log built entry by entry, so a log that grows is brought up to date by its new entries only. */
export class EffectiveLog {
  private readonly out = new SeqBuilder();
  private first = 0n;
  private last = 0n;
  /** The lowest position changed by the last add() (entries from there on were replaced or added). */
  changedFrom = 0;
  /** Seqs the last add() marked overwritten. */
  overwritten: number[] = [];

  /** The effective log's seqs (a view: valid until the next add). */
  get seqs(): SeqList {
    return this.out.list();
  }

  /** The seqs in arrays of their own (this log is done with): no room kept for more. */
  seqsOwned(): SeqList {
    return this.out.owned();
  }

  /** Applies the overwrite rule to the table's entries from `fromSeq` on. */
  add(table: EntryTable, fromSeq: number, faults: Fault[]): void {
    const out = this.out;
    this.changedFrom = out.length;
    this.overwritten = [];
    for (let seq = fromSeq; seq < table.length; seq++) {
      const index = table.index(seq);
      if (out.length > 0) {
        if (index <= this.last) {
          const keep = index < this.first ? 0 : Math.min(out.length, Number(index - this.first));
          for (const dropped of out.list().slice(keep)) {
            table.markOverwritten(dropped);
            this.overwritten.push(dropped);
          }
          out.truncate(keep);
          this.changedFrom = Math.min(this.changedFrom, keep);
        } else if (index > this.last + 1n) {
          faults.push({ file: table.file(seq), offset: table.offset(seq), severity: 'warning',
            message: `index gap: entry ${index} follows entry ${this.last} (entries ${this.last + 1n}..${index - 1n} are missing)` });
        }
      }
      if (out.length === 0) this.first = index;
      out.push(seq);
      this.last = index;
    }
  }
}

/**
 * Some of the log's entries, by seq. Objects are made as they are read and not kept: a selection of the
 * whole log costs a few bytes per run of seqs, so an export's memory does not grow with the log.
 */
export class EntryList implements Iterable<WalEntry> {
  constructor(
    readonly log: WalLog,
    readonly seqs: SeqList,
  ) {}

  get length(): number {
    return this.seqs.length;
  }

  /** The i-th entry (a new object unless the log shares one for it). */
  at(i: number): WalEntry {
    if (!(i >= 0 && i < this.seqs.length)) throw new RangeError(`no entry ${i} in a list of ${this.seqs.length}`);
    return this.log.entryOnce(this.seqs.at(i));
  }

  *[Symbol.iterator](): Iterator<WalEntry> {
    for (let i = 0; i < this.seqs.length; i++) yield this.log.entryOnce(this.seqs.at(i));
  }

  /** The entries as the log's shared objects (kept: for views that hold on to them). */
  toArray(): WalEntry[] {
    return Array.from(this.seqs, (seq) => this.log.entry(seq));
  }

  /** The entries whose header `keep` accepts (read from the table: no objects made). */
  filter(keep: (table: EntryTable, seq: number) => boolean): EntryList {
    return new EntryList(this.log, this.seqs.filter((seq) => keep(this.log.table, seq)));
  }
}
