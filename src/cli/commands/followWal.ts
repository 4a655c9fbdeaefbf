// dump-wal --follow: print the committed entries as dump-wal does, then keep printing new ones as the
// manager commits them, like `tail -f`, in the same text or JSON format. Each poll indexes only what was
// appended (src/core/state/stateFollower.ts); faults go to stderr as they are found.
import type { Fault } from '../../core/errors';
import { PlainScratch } from '../../core/crypto/secretbox';
import { FileWindow } from '../../core/io/fileWindow';
import { EntryProblems, selectEntries, writeSealedEntryText, writeUnreadableEntryText, type DumpOptions } from '../../core/report/dumpWal';
import { TextSink } from '../../core/text/textSink';
import { entryDataView } from '../../core/wal/segment';
import { entryJson } from '../../core/report/dumpWalJson';
import { ChangeWait } from '../../core/state/changeWait';
import { StateFollower } from '../../core/state/stateFollower';
import type { SwarmState } from '../../core/state/swarmState';
import { EntryList } from '../../core/wal/walLog';
import { SeqList } from '../../core/wal/seqList';
import type { Output } from '../output';
import { reportFaults } from '../output';

export interface FollowOptions extends DumpOptions {
  format: string;
}

const WINDOW_BYTES = 256 * 1024;
const BATCH_BYTES = 64 * 1024;

/** Runs until interrupted, or until an entry past options.end is committed; returns the faults reported on the way. */
export async function followWal(state: SwarmState, out: Output, initialFaults: Fault[], options: FollowOptions): Promise<Fault[]> {
  const faults = [...initialFaults];
  const reported: Fault[] = [];
  const problems = new EntryProblems(faults);
  const table = state.wal.table;
  const redact = options.redact ?? false;
  const context = state.payloadContext;
  const sink = new TextSink(BATCH_BYTES * 2);
  const scratch = new PlainScratch();
  // The sink's bytes go out as bytes (a copy: stdout to a pipe writes later), not decoded to a string
  // and encoded again.
  const flushSink = () => {
    if (sink.length > 0) out.write(sink.take());
    sink.reset(BATCH_BYTES * 2);
  };
  // Text as dump-wal prints it (from the sealed bytes, read once, through small windows: the new entries
  // are a few KB, and the file goes on with the preallocated zeros); JSON entry by entry.
  const print = (seqs: number[]) => {
    if (seqs.length === 0) return;
    const list = new EntryList(state.wal, SeqList.of(seqs));
    if (options.format === 'json') {
      for (const entry of list) {
        const decoded = state.decodeEntry(entry);
        problems.add(decoded);
        out.write(JSON.stringify(entryJson(decoded, options.redact ?? false)) + '\n');
      }
    } else {
      let file: FileWindow | undefined;
      try {
        for (const entry of list) {
          if (file?.path !== entry.file) {
            file?.close();
            file = undefined;
            file = new FileWindow(entry.file, { windowBytes: WINDOW_BYTES });
          }
          let data: Uint8Array | undefined;
          let readError: unknown;
          try {
            data = entryDataView(file, entry);
          } catch (e) {
            readError = e;
          }
          const decoded = data ? writeSealedEntryText(sink, context, entry, data, redact, scratch) : writeUnreadableEntryText(sink, entry, readError, redact);
          if (decoded) problems.add(decoded);
          if (sink.length >= BATCH_BYTES) flushSink();
        }
      } finally {
        file?.close();
      }
      flushSink();
    }
  };
  const end = options.end ?? 0n;
  const start = options.start ?? 0n;
  let printed = 0n;
  // What dump-wal prints, up to the commit index: an uncommitted entry may still be replaced.
  const first: number[] = [];
  for (const seq of selectEntries(state, options).seqs) {
    if (table.uncommitted(seq)) break;
    first.push(seq);
    printed = table.index(seq);
  }
  print(first);
  if (printed === 0n && !options.all) printed = state.newestSnapshot?.snapshot?.index ?? 0n;
  const follower = new StateFollower(state);
  // Woken by file events ~10 ms after a write, at most every 40 ms (a manager writing all the time is
  // read in batches: each poll and print has a fixed cost), and every 100 ms where no events come.
  const changes = new ChangeWait([state.layout.walDir, state.layout.snapDir], { debounceMs: 10, minGapMs: 40, pollMs: 100 });
  try {
    for (;;) {
      problems.flush();
      out.flush();
      reported.push(...faults);
      reportFaults(faults.splice(0));
      if (end !== 0n && printed >= end) return reported;
      await changes.next();
      const update = follower.poll();
      faults.push(...update.faults);
      if (!update.changed) continue;
      const next: number[] = [];
      for (const seq of state.wal.effectiveSeqsAfter(printed)) {
        if (table.uncommitted(seq)) break;
        const index = table.index(seq);
        if (end !== 0n && index > end) break;
        if (index >= start) next.push(seq);
        printed = index;
      }
      print(next);
    }
  } finally {
    changes.close();
  }
}
