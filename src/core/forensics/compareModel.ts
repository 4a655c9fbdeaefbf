// The comparison of two managers' logs. Plain JSON (raft indexes and terms as decimal strings, raft ids
// in hex as the reference prints them), for `swarm-raft compare --format json` and the extension alike.

export interface ManagerSummary {
  stateDir: string;
  /** From the node certificate (O= and CN=). */
  clusterId?: string;
  nodeId?: string;
  /** From the WAL metadata (the RaftMember this log belongs to). */
  raftId?: string;
  addr?: string;
  /** Entries in the effective log. */
  entries: number;
  firstIndex?: string;
  lastIndex?: string;
  lastTerm?: string;
  /** The hard state's commit index and term. */
  commit?: string;
  term?: string;
  /** The newest valid snapshot. */
  snapshot?: { name: string; index: string; term: string };
  /** The key ring's state: open, locked, wrong-key, ... (payloads are compared only where both open). */
  keyState: string;
}

/** A run of consecutive raft indexes. */
export interface IndexSpan {
  from: string;
  to: string;
  count: number;
  /** How many of them are above that manager's commit index. */
  uncommitted?: number;
}

export interface SideAfterDivergence {
  /** The side's term at the first differing index. */
  term: string;
  /** True when that entry is at or below the side's commit index: committed entries disagree. */
  committed: boolean;
  /** The side's entries from the divergence on (they conflict with the other side's). */
  entries: IndexSpan;
}

export type ComparisonVerdict =
  /** Same entries (index, term and, where both decrypt, payload). */
  | 'identical'
  /** One log is a prefix of the other: that manager lags (or the other has an uncommitted tail). */
  | 'lagging'
  /** At some index the terms differ: the logs took different paths from there. */
  | 'diverged'
  /** Same index and term but different payloads: not the same log (corruption, or another swarm). */
  | 'inconsistent'
  /** No index in common: the logs cannot be aligned. */
  | 'disjoint';

export interface PayloadComparison {
  /** Agreeing entries whose payloads both decrypted and were compared. */
  compared: number;
  equal: number;
  /** Indexes where the decrypted payloads differ (at most 100 listed). */
  different: string[];
  differentCount: number;
  /** Agreeing entries not compared because a side could not decrypt them, by reason (e.g. "b: earlier-key"). */
  unchecked: { reason: string; count: number }[];
}

/** A side's snapshot checked against the other side's entry at the same index. */
export interface SnapshotAnchor {
  side: 'a' | 'b';
  name: string;
  index: string;
  term: string;
  /** The other side's term at that index (absent: the other side's WAL does not hold it). */
  otherTerm?: string;
  matches?: boolean;
}

export interface ComparisonReport {
  a: ManagerSummary;
  b: ManagerSummary;
  /** Undefined when a certificate is missing. */
  sameCluster?: boolean;
  /** Both directories are the same manager (e.g. a backup and the live copy). */
  sameNode?: boolean;
  verdict: ComparisonVerdict;
  /** One or two sentences saying what the comparison found. */
  summary: string;
  /** Indexes present in both effective logs. */
  overlap?: IndexSpan;
  /** The common prefix: indexes both hold with the same term, up to the first divergence. */
  agreed?: IndexSpan;
  divergence?: { index: string; a: SideAfterDivergence; b: SideAfterDivergence };
  /** Indexes only one side holds (compacted on the other, or not yet replicated to it). */
  onlyInA: IndexSpan[];
  onlyInB: IndexSpan[];
  /** Without a divergence: the side whose log ends first, and by how many entries. */
  lagging?: { side: 'a' | 'b'; behindBy: number };
  /** The side with the higher commit index, and by how much. */
  commitAhead?: { side: 'a' | 'b'; by: string };
  payloads: PayloadComparison;
  snapshots: SnapshotAnchor[];
}
