// dump-wal --follow: print the committed entries as dump-wal does, then keep printing new ones as the
// manager commits them, like `tail -f`, in the same text or JSON format. Each poll indexes only what was
// appended (src/core/state/stateFollower.ts); faults go to stderr as they are found.
import type { Fault } from '../../core/errors';
import { EntryProblems, entryText, selectEntries, type DumpOptions } from '../../core/report/dumpWal';
import { entryJson } from '../../core/report/dumpWalJson';
import { StateFollower } from '../../core/state/stateFollower';
import type { SwarmState } from '../../core/state/swarmState';
import type { WalEntry } from '../../core/wal/walLog';
import type { Output } from '../output';
import { reportFaults } from '../output';

export interface FollowOptions extends DumpOptions {
  format: string;
  /** Milliseconds between polls (default 100). */
  intervalMs?: number;
}

/** Runs until interrupted, or until an entry past options.end is committed; returns the faults reported on the way. */
export async function followWal(state: SwarmState, out: Output, initialFaults: Fault[], options: FollowOptions): Promise<Fault[]> {
  const faults = [...initialFaults];
  const reported: Fault[] = [];
  const problems = new EntryProblems(faults);
  const print = (entry: WalEntry) => {
    const decoded = state.decodeEntry(entry);
    problems.add(decoded);
    out.write(options.format === 'json' ? JSON.stringify(entryJson(decoded, options.redact ?? false)) + '\n' : entryText(decoded, options.redact ?? false));
  };
  const table = state.wal.table;
  const end = options.end ?? 0n;
  const start = options.start ?? 0n;
  let printed = 0n;
  // What dump-wal prints, up to the commit index: an uncommitted entry may still be replaced.
  for (const seq of selectEntries(state, options).seqs) {
    if (table.uncommitted(seq)) break;
    print(state.wal.entryOnce(seq));
    printed = table.index(seq);
  }
  if (printed === 0n && !options.all) printed = state.newestSnapshot?.snapshot?.index ?? 0n;
  const follower = new StateFollower(state);
  for (;;) {
    problems.flush();
    out.flush();
    reported.push(...faults);
    reportFaults(faults.splice(0));
    if (end !== 0n && printed >= end) return reported;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    const update = follower.poll();
    faults.push(...update.faults);
    if (!update.changed) continue;
    for (const seq of state.wal.effectiveSeqsAfter(printed)) {
      if (table.uncommitted(seq)) break;
      const index = table.index(seq);
      if (end !== 0n && index > end) break;
      if (index >= start) print(state.wal.entryOnce(seq));
      printed = index;
    }
  }
}
