// Writes a planned repair into OUT: a complete state directory (everything but the raft log copied as it
// is), the kept snapshot files, and the WAL re-framed through the writer: every kept record's data
// verbatim, the CRC chain computed anew, segments cut where the source's were and named as etcd names
// them, then the snapshot mark and hard state the plan adds. On any failure OUT is removed again (or
// emptied, when it existed), so a refusal leaves nothing behind. The source is only read.
import { copyFileSync, constants, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RaftReadError } from '../errors';
import { runSteps, type Steps } from '../steps';
import { FileWindow, WindowMemory } from '../io/fileWindow';
import { SwarmState, type OpenOptions } from '../state/swarmState';
import { readEntryHeader, RecordType } from '../wal/records';
import { assertMissingOrEmpty, assertOutsideOf, prepareEmptyDir } from '../writer/outputDir';
import { WalWriter } from '../writer/walWriter';
import type { HardStateFields } from '../writer/rawEncode';
import type { RepairPlan, RepairResult } from './model';
import { decodeHardStateRecord, decodeSnapshotMark } from './records';
import { walkSegment, type WalkedRecord } from './recordWalk';

/** Records between two yields of the steps. */
const STEP_RECORDS = 256;

/** Refuses an output inside the source or holding anything; creates nothing. */
export function checkRepairOutput(outDir: string, stateDir: string): void {
  assertOutsideOf(outDir, stateDir);
  assertMissingOrEmpty(outDir);
}

export function writeRepair(state: SwarmState, plan: RepairPlan, outDir: string, onProgress?: (fraction: number, message: string) => void): RepairResult {
  return runSteps(writeRepairSteps(state, plan, outDir, onProgress));
}

