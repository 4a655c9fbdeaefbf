// Following a WAL directory that is being written (a running manager, or a copy being appended to): each
// poll reads only what was appended since the last one, from where the previous scan stopped, so its cost
// is proportional to the new bytes. A new segment (roll-over) is scanned from its start; a record at the
// end that does not read yet is a write in progress, reported as a fault only when it stays that way.
// A poll that finds no new record costs a directory listing and an 8-byte read. Strictly read-only:
// files are opened read-only and read; nothing is locked or written.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import type { Fault } from '../errors';
import { FileWindow } from '../io/fileWindow';
import { runSteps } from '../steps';
import { IN_PROGRESS, scanSegmentSteps, type SegmentScan } from './segment';
import { EffectiveLog, listSegments, unreadableSegment, type WalLog } from './walLog';

export interface WalUpdate {
  /** True when anything below changed (the views must refresh). */
  changed: boolean;
  /** New entry records: seqs firstNewSeq .. firstNewSeq + newRecords - 1. */
  firstNewSeq: number;
  newRecords: number;
  /** Entries replaced by new ones at the same index (a new leader's log): their seqs. */
  overwritten: number[];
  commitBefore: bigint;
  commitAfter: bigint;
  segmentsAdded: string[];
  /** Segments that disappeared (purged after a snapshot); their entries stay indexed but no longer read. */
  segmentsGone: string[];
  /** Faults found by this poll (also added to log.faults). */
  faults: Fault[];
  /** A record at the end that does not read yet, and since when (ms) it has looked so. */
  pending?: { file: string; offset: number; message: string; sinceMs: number };
}

const RESUME_WINDOW_BYTES = 256 * 1024;

export interface WalFollowOptions {
  /** How long a record may stay incomplete before it counts as torn (default 2 s). */
  tornAfterMs?: number;
}

export class WalFollower {
  private readonly effective: EffectiveLog;
  private pending: WalUpdate['pending'];
  private readonly reported = new Set<string>();
  private readonly gone = new Set<string>();
  private readonly tornAfterMs: number;

  constructor(readonly log: WalLog, options: WalFollowOptions = {}) {
    this.tornAfterMs = options.tornAfterMs ?? 2000;
    this.effective = new EffectiveLog();
    this.effective.add(log.table, 0, []); // the same log the read built (its faults are already reported)
    for (const f of log.faults) this.reported.add(faultKey(f));
  }

  /** Reads what was appended since the last poll. */
  poll(nowMs = Date.now()): WalUpdate {
    const log = this.log;
    const table = log.table;
    const update: WalUpdate = {
      changed: false, firstNewSeq: table.length, newRecords: 0, overwritten: [], commitBefore: log.hardState?.commit ?? 0n,
      commitAfter: log.hardState?.commit ?? 0n, segmentsAdded: [], segmentsGone: [], faults: [],
    };
    const { segments: found } = listSegments(log.dir);
    const names = new Set(found.map((s) => s.name));
    for (const s of log.segments) {
      if (names.has(s.name) || this.gone.has(s.name)) continue;
      this.gone.add(s.name);
      update.segmentsGone.push(s.name);
    }
    const last = log.segments[log.segments.length - 1];
    const lastAt = last ? found.findIndex((s) => s.name === last.name) : -1;
    const newer = last ? (lastAt >= 0 ? found.slice(lastAt + 1) : []) : found;
    const scanned: SegmentScan[] = [];
    const tentative = !(this.pending && nowMs - this.pending.sinceMs >= this.tornAfterMs);

    if (last && lastAt >= 0) {
      if (newer.length > 0 || this.pending?.file === last.path || recordStartsAt(last.path, last.scan.end)) {
        this.forgetTail(last.scan);
        scanned.push(this.resume(last.scan, last.path, newer.length === 0, tentative));
      }
    }
    for (let i = 0; i < newer.length; i++) {
      const seg = newer[i];
      const previous = log.segments[log.segments.length - 1];
      if (previous && seg.parsed.sequence !== previous.sequence + 1n) {
        this.addFault(update, { file: seg.path, offset: 0, severity: 'error',
          message: `segment sequence gap: ${previous.name} is followed by ${seg.name} (a segment is missing; entries between may be lost)` });
      }
      const isLast = i === newer.length - 1;
      const scan = this.scanNew(seg.path, isLast, tentative);
      log.segments.push({ ...seg.parsed, path: seg.path, name: seg.name, scan });
      log.metadata ??= scan.metadata;
      update.segmentsAdded.push(seg.name);
      scanned.push(scan);
    }

    let pending: WalUpdate['pending'];
    for (const scan of scanned) {
      for (const f of scan.faults) {
        if (f.message.startsWith(IN_PROGRESS)) {
          const same = this.pending?.file === f.file && this.pending.offset === f.offset;
          pending = { file: f.file, offset: f.offset, message: f.message, sinceMs: same ? this.pending!.sinceMs : nowMs };
        } else {
          this.addFault(update, f);
        }
      }
      if (scan.lastHardState) log.hardState = scan.lastHardState;
    }
    // Snapshot marks of the scanned stretch (the resumed scan's list holds its older ones too).
    const knownMarks = new Set(log.snapshots.map((m) => `${m.file}:${m.offset}`));
    for (const scan of scanned) for (const m of scan.snapshots) if (!knownMarks.has(`${m.file}:${m.offset}`)) log.snapshots.push(m);
    this.pending = update.pending = pending;

    update.newRecords = table.length - update.firstNewSeq;
    if (update.newRecords > 0) {
      const gaps: Fault[] = [];
      this.effective.add(table, update.firstNewSeq, gaps);
      for (const f of gaps) this.addFault(update, f);
      log.effectiveSeqs = this.effective.seqs;
      update.overwritten = this.effective.overwritten;
    }
    update.commitAfter = log.hardState?.commit ?? 0n;
    const flagged = this.updateCommitted(update.commitBefore, update.commitAfter);
    if (update.newRecords > 0 || flagged.length > 0 || update.overwritten.length > 0) {
      const changedSeqs = [...flagged, ...update.overwritten];
      for (let seq = update.firstNewSeq; seq < table.length; seq++) changedSeqs.push(seq);
      log.changed(changedSeqs);
    }
    update.changed = update.newRecords > 0 || update.commitAfter !== update.commitBefore || update.faults.length > 0
      || update.segmentsAdded.length > 0 || update.segmentsGone.length > 0;
    return update;
  }

