// One fuzz input through everything a user can ask of a state directory: open it, decode every entry
// and snapshot, the CLI's dumps (text and JSON), the store replay and history, the decrypt command, the
// editor's file models, and the single-file probe. The properties: nothing throws but the core's typed
// errors, and every fault names a file and an offset inside it. The fuzzer's worker and the crasher
// regression test both call `exercise`.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDecrypt } from '../../src/cli/commands/decrypt';
import { InvalidUnlockKeyError, LockedError, RaftReadError, WrongUnlockKeyError, type Fault } from '../../src/core/errors';
import { DUMP_OBJECT_TYPES, dumpObjectText } from '../../src/core/report/dumpObject';
import { dumpSnapshotText } from '../../src/core/report/dumpSnapshot';
import { dumpSnapshotJson } from '../../src/core/report/dumpSnapshotJson';
import { dumpWalText } from '../../src/core/report/dumpWal';
import { dumpWalJson } from '../../src/core/report/dumpWalJson';
import { probeRaftFile } from '../../src/core/state/probe';
import { SwarmState, type OpenOptions } from '../../src/core/state/swarmState';
import { objectHistory } from '../../src/core/store/history';
import { replayStore } from '../../src/core/store/replay';
import { buildOverview } from '../../src/core/view/overview';
import { FileModel } from '../../src/core/view/fileModel';
import { groupEntries } from '../../src/core/view/grouping';

/** A property that did not hold: where (stage) and what. `signature` groups repeats of one bug. */
export interface Problem {
  stage: string;
  kind: 'uncaught' | 'bad-fault' | 'bad-message';
  message: string;
  stack?: string;
  signature: string;
}

export interface Outcome {
  problems: Problem[];
  /** False when SwarmState.open refused the directory (with a typed error). */
  opened: boolean;
  /** Typed errors thrown where the core gives up (expected for hostile input). */
  typedErrors: number;
  faults: number;
  entries: number;
  /** Characters of dump output produced (a cheap sign that the dumps ran). */
  outputChars: number;
}

const TYPED = [RaftReadError, InvalidUnlockKeyError, WrongUnlockKeyError, LockedError];

export function isTypedError(e: unknown): boolean {
  return TYPED.some((t) => e instanceof t);
}

