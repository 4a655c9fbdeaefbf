// A first look at a fresh copy: how much log it holds and whether its newest record was cut mid-write
// (a live copy may end in a torn record). Only the WAL index is read; nothing is decrypted.
import { layoutOf } from '../state/layout';
import { readWalDirectory } from '../wal/walLog';

export interface CopyCheck {
  /** False when the copy has no raft WAL directory (then `problem` says so). */
  walFound: boolean;
  segments: number;
  entries: number;
  lastIndex?: string;
  /** Torn-write warnings at the end of the newest segment (normal for a live copy). */
  tornTail: string[];
  /** Other faults the index found (file:offset: message). */
  faults: string[];
  problem?: string;
}

export function checkCopy(stateDir: string): CopyCheck {
  const layout = layoutOf(stateDir);
  if (!layout) return { walFound: false, segments: 0, entries: 0, tornTail: [], faults: [], problem: 'no raft WAL directory in the copy' };
  try {
    const log = readWalDirectory(layout.walDir);
    const last = log.effectiveSeqs.length ? log.table.index(log.effectiveSeqs.at(log.effectiveSeqs.length - 1)) : undefined;
    const place = (f: { file: string; offset: number; message: string }) => `${f.file.slice(stateDir.length + 1)}:${f.offset}: ${f.message}`;
    const torn = log.faults.filter((f) => f.severity === 'warning' && f.message.startsWith('torn write'));
    return {
      walFound: true, segments: log.segments.length, entries: log.table.length, lastIndex: last?.toString(),
      tornTail: torn.map(place), faults: log.faults.filter((f) => !torn.includes(f)).map(place),
    };
  } catch (e) {
    return { walFound: true, segments: 0, entries: 0, tornTail: [], faults: [], problem: (e as Error).message };
  }
}