  /** Entries above the commit index are flagged uncommitted; those the commit reached lose the flag. */
  private updateCommitted(before: bigint, after: bigint): number[] {
    const table = this.log.table;
    const changed: number[] = [];
    for (const seq of this.log.effectiveSeqsAfter(before < after ? before : after)) {
      const uncommitted = table.index(seq) > after;
      if (uncommitted === table.uncommitted(seq)) continue;
      if (uncommitted) table.markUncommitted(seq);
      else table.markCommitted(seq);
      changed.push(seq);
    }
    return changed;
  }

  /** Drops the faults at or after where the scan stopped: that stretch is read again. */
  private forgetTail(scan: SegmentScan): void {
    const tail = (f: Fault) => f.file === scan.file && f.offset >= scan.end;
    scan.faults = scan.faults.filter((f) => !tail(f));
    this.log.faults = this.log.faults.filter((f) => !tail(f));
  }

  private resume(scan: SegmentScan, path: string, isLast: boolean, tentative: boolean): SegmentScan {
    const before = scan.faults.length;
    let file: FileWindow | undefined;
    try {
      // A small window: an append is usually a few KB, and a 4 MB window would read (and copy) the
      // preallocated zeros after it on every poll.
      file = new FileWindow(path, { windowBytes: RESUME_WINDOW_BYTES });
      runSteps(scanSegmentSteps(file, path, { isLast, resume: scan, tentative }));
    } catch (e) {
      scan.faults.push({ file: path, offset: scan.end, severity: 'error', message: `cannot read this segment any more: ${(e as Error).message}` });
    } finally {
      file?.close();
    }
    return { ...scan, faults: scan.faults.slice(before), snapshots: scan.snapshots };
  }

  private scanNew(path: string, isLast: boolean, tentative: boolean): SegmentScan {
    let file: FileWindow | undefined;
    try {
      file = new FileWindow(path);
      return runSteps(scanSegmentSteps(file, path, { isLast, table: this.log.table, tentative }));
    } catch (e) {
      return unreadableSegment(path, e, this.log.table);
    } finally {
      file?.close();
    }
  }

  private addFault(update: WalUpdate, f: Fault): void {
    this.log.faults.push(f);
    const key = faultKey(f);
    if (this.reported.has(key)) return;
    this.reported.add(key);
    update.faults.push(f);
  }
}

function faultKey(f: Fault): string {
  return `${f.file}:${f.offset}:${f.message}`;
}

/**
 * Whether a record (a non-zero length word) starts at `offset`: the check each poll makes instead of
 * reading on. Not mtime or size: a preallocated segment keeps its size, and two writes within one tick of
 * the file system's clock leave the same mtime.
 */
function recordStartsAt(path: string, offset: number): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return false;
  }
  try {
    const word = Buffer.alloc(8);
    return readSync(fd, word, 0, 8, offset) === 8 && word.some((b) => b !== 0);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