/** Runs every stage; `scratch` is where the decrypt stage may write (outside the input). */
export function exercise(stateDir: string, options: OpenOptions, scratch = tmpdir()): Outcome {
  const out: Outcome = { problems: [], opened: false, typedErrors: 0, faults: 0, entries: 0, outputChars: 0 };
  const stage = (name: string, run: () => void) => {
    try {
      run();
    } catch (e) {
      if (isTypedError(e)) out.typedErrors++;
      else out.problems.push(uncaught(name, e));
    }
  };

  let state: SwarmState | undefined;
  stage('open', () => {
    state = SwarmState.open(stateDir, options);
  });
  stage('probe', () => probeEveryFile(stateDir));
  if (!state) return out;
  const s = state;
  out.opened = true;
  try {
    out.faults = s.faults.length;
    out.entries = s.wal.raw.length;
    checkFaults('open', s.faults, out);
    stage('decode', () => {
      for (const e of s.wal.raw) {
        const d = s.decodeEntry(e);
        if (!d.ok && !d.message.startsWith(`${e.file}:${e.offset}: `)) {
          out.problems.push(problem('decode', 'bad-message', `entry ${e.index}: message does not start with file:offset: ${d.message}`));
        }
      }
      for (const f of s.snapshotFiles) s.decodeSnapshot(f);
    });
    const faults: Fault[] = [];
    const consume = (chunks: Iterable<string>) => {
      for (const c of chunks) out.outputChars += c.length;
    };
    stage('dump-wal', () => consume(dumpWalText(s, { all: true }, faults)));
    stage('dump-wal-redact', () => consume(dumpWalText(s, { redact: true }, faults)));
    stage('dump-wal-json', () => consume(dumpWalJson(s, { all: true }, faults)));
    checkFaults('dump-wal', faults, out);
    stage('dump-snapshot', () => consume([dumpSnapshotText(s, {})]));
    stage('dump-snapshot-json', () => consume(dumpSnapshotJson(s, { redact: true })));
    for (const f of s.snapshotFiles) stage('dump-snapshot-file', () => consume([dumpSnapshotText(s, { snapshot: f.name })]));
    stage('replay', () => {
      const store = replayStore(s, { lenient: true });
      for (const type of DUMP_OBJECT_TYPES) for (const o of store.list(type)) out.outputChars += String((o as unknown as { id?: string }).id ?? '').length;
    });
    stage('replay-from-nothing', () => void replayStore(s, { lenient: true, snapshot: false }));
    for (const type of ['node', 'secret', 'task']) stage('dump-object', () => consume([dumpObjectText(s, { type })]));
    const last = s.wal.effective.at(-1);
    if (last) stage('time-travel', () => void replayStore(s, { lenient: true, at: last.index / 2n }));
    stage('history', () => void objectHistory(s, 'x'));
    for (const skipUndecryptable of [false, true]) {
      stage(skipUndecryptable ? 'decrypt-skip' : 'decrypt', () => {
        const dir = mkdtempSync(join(scratch, 'decrypt-'));
        try {
          runDecrypt(s, join(dir, 'out'), { skipUndecryptable, preallocate: false });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
    stage('view', () => exerciseViews(s));
  } finally {
    s.close();
  }
  return out;
}

/** What the editor builds for every segment and snapshot file: rows, details, groups, overview. */
function exerciseViews(state: SwarmState): void {
  const files: { path: string; kind: 'wal' | 'snap' }[] = [
    ...state.wal.segments.map((seg) => ({ path: seg.path, kind: 'wal' as const })),
    ...state.snapshotFiles.map((f) => ({ path: f.path, kind: 'snap' as const })),
  ];
  for (const { path, kind } of files) {
    const model = new FileModel(state, path, kind, safeSize(path));
    const rows = model.rows(0, model.rowCount);
    for (const row of rows) model.detail(row.seq);
    model.filterRows('secret');
    for (const by of ['term', 'action', 'kind', 'index'] as const) groupEntries(model.groupItems(), by, 50, (seq) => model.entryBySeq(seq)?.index ?? 0n);
    buildOverview({ state, filePath: path, fileName: model.fileName, fileKind: kind, fileSize: safeSize(path), rowCount: model.rowCount });
  }
}

function probeEveryFile(stateDir: string): void {
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (/\.(wal|snap|tmp)$/.test(name)) probeRaftFile(path);
      else if (depth < 3) walk(path, depth + 1);
    }
  };
  walk(stateDir, 0);
}

/** Every fault names a file (the state dir, a file in it, or a key file) and an offset within that file. */
function checkFaults(stage: string, faults: readonly Fault[], out: Outcome): void {
  for (const f of faults) {
    const where = `${f.file}:${f.offset}`;
    if (typeof f.file !== 'string' || f.file === '') out.problems.push(problem(stage, 'bad-fault', `fault without a file: ${f.message}`));
    else if (!Number.isSafeInteger(f.offset) || f.offset < 0) out.problems.push(problem(stage, 'bad-fault', `fault offset is not a byte offset: ${where}: ${f.message}`));
    else {
      const size = safeSize(f.file);
      if (size >= 0 && f.offset > size) out.problems.push(problem(stage, 'bad-fault', `fault offset past the end of the file (${size} bytes): ${where}: ${f.message}`));
    }
    if (!f.message || /undefined|NaN|\[object Object\]/.test(f.message)) out.problems.push(problem(stage, 'bad-message', `fault message: ${where}: ${f.message}`));
  }
}

function safeSize(path: string): number {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : -1;
  } catch {
    return -1;
  }
}

function uncaught(stage: string, e: unknown): Problem {
  const err = e instanceof Error ? e : new Error(String(e));
  const frame = (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l))?.trim() ?? '';
  return { stage, kind: 'uncaught', message: `${err.name}: ${err.message}`, stack: err.stack, signature: `${stage}|${err.name}|${normalize(err.message)}|${frame.replace(/:\d+:\d+\)?$/, '')}` };
}

function problem(stage: string, kind: Problem['kind'], message: string): Problem {
  return { stage, kind, message, signature: `${stage}|${kind}|${normalize(message)}` };
}

/** The message without paths and numbers, so one bug found in many inputs counts once. */
function normalize(message: string): string {
  return message.replace(/\/[^\s:]+/g, '<path>').replace(/\d+/g, 'N').slice(0, 120);
}
