// Helpers of the repair tests: damaging scratch copies of corpus cases as a disk fault or power loss does
// (the kinds of shared/notes/recovery.md), repairing them, and the dumps a copy must match.
import { closeSync, openSync, readSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dumpObjectText } from '../../src/core/report/dumpObject';
import { planRepair, verifyRepair, writeRepair, type RepairOptions, type RepairPlan, type RepairResult } from '../../src/core/repair';
import { SwarmState } from '../../src/core/state/swarmState';
import { treeDiff, treeSnapshot } from '../support/treeSnapshot';
import { readerText, tempDir } from './writer.support';

export const OBJECT_TYPES = ['node', 'service', 'task', 'network', 'cluster', 'secret', 'config', 'resource', 'extension'] as const;

/** Flips every bit of one byte. */
export function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] ^= 0xff;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

/** Zero-fills `length` bytes at `offset` (a sector that never reached the disk). */
export function zeroFill(path: string, offset: number, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length), 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

export function truncateTo(path: string, size: number): void {
  truncateSync(path, size);
}

/** dump-wal, dump-wal --all, dump-snapshot and dump-object of every type (an error as its message). */
export function dumps(dir: string, unlockKey: string | undefined, at?: bigint): Record<string, string> {
  const state = SwarmState.open(dir, { unlockKey });
  try {
    const text = readerText(state);
    const out: Record<string, string> = at === undefined ? { 'dump-wal': text.wal, 'dump-wal --all': text.walAll, 'dump-snapshot': text.snapshot } : {};
    for (const type of OBJECT_TYPES) {
      try {
        out[`dump-object ${type}`] = dumpObjectText(state, { type, at });
      } catch (e) {
        out[`dump-object ${type}`] = `error: ${(e as Error).message}`;
      }
    }
    return out;
  } finally {
    state.close();
  }
}

export interface Repaired {
  plan: RepairPlan;
  result: RepairResult;
  out: string;
}

/** Plans and writes a repair of `dir` into a new temp dir, checking that `dir` is left exactly as it was. */
export function repair(dir: string, unlockKey: string | undefined, options: RepairOptions = {}): Repaired {
  const before = treeSnapshot(dir);
  const out = join(tempDir('repair'), 'swarm');
  const state = SwarmState.open(dir, { unlockKey });
  try {
    const plan = planRepair(state, options);
    const result = writeRepair(state, plan, out);
    result.verification = verifyRepair(out, { unlockKey });
    const changed = treeDiff(before, treeSnapshot(dir));
    if (changed.length) throw new Error(`the repair changed its source: ${changed.join(', ')}`);
    return { plan, result, out };
  } finally {
    state.close();
  }
}
