// Shared helpers of the writer and decrypt tests: temporary output dirs, corpus cases with their keys,
// and the full text a reader gives for a state (what must survive a write/read round trip).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fault } from '../../src/core/errors';
import { withFile } from '../../src/core/io/fileWindow';
import { dumpSnapshotText } from '../../src/core/report/dumpSnapshot';
import { dumpWalText } from '../../src/core/report/dumpWal';
import { SwarmState, type OpenOptions } from '../../src/core/state/swarmState';
import { readFrame } from '../../src/core/wal/framing';
import { decodeWalRecord } from '../../src/core/wal/records';
import { manifestUnlockKey } from '../support/cli';
import { corpusCase } from '../support/fixtures';

const made: string[] = [];

/** A new empty directory under the OS temp dir, removed by cleanupTempDirs(). */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `swarm-raft-${label}-`));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface CorpusState {
  name: string;
  dir: string;
  stateDir: string;
  unlockKey?: string;
}

export function corpusState(name: string, sub = 'swarm'): CorpusState {
  const dir = corpusCase(name);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return { name, dir, stateDir: join(dir, sub), unlockKey: manifestUnlockKey(manifest) };
}

export function openState(dir: string, options: OpenOptions = {}): SwarmState {
  return SwarmState.open(dir, options);
}

/** dump-wal (every entry, snapshot-covered ones too) and dump-snapshot as the CLI prints them. */
export function readerText(state: SwarmState): { wal: string; walAll: string; snapshot: string; faults: Fault[] } {
  const faults: Fault[] = [];
  const wal = [...dumpWalText(state, {}, faults)].join('');
  const walAll = [...dumpWalText(state, { all: true }, faults)].join('');
  let snapshot: string;
  try {
    snapshot = dumpSnapshotText(state, {});
  } catch (e) {
    snapshot = `error: ${(e as Error).message}`;
  }
  return { wal, walAll, snapshot, faults };
}

/** Index, term, type and decrypted bytes of every entry in the raw stream (undecryptable ones by reason). */
export function decodedEntries(state: SwarmState): { index: bigint; term: bigint; type: number; plain: string }[] {
  return state.wal.raw.map((e) => {
    const d = state.decodeEntry(e);
    return { index: e.index, term: e.term, type: e.type, plain: d.ok ? Buffer.from(d.plain).toString('hex') : `(${d.problem})` };
  });
}

/** Record types of a WAL segment in file order. */
export function recordTypes(path: string): number[] {
  return withFile(path, (file) => {
    const types: number[] = [];
    for (let offset = 0; ;) {
      const r = readFrame(file, offset);
      if (r.kind !== 'frame') return types;
      types.push(decodeWalRecord(file.read(r.frame.dataOffset, r.frame.recordLength)).type);
      offset = r.frame.end;
    }
  });
}
