// What a repair decides (the plan, shown before anything is written) and what it wrote. Indexes, terms
// and raft ids are bigints (uint64, exact); the JSON report turns them into strings.
import type { HardStateFields } from '../writer/rawEncode';

export interface RepairOptions {
  /** Keep the log only up to this raft index (and the newest valid snapshot at or below it). */
  at?: bigint;
  /** Called as the log is read or written: fraction done (0..1) and what is happening. */
  onProgress?: (fraction: number, message: string) => void;
}

export interface SnapshotChoice {
  name: string;
  index: bigint;
  term: bigint;
}

export interface LeftOutSnapshot {
  name: string;
  file: string;
  offset: number;
  reason: string;
}

/** A record or stretch of bytes the copy leaves out. */
export interface DroppedItem {
  file: string;
  offset: number;
  /** 'damage': bytes holding no readable record. */
  what: 'entry' | 'hard state' | 'snapshot mark' | 'record' | 'damage';
  index?: bigint;
  term?: bigint;
  /** Bytes left out (damage). */
  bytes?: number;
  reason: string;
  /** True when the snapshot kept holds its effect (nothing lost). */
  covered: boolean;
}

/** Where the log was cut: this record and everything after it are left out. */
export interface CutPoint {
  file: string;
  offset: number;
  index?: bigint;
  term?: bigint;
  reason: string;
}

export interface ObjectLoss {
  kind: string;
  id: string;
  name: string;
  creates: number;
  updates: number;
  removes: number;
  /** The object's version (meta.version.index) in the state the copy holds; undefined: absent there. */
  lastKeptVersion?: bigint;
}

export interface LostEntries {
  /** Entries after the cut (above the snapshot kept). */
  count: number;
  firstIndex?: bigint;
  lastIndex?: bigint;
  /** Of those, entries whose payload could not be read (no store actions known). */
  unreadable: number;
  /** Damaged stretches after the cut (their entries cannot be counted). */
  damagedStretches: number;
  objects: ObjectLoss[];
}

export interface HardStatePlan {
  /** The last hard state record the copy keeps as it is. */
  kept?: HardStateFields;
  /** What the copy's last hard state says (kept, or appended when `appended`). */
  final: HardStateFields;
  appended: boolean;
  why?: string;
}

export interface MembershipPlan {
  /** Raft ids of the members at the end of the kept log (snapshot's conf state + kept conf changes), hex. */
  raftIds: string[];
  thisRaftId?: string;
  thisNodeId?: string;
  /** More than one member: the copy comes up without a leader until `docker swarm init --force-new-cluster`. */
  leaderless: boolean;
}

export interface RepairPlan {
  stateDir: string;
  encrypted: boolean;
  at?: bigint;
  snapshot?: SnapshotChoice;
  /** Every valid snapshot file at or below the kept one (copied as they are). */
  snapshotFiles: string[];
  snapshotsLeftOut: LeftOutSnapshot[];
  kept: { firstIndex?: bigint; lastIndex: bigint; lastTerm: bigint; entries: number; records: number };
  cut?: CutPoint;
  dropped: DroppedItem[];
  /** Dropped items not listed (the list is capped so a report stays readable and memory bounded). */
  droppedNotListed: number;
  /** A snapshot mark for the kept snapshot is appended (the WAL held none that is kept). */
  appendSnapshotMark: boolean;
  hardState: HardStatePlan;
  lost: LostEntries;
  membership: MembershipPlan;
  /** Source files not carried over (.tmp, .broken, ...). */
  notCopied: string[];
  /** Where the writer cuts and what it drops, by segment number and record offset. */
  decisions: RepairDecisions;
}

export interface RepairDecisions {
  /** `${segment}:${offset}` of records left out before the cut. */
  drops: Set<string>;
  cut?: { segment: number; offset: number };
}

export interface RepairResult {
  outDir: string;
  walFiles: string[];
  snapFiles: string[];
  /** Other files copied as they are (certificates, docker-state.json, ...), relative to OUT. */
  copied: string[];
  /** What reading the copy back found wrong (empty when the copy is sound). */
  verification: string[];
}
