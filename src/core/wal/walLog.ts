// Log semantics over all segments of a WAL directory: sequence order, gaps, the effective log (a later
// entry at an existing index replaces it and drops everything after it) and the commit point.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RaftReadError, type Fault } from '../errors';
import { FileWindow } from '../io/fileWindow';
import { runSteps, type Steps } from '../steps';
import { parseSegmentName, type SegmentName } from './segmentName';
import { scanSegmentSteps, type EntryRef, type HardState, type SegmentScan, type WalSnapshotMark } from './segment';

export interface SegmentInfo extends SegmentName {
  path: string;
  name: string;
  scan: SegmentScan;
}

/** An entry of the log: where it is, its plaintext header and its place in the raw and effective logs. */
export type WalEntry = EntryRef;

export interface WalLog {
  dir: string;
  segments: SegmentInfo[];
  /** Files in the directory that are not segments (preallocated .tmp, .broken, ...), with why they were skipped. */
  ignored: { name: string; reason: string }[];
  /** Every entry record in file order, overwritten ones included. */
  raw: WalEntry[];
  /** The log as raft sees it: ascending indexes, overwritten entries removed. */
  effective: WalEntry[];
  hardState?: HardState;
  snapshots: WalSnapshotMark[];
  /** Plaintext metadata of the first segment (a SwarmKit RaftMember). */
  metadata?: Uint8Array;
  faults: Fault[];
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

export function readWalDirectory(dir: string): WalLog {
  return runSteps(readWalDirectorySteps(dir));
}

/** readWalDirectory, yielding every few hundred records so a caller can run it in slices (runStepsInSlices). */
export function* readWalDirectorySteps(dir: string): Steps<WalLog> {
  const { segments: found, ignored } = listSegments(dir);
  const log: WalLog = { dir, segments: [], ignored, raw: [], effective: [], snapshots: [], faults: [] };
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
      file = new FileWindow(seg.path, { reuseWindow: true }); // the scan copies what it keeps
      scan = yield* scanSegmentSteps(file, seg.path, { isLast: i === found.length - 1 });
    } catch (e) {
      // A directory, FIFO or dangling link named like a segment: say so, and read the others.
      scan = unreadableSegment(seg.path, e);
    } finally {
      file?.close();
    }
    log.segments.push({ ...seg.parsed, path: seg.path, name: seg.name, scan });
    log.faults.push(...scan.faults);
    log.snapshots.push(...scan.snapshots);
    if (scan.hardStates.length) log.hardState = scan.hardStates[scan.hardStates.length - 1];
    log.metadata ??= scan.metadata;
    for (const e of scan.entries) {
      e.seq = log.raw.length;
      log.raw.push(e);
    }
  }
  yield;
  log.effective = effectiveLog(log.raw, log.faults);
  const commit = log.hardState?.commit;
  if (commit !== undefined) for (const e of log.effective) e.uncommitted = e.index > commit;
  return log;
}

function unreadableSegment(path: string, e: unknown): SegmentScan {
  const message = (e as Error).message.replace(`${path}:0: `, '');
  return {
    file: path, size: 0, end: 0, stop: 'fault', endCrc: 0, records: 0, entries: [], hardStates: [], snapshots: [],
    faults: [{ file: path, offset: 0, severity: 'error', message: `cannot read this segment: ${message}` }],
  };
}

/** Applies raft's overwrite rule; marks replaced entries in `raw`. */
export function effectiveLog(raw: WalEntry[], faults: Fault[]): WalEntry[] {
  const out: WalEntry[] = [];
  for (const e of raw) {
    if (out.length > 0) {
      const first = out[0].index;
      const last = out[out.length - 1].index;
      if (e.index <= last) {
        const keep = e.index < first ? 0 : Number(e.index - first);
        for (const dropped of out.splice(keep)) dropped.overwritten = true;
      } else if (e.index > last + 1n) {
        faults.push({ file: e.file, offset: e.offset, severity: 'warning',
          message: `index gap: entry ${e.index} follows entry ${last} (entries ${last + 1n}..${e.index - 1n} are missing)` });
      }
    }
    out.push(e);
  }
  return out;
}
