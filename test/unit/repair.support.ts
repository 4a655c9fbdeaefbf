// Helpers of the repair tests: repairing (damaged) scratch copies of corpus cases, and the dumps a copy
// must match.
import { join } from 'node:path';
import { dumpObjectText } from '../../src/core/report/dumpObject';
import { planRepair, verifyRepair, writeRepair, type RepairOptions, type RepairPlan, type RepairResult } from '../../src/core/repair';
import { SwarmState } from '../../src/core/state/swarmState';
import { treeDiff, treeSnapshot } from '../support/treeSnapshot';
import { readerText, tempDir } from './writer.support';

export const OBJECT_TYPES = ['node', 'service', 'task', 'network', 'cluster', 'secret', 'config', 'resource', 'extension'] as const;

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