/** writeRepair, yielding every few hundred records (the extension runs it in slices). */
export function* writeRepairSteps(state: SwarmState, plan: RepairPlan, outDir: string, onProgress?: (fraction: number, message: string) => void): Steps<RepairResult> {
  checkRepairOutput(outDir, state.layout.stateDir);
  const existed = existsSync(outDir);
  const out = prepareEmptyDir(outDir);
  try {
    const copied = copyOtherFiles(state, out);
    const snapDir = join(out, relative(state.layout.stateDir, state.layout.snapDir));
    mkdirSync(snapDir, { recursive: true, mode: 0o700 });
    const snapFiles = plan.snapshotFiles.map((name) => {
      copyFileSync(join(state.layout.snapDir, name), join(snapDir, name), constants.COPYFILE_EXCL);
      return join(snapDir, name);
    });
    const walFiles = yield* writeWal(state, plan, join(out, relative(state.layout.stateDir, state.layout.walDir)), onProgress);
    return { outDir: out, walFiles, snapFiles, copied, verification: [] };
  } catch (e) {
    if (existed) for (const name of readdirSync(out)) rmSync(join(out, name), { recursive: true, force: true });
    else rmSync(out, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Everything of the state directory except the WAL and snapshot folders (certificates, docker-state.json,
 * state.json, worker/, ...), which keep their place relative to it: raft/wal-v3-encrypted, or a plain
 * layout's folders.
 */
function copyOtherFiles(state: SwarmState, out: string): string[] {
  const { stateDir, walDir, snapDir } = state.layout;
  const skipped = [walDir, snapDir];
  const copied: string[] = [];
  const copyDir = (from: string, to: string) => {
    for (const name of readdirSync(from).sort()) {
      const path = join(from, name);
      const target = join(to, name);
      if (skipped.includes(path)) continue;
      if (skipped.some((s) => s.startsWith(path + sep))) {
        mkdirSync(target, { mode: 0o700 });
        copyDir(path, target);
        continue;
      }
      cpSync(path, target, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
      copied.push(relative(out, target));
    }
  };
  copyDir(stateDir, out);
  return copied;
}

function* writeWal(state: SwarmState, plan: RepairPlan, walDir: string, onProgress?: (fraction: number, message: string) => void): Steps<string[]> {
  const segments = state.wal.segments;
  const first = segments[0];
  const fresh = first.sequence === 0n && first.firstIndex === 0n;
  const total = segments.reduce((n, s) => n + s.scan.size, 0) || 1;
  const memory = new WindowMemory();
  const { drops, cut } = plan.decisions;
  let writer: WalWriter | undefined;
  let done = 0;
  const create = (startCrc: number, headerState?: HardStateFields) => WalWriter.create(walDir, {
    metadata: state.wal.metadata ?? new Uint8Array(0),
    segmentBytes: Infinity, // segments end where the source's did
    resume: fresh ? undefined : { sequence: first.sequence, firstIndex: first.firstIndex, crc: startCrc, hardState: headerState },
  });
  try {
    for (let number = 0; number < segments.length; number++) {
      if (cut && number > cut.segment) break;
      const segment = segments[number];
      onProgress?.(done / total, `writing ${segment.name}`);
      const file = new FileWindow(segment.path, { reuseWindow: memory });
      try {
        let ordinal = 0;
        let startCrc = 0;
        let started = false;
        for (const item of walkSegment(file)) {
          if (item.kind === 'damage') continue;
          if (++ordinal % STEP_RECORDS === 0) {
            onProgress?.((done + item.offset) / total, `writing ${segment.name}`);
            yield;
          }
          if (item.type === RecordType.Crc && ordinal === 1) startCrc = item.crc;
          if (item.type === RecordType.Crc || item.type === RecordType.Metadata) continue;
          if (cut && number === cut.segment && item.offset >= cut.offset) break;
          if (drops.has(`${number}:${item.offset}`)) continue;
          if (!item.verified) throw new RaftReadError('the record reads differently than when the repair was planned (did the file change?)', segment.path, item.offset);
          const headerState = ordinal === 3 && item.type === RecordType.HardState ? decodeHardStateRecord(item.data) : undefined;
          if (!started) {
            started = true;
            if (!writer) {
              writer = create(startCrc, headerState);
              // The writer starts the log with its own header: a fresh log's {0,0} mark, or the hard state.
              if (fresh && ordinal === 3 && isZeroMark(item)) continue;
              if (!fresh && headerState) continue;
            } else {
              writer.cut();
              if (headerState && sameHardState(headerState, writer.currentHardState)) continue;
            }
          }
          if (writer) writeRecord(writer, item); // always set by now
        }
      } finally {
        file.close();
      }
      done += segment.scan.size;
    }
    writer ??= create(0);
    if (plan.appendSnapshotMark && plan.snapshot) writer.saveSnapshot({ index: plan.snapshot.index, term: plan.snapshot.term });
    if (plan.hardState.appended) writer.save(plan.hardState.final, []);
    onProgress?.(1, 'written');
    return writer.close().segments.map((s) => s.path);
  } catch (e) {
    writer?.close();
    throw e;
  }
}

function writeRecord(writer: WalWriter, item: WalkedRecord): void {
  if (item.type === RecordType.Entry) {
    writer.saveRawEntry(readEntryHeader(item.data).index, item.data);
  } else if (item.type === RecordType.HardState) {
    const state = decodeHardStateRecord(item.data);
    if (state) writer.saveRawHardState(state, item.data);
  } else if (item.type === RecordType.Snapshot) {
    const mark = decodeSnapshotMark(item.data);
    if (mark) writer.saveRawSnapshot(mark, item.data);
  }
}

function isZeroMark(item: WalkedRecord): boolean {
  if (item.type !== RecordType.Snapshot) return false;
  const mark = decodeSnapshotMark(item.data);
  return !!mark && mark.index === 0n && mark.term === 0n;
}

function sameHardState(a: HardStateFields, b: HardStateFields): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/**
 * Reads the copy back as the engine would need it: no fault, a snapshot that opens, a hard state whose
 * commit lies within [snapshot index, last entry index]. Returns what is wrong (empty: sound).
 */
export function verifyRepair(outDir: string, options: OpenOptions): string[] {
  const copy = SwarmState.open(outDir, options);
  try {
    const problems = copy.faults.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.offset}: ${f.message}`);
    const snap = copy.newestSnapshot?.snapshot;
    const base = snap?.index ?? 0n;
    const effective = copy.wal.effectiveSeqs;
    const last = effective.length ? copy.wal.table.index(effective.at(effective.length - 1)) : 0n;
    const lastIndex = last > base ? last : base;
    const commit = copy.wal.hardState?.commit ?? 0n;
    if (commit < base || commit > lastIndex) problems.push(`the hard state's commit ${commit} is outside [${base}, ${lastIndex}]`);
    const firstAbove = copy.wal.effectiveSeqsAfter(base).first;
    if (firstAbove !== undefined && copy.wal.table.index(firstAbove) !== base + 1n) problems.push(`the log above the snapshot starts at ${copy.wal.table.index(firstAbove)}, not ${base + 1n}`);
    return problems;
  } finally {
    copy.close();
  }
}
