// "What makes my raft big": the size statistics model. Plain JSON (raft indexes and terms as decimal
// strings, byte counts as numbers), so the CLI prints it as it is and the overview webview receives it
// by postMessage.

/** Counts and bytes of one group (an object kind, an action, a status, ...). */
export interface SizeRow {
  /** The kind, the action (CREATE/UPDATE/REMOVE), 'conf change', 'empty', or an unreadable status. */
  key: string;
  /** Entries holding at least one action of the group. */
  entries: number;
  actions: number;
  /** Bytes of the group's store actions in the decrypted payloads. */
  decryptedBytes: number;
  /**
   * Stored (encrypted) bytes: each entry's stored size is shared among its actions in proportion to their
   * decrypted size, so the rows of a breakdown add up to the entries' stored total.
   */
  encryptedBytes: number;
}

export interface KindActionRow {
  kind: string;
  action: string;
  actions: number;
  decryptedBytes: number;
  encryptedBytes: number;
}

export interface LargestEntry {
  index: string;
  term: string;
  type: string;
  status: string;
  encryptedBytes: number;
  /** Absent when the entry could not be decrypted. */
  decryptedBytes?: number;
  /** e.g. "CREATE secret large-100k", "AddNode 42c4d98f1d40afcd", "earlier-key". */
  summary: string;
}

export interface LargestObject {
  kind: string;
  id: string;
  name: string;
  /** Encoded size of the object as the store holds it. */
  bytes: number;
  /** Raft index of the entry that last changed it (absent: as in the snapshot). */
  lastChangedAt?: string;
}

export interface StateKindSize {
  kind: string;
  objects: number;
  bytes: number;
}

/** Task activity of one service: how much of the log its tasks take. */
export interface TaskChurnRow {
  /** '' for tasks of no service (e.g. network attachments). */
  serviceId: string;
  serviceName: string;
  /** Distinct task ids. */
  tasks: number;
  created: number;
  updated: number;
  removed: number;
  actions: number;
  decryptedBytes: number;
  encryptedBytes: number;
}

export interface TermGrowthRow {
  term: string;
  firstIndex: string;
  lastIndex: string;
  entries: number;
  unreadable: number;
  encryptedBytes: number;
  decryptedBytes: number;
}

export interface StatsTotals {
  entries: number;
  normal: number;
  confChange: number;
  /** Normal entries without store actions (a new leader's no-op). */
  empty: number;
  unreadable: number;
  actions: number;
  encryptedBytes: number;
  /** Of the entries that could be decrypted. */
  decryptedBytes: number;
  /** Records still on disk but replaced by a later leader (not in the effective log). */
  overwrittenEntries: number;
  overwrittenBytes: number;
}

export interface StatsModel {
  stateDir: string;
  /** 'all': every entry of the effective log; 'after-snapshot': those the reference reads. */
  scope: 'all' | 'after-snapshot';
  firstIndex?: string;
  lastIndex?: string;
  totals: StatsTotals;
  byKind: SizeRow[];
  byAction: SizeRow[];
  byKindAndAction: KindActionRow[];
  /** Entries that could not be read, by status (bytes are the stored ones). */
  unreadable: SizeRow[];
  largestEntries: LargestEntry[];
  taskChurn: TaskChurnRow[];
  growthByTerm: TermGrowthRow[];
  /** The store at the end of the log (newest snapshot + entries); absent when it cannot be rebuilt. */
  state?: {
    index: string;
    snapshot?: string;
    byKind: StateKindSize[];
    largestObjects: LargestObject[];
    /** Entries the replay had to skip. */
    skipped: number;
  };
  /** Why `state` is absent. */
  stateError?: string;
  files: {
    segments: { name: string; fileBytes: number; usedBytes: number; entries: number }[];
    snapshots: { name: string; index: string; term: string; fileBytes: number }[];
  };
}
